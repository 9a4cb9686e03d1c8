import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { Light } from '../../components/States.js';

export type ClockRow = Awaited<ResultOf<'clocks:inspection'>>[number];

/** The catalogue key of a clock's word (the engine's zh word, translatable). */
export function clockWordKey(c: Pick<ClockRow, 'kind' | 'light' | 'late'>): string {
  if (c.light === 'done') {
    if (c.kind === 'concentrated') return 'periodOver';
    return c.late ? 'doneLate' : 'doneOnTime';
  }
  return c.light === 'not_started' ? 'notStarted' : c.light;
}

/** A statutory clock's light with its word and, while it runs, the days left or overdue. */
export function ClockLight({ clock }: { clock: ClockRow }) {
  const { t } = useTranslation('reports');
  const running = clock.light === 'green' || clock.light === 'yellow' || clock.light === 'red';
  return <Light light={clock.light} word={t(`words.${clockWordKey(clock)}`)} daysLeft={running ? clock.daysLeft : null} />;
}
