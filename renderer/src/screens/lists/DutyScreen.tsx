/**
 * 责任清单: the task rows grouped by responsible department or responsible leader. The left side
 * lists the groups with their open / overdue / closed counts (counted in SQL); picking one shows
 * that group's tasks (the same task list, pinned to the group), with its filters and bulk actions.
 */
import { Alert, Input, Segmented, Table, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useQuery } from '../../components/hooks.js';
import '../../components/lists/lists.css';
import type { FilterValue } from '../../components/lists/SavedFilters.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { remember, remembered } from './filters.js';
import type { Pinned } from './ListFilter.js';
import { ListTitle, TaskList } from './TaskList.js';

type Group = Awaited<ResultOf<'tasks:dutyGroups'>>['rows'][number];

export function DutyScreen() {
  const { t } = useTranslation('problems');
  const s = useSession();
  const mem = remembered<{ by: Pinned['by']; key: string | null }>('duty:group');
  const [by, setBy] = useState<Pinned['by']>(mem?.by ?? 'department');
  const [picked, setPicked] = useState<string | null>(mem?.key ?? null);
  const [q, setQ] = useState('');
  remember('duty:group', { by, key: picked });
  const roundId = s.roundId;
  const groups = useQuery(() => call('tasks:dutyGroups', { by, roundId: roundId ?? undefined, q: q.trim() || undefined }), [by, roundId, q]);

  // Open on the group carrying the most tasks rather than on an empty half screen.
  const fresh = !groups.loading && groups.data?.by === by;
  const first = fresh ? groups.data?.rows.find((g) => g.key !== null)?.key ?? null : null;
  useEffect(() => {
    if (picked === null && first !== null) setPicked(first);
  }, [picked, first]);

  const choose = (b: Pinned['by']) => {
    setBy(b);
    setPicked(null);
  };
  const applySaved = (f: FilterValue) => {
    if (f.dutyBy === 'department' || f.dutyBy === 'leader') setBy(f.dutyBy);
    setPicked(typeof f.dutyKey === 'string' ? f.dutyKey : null);
  };
  const pinned: Pinned | undefined = picked ? { by, key: picked } : undefined;
  const label = t(by === 'department' ? 'duty.department' : 'duty.leader');

  return (
    <div className="xz-duty" data-testid="duty">
      <div className="xz-duty-side">
        <ListTitle>{t('duty.title')}</ListTitle>
        <Segmented<Pinned['by']>
          block value={by} onChange={choose}
          options={[{ value: 'department', label: t('duty.byDepartment') }, { value: 'leader', label: t('duty.byLeader') }]}
        />
        <Input.Search allowClear placeholder={t('duty.find')} aria-label={t('duty.find')} onSearch={setQ} onChange={(e) => !e.target.value && setQ('')} />
        {groups.error && <ErrorState error={groups.error} onRetry={groups.reload} />}
        {groups.data?.truncated && <Alert type="info" showIcon title={t('duty.truncated', { n: groups.data.rows.length })} />}
        <div className="xz-duty-groups" role="region" aria-label={label}>
          <Table<Group>
            size="small" pagination={false} sticky loading={groups.loading} data-testid="duty-groups"
            rowKey={(g) => g.key ?? '__none'} dataSource={groups.data?.rows ?? []}
            locale={{ emptyText: <EmptyState hint={t('duty.empty')} /> }}
            rowClassName={(g) => (g.key !== null && g.key === picked ? 'xz-picked' : '')}
            onRow={(g) => ({
              onClick: () => g.key !== null && setPicked(g.key), title: g.key === null ? t('duty.noneHint') : undefined,
              // A keyboard user picks a group as a mouse user does: Tab to the row, Enter or Space.
              tabIndex: g.key === null ? undefined : 0,
              onKeyDown: (e) => { if ((e.key === 'Enter' || e.key === ' ') && g.key !== null) { e.preventDefault(); setPicked(g.key); } },
            })}
            columns={[
              { key: 'name', title: label, ellipsis: true, render: (_: unknown, g) => (g.key ?? <Typography.Text type="secondary">{t('duty.none')}</Typography.Text>) },
              { key: 'tasks', title: t('duty.tasks'), dataIndex: 'tasks', width: 56, align: 'right' },
              { key: 'overdue', title: t('duty.overdue'), width: 64, align: 'right', render: (_: unknown, g) => (g.overdue ? <Typography.Text type="danger">{g.overdue}</Typography.Text> : 0) },
              { key: 'closed', title: t('duty.closed'), dataIndex: 'closed', width: 64, align: 'right' },
            ]}
          />
        </div>
      </div>
      <div className="xz-duty-main">
        {pinned ? (
          <TaskList
            key={`${pinned.by}:${pinned.key}`} name="duty" pinned={pinned}
            title={<ListTitle level={2}>{t('duty.heading', { name: pinned.key })}</ListTitle>}
            savedExtra={{ dutyBy: pinned.by, dutyKey: pinned.key }} onApplySaved={applySaved}
          />
        ) : (
          <div className="xz-center"><EmptyState hint={t('duty.pick')} /></div>
        )}
      </div>
    </div>
  );
}
