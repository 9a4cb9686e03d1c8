/** Status and deadline light of a list row: colour from the deadline, a word always beside it. */
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../hooks.js';
import { Light } from '../States.js';

/** Days before a deadline at which a row turns amber (the office's setting; 7 by default). */
export function useWarnDays(): number {
  const q = useQuery(() => call('settings:get'), []);
  return q.data?.warnDaysDefault ?? 7;
}

export type LightColour = 'green' | 'yellow' | 'red' | 'done';

/**
 * Red and done come from the engine (its clock decides what is overdue); amber is "due within
 * warnDays" counted from the engine's today (the session's).
 */
export function rowLight(o: { closed: boolean; overdue: boolean; deadline: string | null; warnDays: number; today: string }): LightColour {
  if (o.closed) return 'done';
  if (o.overdue) return 'red';
  if (o.deadline) {
    const left = dayjs(o.deadline).diff(dayjs(o.today), 'day');
    if (left >= 0 && left <= o.warnDays) return 'yellow';
  }
  return 'green';
}

export function StatusLight({ colour, word }: { colour: LightColour; word: string }) {
  const { t } = useTranslation('problems');
  return <Light light={colour} word={colour === 'red' ? t('overdueStatus', { s: word }) : word} />;
}
