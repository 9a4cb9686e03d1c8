/**
 * '#/problem/<id>': one problem of the problem list (问题清单) with its tasks (status light and
 * deadline each), 新增整改任务 (Ctrl+N), 编辑, and 删除 with a reason.
 */
import { ArrowLeftOutlined, DeleteOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Light, Loading } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { ProblemForm } from './ProblemForm.js';
import { TaskForm } from './TaskForm.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { STATUS_COLOURS, type ProblemTask, type TaskClock } from './types.js';
import { ConflictBanner, conflictTagOf } from '../exchange/ConflictFlag.js';

const PROBLEM_STATUS_COLOURS: Record<string, string> = { open: 'processing', pending_review: 'warning', closed: 'success' };

/** Back to where the user came from (the list keeps its filters), else to the problem list. */
export function goBack(section: string) {
  if (window.history.length > 1) window.history.back();
  else navigate(section);
}

function useCategoryName(categoryId: string | undefined) {
  const cats = useQuery(() => call('categories:list', {}), []);
  for (const c of cats.data ?? []) {
    if (c.id === categoryId) return c.name;
    const sub = c.children.find((x) => x.id === categoryId);
    if (sub) return `${c.name} / ${sub.name}`;
  }
  return '—';
}

/** `id` lets a list show this view in a drawer beside it; as a route it reads the id from the hash. */
export function ProblemDetail({ id: idProp }: { id?: string } = {}) {
  const { t } = useTranslation('tasks');
  const s = useSession();
  const route = useRoute();
  const id = idProp ?? route.id;
  const problem = useQuery(() => call('problems:get', { id }), [id]);
  const p = problem.data;
  const inspection = useQuery(() => (p?.inspectionId ? call('inspections:get', { id: p.inspectionId }) : Promise.resolve(null)), [p?.inspectionId]);
  const unit = useQuery(() => (p && !p.inspectionId ? call('units:get', { id: p.unitId }) : Promise.resolve(null)), [p?.unitId, p?.inspectionId]);
  const taskIds = (p?.tasks ?? []).map((x) => x.id).join(',');
  const lights = useQuery(async () => {
    const ids = taskIds ? taskIds.split(',') : [];
    const clocks = await Promise.all(ids.map((taskId) => call('clocks:task', { taskId })));
    return new Map<string, TaskClock>(clocks.map((c, k) => [ids[k]!, c]));
  }, [taskIds, p?.updatedAt]);
  const categoryName = useCategoryName(p?.categoryId);
  const [dialog, setDialog] = useState<'task' | 'edit' | 'delete' | null>(null);
  const canWrite = s.can('ledger.write');

  useWindowEvent('xz:new', () => {
    if (canWrite && p && !dialog) setDialog('task');
  });

  if (problem.error) return <ErrorState error={problem.error} onRetry={problem.reload} />;
  if (problem.loading && !p) return <Loading />;
  if (!p) return <Loading />;

  const feedbackOn = inspection.data?.firstFeedbackOn ?? null;
  const unitName = inspection.data?.unitName ?? unit.data?.name ?? '—';
  const yesNo = (b: boolean) => (b ? t('yes') : t('no'));

  return (
    <div className="xz-page" data-testid="problem-detail">
      <Space style={{ marginBottom: 8 }} wrap>
        {!idProp && <Button size="small" icon={<ArrowLeftOutlined />} onClick={() => goBack('problems')}>{t('back')}</Button>}
        <PageTitle level={idProp ? 2 : 1} style={{ margin: 0 }}>{t('problem.title', { seq: p.seq })}</PageTitle>
        <Tag color={PROBLEM_STATUS_COLOURS[p.status]} data-testid="problem-status">{t(`problemStatus.${p.status}`)}</Tag>
        {p.isKey && <Tag color="red">{t('problem.keyTag')}</Tag>}
        {p.notForDisclosure && <Tag color="purple">{t('problem.notForDisclosure')}</Tag>}
      </Space>
      <ConflictBanner table="problems" id={p.id} version={p.updatedAt} />
      <Card
        size="small" title={t('problem.info')}
        extra={canWrite && (
          <Space>
            <Button size="small" icon={<EditOutlined />} onClick={() => setDialog('edit')}>{t('problem.edit')}</Button>
            <Button size="small" danger icon={<DeleteOutlined />} onClick={() => setDialog('delete')}>{t('problem.delete')}</Button>
          </Space>
        )}
      >
        <Descriptions
          size="small" bordered column={3} data-testid="problem-fields"
          items={[
            { key: 'unit', label: t('problem.unit'), children: unitName },
            { key: 'round', label: t('problem.round'), children: inspection.data?.roundName ?? '—' },
            { key: 'feedback', label: t('problem.feedbackDate'), children: feedbackOn ?? '—' },
            { key: 'seq', label: t('problem.seq'), children: p.seq },
            { key: 'cat', label: t('problem.category'), children: categoryName },
            { key: 'source', label: t('problem.source'), children: t(`sources.${p.source}`) },
            { key: 'key', label: t('problem.isKey'), children: p.isKey ? t('problem.keyWithLeader', { name: p.leadLeader ?? '—' }) : t('no') },
            {
              key: 'nfd', label: t('problem.notForDisclosure'),
              children: p.notForDisclosure ? t('problem.disclosureWithReason', { reason: p.notForDisclosureReason ?? '—' }) : yesNo(false),
            },
            { key: 'count', label: t('problem.taskCount'), children: t('problem.taskCountValue', { n: p.taskCount, closed: p.closedTaskCount }) },
            { key: 'desc', label: t('problem.description'), span: 3, children: <span style={{ whiteSpace: 'pre-wrap' }} data-testid="problem-description">{p.description}</span> },
            ...(p.remark ? [{ key: 'remark', label: t('problem.remark'), span: 3, children: <span style={{ whiteSpace: 'pre-wrap' }}>{p.remark}</span> }] : []),
          ]}
        />
      </Card>

      <Card
        size="small" style={{ marginTop: 12 }} title={t('problem.tasks')}
        extra={canWrite && <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setDialog('task')}>{t('problem.newTask')}</Button>}
      >
        {p.tasks.length === 0
          ? <EmptyState hint={canWrite ? t('problem.emptyTasks') : t('problem.emptyTasksRead')} />
          : (
            <Table<ProblemTask>
              size="small" rowKey="id" pagination={false} dataSource={p.tasks} sticky data-testid="problem-tasks"
              onRow={(r) => ({ onClick: () => navigate('task', r.id), style: { cursor: 'pointer' } })}
              columns={[
                { title: t('fields.seq'), dataIndex: 'seq', width: 56 },
                { title: t('fields.measures'), dataIndex: 'measures', ellipsis: true, render: (v: string, r) => <>{conflictTagOf(r)}<Typography.Link href={`#/task/${encodeURIComponent(r.id)}`} onClick={() => navigate('task', r.id)}>{v}</Typography.Link></> },
                { title: t('fields.term'), dataIndex: 'term', width: 110, render: (v: string) => t(`terms.${v}`) },
                { title: t('fields.responsibleLeader'), dataIndex: 'responsibleLeader', width: 90, ellipsis: true, render: (v: string | null) => v ?? '—' },
                { title: t('fields.responsibleDepartment'), dataIndex: 'responsibleDepartment', width: 110, ellipsis: true, render: (v: string | null) => v ?? '—' },
                { title: t('fields.responsiblePerson'), dataIndex: 'responsiblePerson', width: 80, ellipsis: true, render: (v: string | null) => v ?? '—' },
                {
                  title: t('task.deadline'), dataIndex: 'currentDeadline', width: 120,
                  render: (v: string, r) => (
                    <span>
                      {v}
                      {r.deadline !== v && <div className="xz-muted" style={{ fontSize: 12 }}>{t('task.originalShort', { date: r.deadline })}</div>}
                    </span>
                  ),
                },
                { title: t('fields.status'), dataIndex: 'status', width: 84, render: (v: string) => <Tag color={STATUS_COLOURS[v]}>{t(`status.${v}`)}</Tag> },
                {
                  title: t('task.light'), key: 'light', width: 100,
                  render: (_: unknown, r) => {
                    const c = lights.data?.get(r.id);
                    return c ? <Light light={c.light} daysLeft={c.daysLeft} /> : null;
                  },
                },
              ]}
            />
          )}
      </Card>

      <TaskForm
        open={dialog === 'task'} mode={{ kind: 'create', problemId: p.id, feedbackOn }} onClose={() => setDialog(null)}
        onSaved={() => problem.reload()}
      />
      <ProblemForm open={dialog === 'edit'} problem={p} onClose={() => setDialog(null)} onSaved={() => problem.reload()} />
      <ReasonPrompt
        open={dialog === 'delete'} title={t('problem.deleteTitle')} label={t('problem.deleteReason')} okText={t('problem.deleteOk')}
        hint={p.taskCount > 0 ? t('problem.deleteHasTasks') : t('problem.deleteWarning')} testId="problem-delete-dialog"
        doneText={t('problem.deleted')} onClose={() => setDialog(null)}
        onSubmit={async (reason) => {
          await call('problems:delete', { id: p.id, reason });
          navigate('problems');
        }}
      />
    </div>
  );
}
