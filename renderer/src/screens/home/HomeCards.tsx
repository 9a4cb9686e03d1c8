/**
 * Two cards of the 工作台: 待办 (tasks overdue or due within the office's warning days, and, for a
 * reviewer, the close-outs waiting for review) and 最近动态 (the latest changes to the ledger from
 * the audit trail). Each line opens its task or problem.
 */
import { Button, Card, List, Typography } from 'antd';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery } from '../../components/hooks.js';
import { rowLight, StatusLight, useWarnDays } from '../../components/lists/Lights.js';
import { ErrorState } from '../../components/States.js';
import { remember, remembered } from '../lists/filters.js';

const TODO_ROWS = 8;

/** Open 任务清单 with these filters (the rest cleared), keeping the list's sort. */
function openTasks(f: Record<string, unknown>) {
  const mem = remembered<{ sort?: unknown }>('tasks');
  remember('tasks', { f, sort: mem?.sort ?? { field: 'currentDeadline', order: 'asc' } });
  navigate('tasks');
}

export function TodoCard({ roundId }: { roundId: string }) {
  const { t } = useTranslation('home');
  const s = useSession();
  const warnDays = useWarnDays();
  const dueBy = dayjs(s.today).add(warnDays, 'day').format('YYYY-MM-DD');
  const due = useQuery(() => call('tasks:list', { roundId, dueBy, sort: 'currentDeadline', order: 'asc', limit: TODO_ROWS, withTotal: true }), [roundId, dueBy]);
  const review = s.can('task.review');
  const pending = useQuery(() => (review ? call('tasks:count', { roundId, status: 'pending_review' }) : Promise.resolve(null)), [roundId, review]);
  return (
    <Card
      size="small" data-testid="home-todo"
      title={due.data?.total !== undefined ? t('todo.titleCount', { n: due.data.total }) : t('todo.title')}
      extra={review && pending.data && pending.data.total > 0 && (
        <Button size="small" type="primary" onClick={() => openTasks({ status: 'pending_review' })} data-testid="todo-review">
          {t('todo.review', { n: pending.data.total })}
        </Button>
      )}
    >
      {due.error ? <ErrorState error={due.error} onRetry={due.reload} /> : (
        <List
          size="small" loading={due.loading} dataSource={due.data?.rows ?? []}
          locale={{ emptyText: t('todo.none', { n: warnDays }) }}
          renderItem={(r) => (
            <List.Item className="xz-line xz-clickable" onClick={() => navigate('task', r.id)} data-testid="todo-item">
              <StatusLight colour={rowLight({ closed: false, overdue: r.overdue, deadline: r.currentDeadline, warnDays, today: s.today })} word={r.currentDeadline} />
              <Typography.Text className="xz-todo-unit" ellipsis={{ tooltip: r.unitName }}>{r.unitName}</Typography.Text>
              <Typography.Text className="xz-todo-text" ellipsis={{ tooltip: r.measures }}>{r.measures}</Typography.Text>
              <Typography.Text type="secondary" className="xz-todo-dept" ellipsis>{r.responsibleDepartment ?? ''}</Typography.Text>
            </List.Item>
          )}
        />
      )}
      {due.data && due.data.total !== undefined && due.data.total > TODO_ROWS && (
        <Button size="small" type="link" onClick={() => openTasks({ overdue: true })}>{t('todo.more')}</Button>
      )}
    </Card>
  );
}

export function RecentCard() {
  const { t } = useTranslation('home');
  const recent = useQuery(() => call('audit:recent', { limit: 10 }), []);
  return (
    <Card size="small" title={t('recent.title')} data-testid="home-recent">
      {recent.error ? <ErrorState error={recent.error} onRetry={recent.reload} /> : (
        <List
          size="small" loading={recent.loading} dataSource={recent.data ?? []} locale={{ emptyText: t('recent.none') }}
          renderItem={(x) => (
            <List.Item
              className={x.open ? 'xz-line xz-clickable' : 'xz-line'} data-testid="recent-item"
              onClick={() => { if (x.open) navigate(x.open.kind === 'round' ? 'rounds' : x.open.kind, x.open.id); }}
            >
              <Typography.Text type="secondary" className="xz-recent-at">{dayjs(x.at).format('MM-DD HH:mm')}</Typography.Text>
              <Typography.Text className="xz-recent-who" ellipsis>{x.userName ?? t('recent.system')}</Typography.Text>
              <Typography.Text className="xz-recent-what">
                {t(`recent.actions.${x.action}`, { defaultValue: t('recent.actions.other') })}{t(`recent.entities.${x.entity}`, { defaultValue: x.entity })}
              </Typography.Text>
              <Typography.Text className="xz-todo-text" ellipsis={{ tooltip: x.subject ?? undefined }}>{x.subject ?? ''}</Typography.Text>
            </List.Item>
          )}
        />
      )}
    </Card>
  );
}
