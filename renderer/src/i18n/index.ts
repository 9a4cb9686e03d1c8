/**
 * The one message catalogue: one namespace per area, zh-CN by default, English switchable.
 * Components use `useTranslation(ns)`; no Chinese literals in components.
 */
import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import zhAuth from './zh-CN/auth.js';
import zhBackup from './zh-CN/backup.js';
import zhCommon from './zh-CN/common.js';
import zhDrafts from './zh-CN/drafts.js';
import zhExcel from './zh-CN/excel.js';
import zhLedgers from './zh-CN/ledgers.js';
import zhExchange from './zh-CN/exchange.js';
import zhExchangeVocab from './zh-CN/exchange-vocab.js';
import zhClues from './zh-CN/clues.js';
import zhHome from './zh-CN/home.js';
import zhProblems from './zh-CN/problems.js';
import zhRatings from './zh-CN/ratings.js';
import zhReports from './zh-CN/reports.js';
import zhRounds from './zh-CN/rounds.js';
import zhSettings from './zh-CN/settings.js';
import zhSupervision from './zh-CN/supervision.js';
import zhTasks from './zh-CN/tasks.js';
import enAuth from './en/auth.js';
import enBackup from './en/backup.js';
import enCommon from './en/common.js';
import enDrafts from './en/drafts.js';
import enExcel from './en/excel.js';
import enLedgers from './en/ledgers.js';
import enExchange from './en/exchange.js';
import enExchangeVocab from './en/exchange-vocab.js';
import enClues from './en/clues.js';
import enHome from './en/home.js';
import enProblems from './en/problems.js';
import enRatings from './en/ratings.js';
import enReports from './en/reports.js';
import enRounds from './en/rounds.js';
import enSettings from './en/settings.js';
import enSupervision from './en/supervision.js';
import enTasks from './en/tasks.js';

export const resources = {
  'zh-CN': {
    common: zhCommon, auth: zhAuth, home: zhHome, rounds: zhRounds, problems: zhProblems, tasks: zhTasks,
    clues: zhClues, supervision: zhSupervision, reports: zhReports, ratings: zhRatings, settings: zhSettings,
    backup: zhBackup, exchange: zhExchange, excel: zhExcel, exchangeVocab: zhExchangeVocab, ledgers: zhLedgers, drafts: zhDrafts,
  },
  en: {
    common: enCommon, auth: enAuth, home: enHome, rounds: enRounds, problems: enProblems, tasks: enTasks,
    clues: enClues, supervision: enSupervision, reports: enReports, ratings: enRatings, settings: enSettings,
    backup: enBackup, exchange: enExchange, excel: enExcel, exchangeVocab: enExchangeVocab, ledgers: enLedgers, drafts: enDrafts,
  },
} as const;

export type Lang = keyof typeof resources;
const STORE = 'xz.lang';

export function savedLang(): Lang {
  const v = localStorage.getItem(STORE);
  return v === 'en' ? 'en' : 'zh-CN';
}

export function setLang(l: Lang): void {
  localStorage.setItem(STORE, l);
  void i18n.changeLanguage(l);
  document.documentElement.lang = l;
}

void i18n.use(initReactI18next).init({
  resources,
  lng: savedLang(),
  fallbackLng: 'zh-CN',
  defaultNS: 'common',
  interpolation: { escapeValue: false }, // React escapes
  returnNull: false,
  // A key missing from the catalogue (a dynamic key, say) is noted where the end-to-end tests look.
  saveMissing: true,
  missingKeyHandler: (_lngs, ns, key) => {
    const w = window as { __xzMissingKeys?: string[] };
    (w.__xzMissingKeys ??= []).push(`${ns}:${key}`);
  },
});

export default i18n;
