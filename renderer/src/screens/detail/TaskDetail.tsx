/**
 * '#/task/<id>': one rectification task (整改任务) — its fields and traffic light with both the
 * original and the extended deadline, staged goals, the progress timeline, evidence with SHA-256
 * and preview, the close-out flow (开始推进 → 申请销号 → 同意销号 / 退回; 重新打开), extension
 * requests and the full audit history. Buttons appear only when role and state allow them; the
 * engine refuses anyway.
 */
import {
  ArrowLeftOutlined, AuditOutlined, CalendarOutlined, EditOutlined, MoreOutlined, PlayCircleOutlined, PlusOutlined,
  RollbackOutlined, SendOutlined, StopOutlined, UploadOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Card, Col, Descriptions, Dropdown, Row, Space, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState, Light, Loading } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { CloseoutHistory, ReviewDialog, SubmitCloseoutDialog } from './Closeout.js';
import { EvidencePreview } from './EvidencePreview.js';
import { EvidenceTable } from './EvidenceTable.js';
import { EvidenceUpload } from './EvidenceUpload.js';
import { ExtensionDecideDialog, ExtensionRequestDialog, ExtensionTable } from './Extensions.js';
import { HistoryTimeline } from './HistoryTimeline.js';
import { ProgressDialog, ProgressTimeline } from './ProgressTimeline.js';
import { StagesList } from './StagesList.js';
import { TaskForm } from './TaskForm.js';
import { dateTime } from './format.js';
import { STATUS_COLOURS, type Evidence, type Extension, type Progress } from './types.js';
import { useUserNames } from './useUsers.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { goBack } from './ProblemDetail.js';
import { ConflictBanner } from '../exchange/ConflictFlag.js';

type Dialog = 'progress' | 'upload' | 'submit' | 'review' | 'extension' | 'reopen' | 'edit' | 'drop';

/** `id` lets a list show this view in a drawer beside it; as a route it reads the id from the hash. */
export function TaskDetail({ id: idProp }: { id?: string } = {}) {
  const { t } = useTranslation('tasks');
  const { t: tc } = useTranslation();
  const { message } = App.useApp();
  const report = useErrorReport();
  const s = useSession();
  const route = useRoute();
  const id = idProp ?? route.id;
  const bundle = useQuery(() => call('tasks:get', { id }), [id]);
  const b = bundle.data;
  const task = b?.task;
  const clock = useQuery(() => call('clocks:task', { taskId: id }), [id, task?.version]);
  const problem = useQuery(() => (task ? call('problems:get', { id: task.problemId }) : Promise.resolve(null)), [task?.problemId]);
  const userName = useUserNames();
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [uploadOwner, setUploadOwner] = useState('task');
  const [removeProgress, setRemoveProgress] = useState<Progress | null>(null);
  const [removeEvidence, setRemoveEvidence] = useState<Evidence | null>(null);
  const [decide, setDecide] = useState<Extension | null>(null);
  const [preview, setPreview] = useState<Evidence | null>(null);
  const [starting, setStarting] = useState(false);

  const canWrite = s.can('ledger.write');
  const canReview = s.can('task.review');
  const status = task?.status;
  const editable = canWrite && (status === 'draft' || status === 'in_progress');

  useWindowEvent('xz:new', () => {
    if (editable && !dialog) setDialog('progress');
  });

  if (bundle.error) return <ErrorState error={bundle.error} onRetry={bundle.reload} />;
  if (!b || !task) return <Loading />;

  const reload = () => bundle.reload();
  const close = () => setDialog(null);
  const pendingExt = b.extensions.find((e) => e.status === 'pending');
  const pendingCloseout = b.closeouts.find((c) => c.decision === 'pending');
  const lastCloseout = b.closeouts[0];
  const ownSubmission = task.submittedBy === s.user.id;
  const extended = task.deadline !== task.currentDeadline;
  const problemData = problem.data;
  const historyIds = [
    task.id, ...b.stages.map((x) => x.id), ...b.progress.map((x) => x.id), ...b.evidence.map((x) => x.id),
    ...b.extensions.map((x) => x.id), ...b.closeouts.map((x) => x.id),
  ];

  async function start() {
    setStarting(true);
    try {
      await call('tasks:start', { id: task!.id });
      void message.success(t('task.started'));
      reload();
    } catch (e) {
      report(e);
    } finally {
      setStarting(false);
    }
  }

  const more = [
    ...(canWrite && status !== 'pending_review' ? [{ key: 'edit', icon: <EditOutlined />, label: t('task.edit') }] : []),
    ...(canWrite && status !== 'pending_review' ? [{ key: 'drop', icon: <StopOutlined />, label: t('task.drop'), danger: true }] : []),
  ];

  const actions = (
    <Space wrap size={6} data-testid="task-actions">
      {canWrite && status === 'draft' && (
        <Button size="small" type="primary" icon={<PlayCircleOutlined />} loading={starting} onClick={() => void start()}>{t('task.start')}</Button>
      )}
      {editable && <Button size="small" icon={<PlusOutlined />} onClick={() => setDialog('progress')}>{t('task.addProgress')}</Button>}
      {editable && (
        <Button size="small" icon={<UploadOutlined />} onClick={() => { setUploadOwner('task'); setDialog('upload'); }}>{t('task.upload')}</Button>
      )}
      {canWrite && status === 'in_progress' && (
        <Button size="small" type="primary" icon={<SendOutlined />} onClick={() => setDialog('submit')}>{t('task.submit')}</Button>
      )}
      {canReview && status === 'pending_review' && !ownSubmission && (
        <Button size="small" type="primary" icon={<AuditOutlined />} onClick={() => setDialog('review')}>{t('task.review')}</Button>
      )}
      {canWrite && (status === 'draft' || status === 'in_progress') && !pendingExt && (
        <Button size="small" icon={<CalendarOutlined />} onClick={() => setDialog('extension')}>{t('task.requestExtension')}</Button>
      )}
      {canReview && status === 'closed' && (
        <Button size="small" icon={<RollbackOutlined />} onClick={() => setDialog('reopen')}>{t('task.reopen')}</Button>
      )}
      {more.length > 0 && (
        <Dropdown menu={{ items: more, onClick: (e) => setDialog(e.key as Dialog) }}>
          <Button size="small" icon={<MoreOutlined />} aria-label={tc('actions.more')} />
        </Dropdown>
      )}
    </Space>
  );

  return (
    <div className="xz-page" data-testid="task-detail">
      <Space style={{ marginBottom: 8 }} wrap>
        {!idProp && <Button size="small" icon={<ArrowLeftOutlined />} onClick={() => goBack('tasks')}>{t('back')}</Button>}
        <PageTitle level={idProp ? 2 : 1} style={{ margin: 0 }}>
          {t('task.title', { problem: problemData?.seq ?? '…', seq: task.seq })}
        </PageTitle>
        <Tag color={STATUS_COLOURS[task.status]} data-testid="task-status">{t(`status.${task.status}`)}</Tag>
        {clock.data && <Light light={clock.data.light} daysLeft={clock.data.daysLeft} />}
        {task.secondRound && <Tag color="volcano">{t('task.secondRound')}</Tag>}
        {task.returnCount > 0 && <Tag color="orange">{t('task.returned', { n: task.returnCount })}</Tag>}
        {pendingExt && <Tag color="gold">{t('task.extensionPending')}</Tag>}
      </Space>
      <ConflictBanner table="tasks" id={task.id} version={b} />

      {status === 'pending_review' && canReview && ownSubmission && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('task.ownSubmission')} />}
      {status === 'pending_review' && !canReview && <Alert type="info" showIcon style={{ marginBottom: 8 }} title={t('task.awaitingReview')} />}
      {status === 'in_progress' && lastCloseout?.decision === 'returned' && (
        <Alert
          type="warning" showIcon style={{ marginBottom: 8 }} data-testid="returned-alert"
          title={t('task.returnedAlert', { name: userName(lastCloseout.reviewerId), at: dateTime(lastCloseout.decidedAt) })}
          description={<span style={{ whiteSpace: 'pre-wrap' }}>{lastCloseout.comment ?? '—'}</span>}
        />
      )}

      <Card size="small" title={t('task.info')} extra={actions}>
        <Descriptions
          size="small" bordered column={3} data-testid="task-fields"
          items={[
            {
              key: 'problem', label: t('task.problem'), span: 3,
              children: problemData
                ? <Typography.Link href={`#/problem/${encodeURIComponent(task.problemId)}`} onClick={() => navigate('problem', task.problemId)} ellipsis style={{ maxWidth: 900 }}>{t('task.problemLink', { seq: problemData.seq, text: problemData.description })}</Typography.Link>
                : '—',
            },
            { key: 'measures', label: t('fields.measures'), span: 3, children: <span style={{ whiteSpace: 'pre-wrap' }} data-testid="task-measures">{task.measures}</span> },
            { key: 'term', label: t('fields.term'), children: t(`terms.${task.term}`) },
            { key: 'leader', label: t('fields.responsibleLeader'), children: task.responsibleLeader ?? '—' },
            { key: 'dept', label: t('fields.responsibleDepartment'), children: task.responsibleDepartment ?? '—' },
            { key: 'person', label: t('fields.responsiblePerson'), children: task.responsiblePerson ?? '—' },
            { key: 'deadline', label: t('fields.deadline'), children: <span data-testid="deadline-original">{task.deadline}</span> },
            {
              key: 'current', label: t('fields.currentDeadline'),
              children: (
                <Space size={4}>
                  <span data-testid="deadline-current">{task.currentDeadline}</span>
                  {extended && <Tag color="gold">{t('task.extended')}</Tag>}
                </Space>
              ),
            },
            { key: 'completed', label: t('fields.completedOn'), children: task.completedOn ?? '—' },
            { key: 'ontime', label: t('fields.reportedOnTime'), children: task.reportedOnTime === null ? '—' : task.reportedOnTime ? t('yes') : t('no') },
            { key: 'closed', label: t('fields.closedAt'), children: dateTime(task.closedAt) },
            ...(task.remark ? [{ key: 'remark', label: t('fields.remark'), span: 3, children: <span style={{ whiteSpace: 'pre-wrap' }}>{task.remark}</span> }] : []),
            ...(task.notForDisclosure ? [{ key: 'nfd', label: t('fields.notForDisclosure'), span: 3, children: task.notForDisclosureReason ?? '—' }] : []),
          ]}
        />
      </Card>

      {(task.term === 'long_term' || b.stages.length > 0) && (
        <Card size="small" title={t('stages.title')} style={{ marginTop: 12 }}>
          <StagesList stages={b.stages} canEdit={editable} onChanged={reload} />
        </Card>
      )}

      <Row gutter={12} style={{ marginTop: 12 }}>
        <Col xs={24} xl={10}>
          <Card
            size="small" title={t('progress.title', { n: b.progress.length })}
            extra={editable && <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => setDialog('progress')}>{t('task.addProgress')}</Button>}
          >
            <ProgressTimeline
              progress={b.progress} evidence={b.evidence} canEdit={editable} userName={userName} onPreview={setPreview}
              onAttach={(pid) => { setUploadOwner(pid); setDialog('upload'); }} onRemove={setRemoveProgress}
              emptyHint={editable ? t('progress.emptyEdit') : t('progress.empty')}
            />
          </Card>
        </Col>
        <Col xs={24} xl={14}>
          <Card
            size="small" title={t('evidence.title', { n: b.evidence.length })}
            extra={editable && <Button size="small" type="link" icon={<UploadOutlined />} onClick={() => { setUploadOwner('task'); setDialog('upload'); }}>{t('task.upload')}</Button>}
          >
            <EvidenceTable
              evidence={b.evidence} progress={b.progress} canEdit={editable} onPreview={setPreview} onRemove={setRemoveEvidence}
              emptyHint={editable ? t('evidence.emptyEdit') : t('evidence.empty')}
            />
          </Card>
        </Col>
      </Row>

      <Card size="small" style={{ marginTop: 12 }}>
        <Tabs
          size="small"
          items={[
            { key: 'closeout', label: t('closeout.tab', { n: b.closeouts.length }), children: <CloseoutHistory closeouts={b.closeouts} userName={userName} /> },
            {
              key: 'extensions', label: t('extension.tab', { n: b.extensions.length }),
              children: (
                <ExtensionTable
                  requests={b.extensions} userName={userName} onDecide={setDecide}
                  canDecide={(r) => s.can('extension.decide') && r.requestedBy !== s.user.id}
                />
              ),
            },
            { key: 'history', label: t('history.tab'), children: <HistoryTimeline ids={historyIds} reloadKey={task.version} userName={userName} exportOf={{ entity: 'tasks', entityId: task.id, label: `${problemData?.seq ?? ''}-${task.seq}` }} /> },
          ]}
        />
      </Card>

      <ProgressDialog open={dialog === 'progress'} taskId={task.id} onClose={close} onSaved={reload} />
      <EvidenceUpload open={dialog === 'upload'} taskId={task.id} progress={b.progress} owner={uploadOwner} onClose={close} onSaved={reload} />
      <SubmitCloseoutDialog open={dialog === 'submit'} task={task} evidenceCount={b.evidence.length} onClose={close} onSaved={reload} />
      <ReviewDialog
        open={dialog === 'review'} task={task} pending={pendingCloseout} evidence={b.evidence} userName={userName}
        onPreview={setPreview} onClose={close} onSaved={reload}
      />
      <ExtensionRequestDialog open={dialog === 'extension'} task={task} onClose={close} onSaved={reload} />
      <ExtensionDecideDialog request={decide} userName={userName} onClose={() => setDecide(null)} onSaved={reload} />
      <TaskForm open={dialog === 'edit'} mode={{ kind: 'edit', task }} onClose={close} onSaved={reload} />
      <ReasonPrompt
        open={dialog === 'reopen'} title={t('task.reopenTitle')} label={t('task.reopenReason')} okText={t('task.reopen')} danger={false}
        hint={t('task.reopenWarning')} testId="reopen-dialog" doneText={t('task.reopened')} onClose={close}
        onSubmit={async (reason) => { await call('tasks:reopen', { id: task.id, reason }); reload(); }}
      />
      <ReasonPrompt
        open={dialog === 'drop'} title={t('task.dropTitle')} label={t('task.dropReason')} okText={t('task.drop')}
        hint={t('task.dropWarning')} testId="drop-dialog" doneText={t('task.dropped')} onClose={close}
        onSubmit={async (reason) => { await call('tasks:drop', { id: task.id, reason }); navigate('problem', task.problemId); }}
      />
      <ReasonPrompt
        open={!!removeProgress} title={t('progress.removeTitle')} label={t('progress.removeReason')} okText={t('progress.remove')}
        hint={removeProgress ? t('progress.removeWarning', { date: removeProgress.entryDate }) : undefined} testId="progress-remove-dialog"
        doneText={t('progress.removed')} onClose={() => setRemoveProgress(null)}
        onSubmit={async (reason) => { await call('progress:remove', { id: removeProgress!.id, reason }); reload(); }}
      />
      <ReasonPrompt
        open={!!removeEvidence} title={t('evidence.removeTitle')} label={t('evidence.removeReason')} okText={t('evidence.remove')}
        hint={removeEvidence ? t('evidence.removeWarning', { name: removeEvidence.fileName }) : undefined} testId="evidence-remove-dialog"
        doneText={t('evidence.removed')} onClose={() => setRemoveEvidence(null)}
        onSubmit={async (reason) => { await call('evidence:remove', { id: removeEvidence!.id, reason }); reload(); }}
      />
      <EvidencePreview evidence={preview} onClose={() => setPreview(null)} />
    </div>
  );
}
