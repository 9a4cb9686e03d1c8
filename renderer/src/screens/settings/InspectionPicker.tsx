import { Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useQuery, type Query } from '../../components/hooks.js';

export type InspectionRow = Awaited<ResultOf<'inspections:list'>>[number];

/**
 * The inspections (units) of the current round and the one chosen in the route
 * ('#/<section>/<inspectionId>'), defaulting to the first, so a reload keeps the choice.
 */
export function useInspectionChoice(roundId: string | null): { list: Query<InspectionRow[] | null>; current: InspectionRow | null } {
  const route = useRoute();
  const list = useQuery(() => (roundId ? call('inspections:list', { roundId }) : Promise.resolve(null)), [roundId]);
  const rows = list.data ?? [];
  const current = rows.find((r) => r.id === route.id) ?? rows[0] ?? null;
  return { list, current };
}

/** Unit chooser of a screen, with the unit's 二次整改 / 整顿 marks beside it. */
export function InspectionPicker({ section, rows, current, loading }: {
  section: string; rows: InspectionRow[]; current: InspectionRow | null; loading: boolean;
}) {
  const { t } = useTranslation('ratings');
  return (
    <Space size="small" wrap>
      <Typography.Text type="secondary">{t('unit')}</Typography.Text>
      <Select
        size="small" showSearch={{ optionFilterProp: 'label' }} style={{ width: 280 }} aria-label={t('unit')} loading={loading}
        value={current?.id} onChange={(id: string) => navigate(section, id)}
        options={rows.map((r) => ({ value: r.id, label: r.teamName ? t('unitWithTeam', { unit: r.unitName, team: r.teamName }) : r.unitName }))}
      />
      {current?.secondRoundFrom && (
        <Tag color="volcano" data-testid="second-round">{t('secondRoundFrom', { date: current.secondRoundFrom })}</Tag>
      )}
      {current?.underOverhaul && <Tag color="red">{t('overhaul')}</Tag>}
      {current && !current.firstFeedbackOn && <Tag>{t('noFeedback')}</Tag>}
    </Space>
  );
}
