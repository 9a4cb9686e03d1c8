import { Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import { Light } from '../../components/States.js';
import { wordKey, type ClockRow } from './shared.js';

/** One statutory clock: the light with its word (and days), the due or done date below. */
export function ClockCell({ c }: { c: ClockRow }) {
  const { t } = useTranslation('rounds');
  const key = wordKey(c);
  const below = key === 'period_over' && c.dueOn ? t('ended', { d: c.dueOn })
    : c.light === 'done' && c.doneOn ? t('doneOn', { d: c.doneOn })
      : c.dueOn ? t('due', { d: c.dueOn }) : t('noDue');
  return (
    <Tooltip title={c.rule}>
      <div className="xz-clock" data-testid={`clock-${c.kind}`} data-light={c.light} data-due={c.dueOn ?? ''}>
        <Light light={c.light} word={t(`words.${key}`)} daysLeft={c.light === 'done' ? null : c.daysLeft} />
        <div className="xz-clock-due">{below}</div>
      </div>
    </Tooltip>
  );
}
