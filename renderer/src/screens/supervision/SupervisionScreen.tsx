import { Tabs } from 'antd';
import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery } from '../../components/hooks.js';
import { EmptyState } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { ActivitiesTab } from './ActivitiesTab.js';
import { ProgrammesTab } from './ProgrammesTab.js';
import './supervision.css';

/**
 * 监督举措 (#/supervision): the activities list, and (#/supervision/programmes[/<id>]) the staged
 * supervision programmes as checklists.
 */
export function SupervisionScreen() {
  const { t } = useTranslation('supervision');
  const s = useSession();
  const route = useRoute();
  const roundId = s.roundId;
  const canWrite = s.can('supervision.write');
  const tab = route.id === 'programmes' ? 'programmes' : 'activities';
  const units = useQuery(() => (roundId ? call('units:list', { roundId, limit: 1000 }) : Promise.resolve(null)), [roundId]);
  const unitOptions = useMemo(() => (units.data?.items ?? []).map((u) => ({ id: u.id, name: u.name })), [units.data]);

  if (!roundId) return <EmptyState hint={t('noRound')} />;
  return (
    <div className="xz-page" data-testid="supervision-screen">
      <PageTitle style={{ margin: 0 }}>{t('title')}</PageTitle>
      <Tabs
        size="small" activeKey={tab} onChange={(k) => navigate('supervision', k === 'programmes' ? 'programmes' : null)}
        items={[
          {
            key: 'activities', label: t('activities.tab'),
            children: <ActivitiesTab roundId={roundId} canWrite={canWrite} active={tab === 'activities'} units={unitOptions} />,
          },
          {
            key: 'programmes', label: t('programmes.tab'),
            children: <ProgrammesTab roundId={roundId} canWrite={canWrite} active={tab === 'programmes'} selected={route.sub} units={unitOptions} />,
          },
        ]}
      />
    </div>
  );
}
