/**
 * How the exchange screens name records, tables and fields and show a field's value: a table and a
 * field by the catalogue (exchangeVocab), a record by the engine's label (else a short id), a value
 * as a clerk reads it (是/否, a date, a deletion with its reason, （空）), long text cut with the
 * whole of it in the tooltip.
 */
import { Typography } from 'antd';
import dayjs from 'dayjs';
import { useCallback } from 'react';
import { useTranslation } from 'react-i18next';

/** Fields stored as 0/1 (db/exchange/tables.ts kind 'boolean'). */
const BOOLEAN_FIELDS = new Set(['underOverhaul', 'active', 'isKey', 'notForDisclosure', 'reportedOnTime', 'isReactivation', 'isLookback']);
const SHOWN_CHARS = 60;

export function shortId(id: string): string {
  return id.length > 12 ? `…${id.slice(-8)}` : id;
}

/** Names of tables and fields: the catalogue's, else the code itself (never a missing-key warning). */
export function useVocab() {
  const { t, i18n } = useTranslation('exchangeVocab');
  const table = useCallback((name: string) => (i18n.exists(`exchangeVocab:tables.${name}`) ? t(`tables.${name}`) : name), [t, i18n]);
  const field = useCallback((key: string) => (i18n.exists(`exchangeVocab:fields.${key}`) ? t(`fields.${key}`) : key), [t, i18n]);
  return { table, field };
}

/** A value of `field` as words. */
export function useValueText(): (field: string | null, v: unknown) => string {
  const { t } = useTranslation('exchange');
  return useCallback((field: string | null, v: unknown) => {
    if (field === 'deleted') {
      if (!v) return t('values.notDeleted');
      const reason = (v as { reason?: unknown }).reason;
      return typeof reason === 'string' && reason ? t('values.deletedWith', { reason }) : t('values.deleted');
    }
    if (v === null || v === undefined || v === '') return t('values.empty');
    if (field && BOOLEAN_FIELDS.has(field) && (v === 0 || v === 1 || typeof v === 'boolean')) return v ? t('values.yes') : t('values.no');
    if (typeof v === 'string') {
      if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(v)) return dayjs(v).format('YYYY-MM-DD HH:mm');
      if (field?.endsWith('Id') && /^[0-9a-f-]{36}$/.test(v)) return t('values.record', { id: shortId(v) });
      return v;
    }
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    return JSON.stringify(v);
  }, [t]);
}

/** A value in a table cell: cut to a line or two, the whole text in the tooltip. */
export function ValueCell({ text, strong, testId }: { text: string; strong?: boolean; testId?: string }) {
  const cut = [...text].length > SHOWN_CHARS ? `${[...text].slice(0, SHOWN_CHARS - 1).join('')}…` : text;
  return (
    <Typography.Text strong={strong} title={cut === text ? undefined : text} className="xz-exchange-value" data-testid={testId}>
      {cut}
    </Typography.Text>
  );
}
