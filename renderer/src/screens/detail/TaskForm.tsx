/**
 * 新增/编辑整改任务: measures, term (立行立改 / 集中整改期内 / 长期坚持 with staged goals),
 * responsible leader/department/person and deadline. The engine checks the deadline against the
 * feedback date; its refusal lands on the field.
 */
import { MinusCircleOutlined, PlusOutlined } from '@ant-design/icons';
import { Alert, Button, Col, DatePicker, Form, Input, Radio, Row, Space } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { TASK_TERMS, type Task } from './types.js';

interface StageValues { goal: string; dueDate: Dayjs | null }
export interface TaskValues {
  measures: string;
  term: (typeof TASK_TERMS)[number];
  stages?: StageValues[];
  responsibleLeader?: string;
  responsibleDepartment?: string;
  responsiblePerson?: string;
  deadline: Dayjs | null;
  remark?: string;
  reason?: string;
}

export type TaskFormMode = { kind: 'create'; problemId: string; feedbackOn: string | null } | { kind: 'edit'; task: Task };

export function TaskForm({ open, mode, onClose, onSaved }: { open: boolean; mode: TaskFormMode; onClose(): void; onSaved(id: string): void }) {
  const { t } = useTranslation('tasks');
  const [form] = Form.useForm<TaskValues>();
  const term = Form.useWatch('term', form);
  const edit = mode.kind === 'edit' ? mode.task : null;
  const deadlineLocked = !!edit && edit.status !== 'draft';

  const initial: Partial<TaskValues> = edit
    ? {
        measures: edit.measures, term: edit.term, responsibleLeader: edit.responsibleLeader ?? '',
        responsibleDepartment: edit.responsibleDepartment ?? '', responsiblePerson: edit.responsiblePerson ?? '',
        deadline: dayjs(edit.deadline), remark: edit.remark ?? '',
      }
    : { term: 'concentrated', stages: [] };

  async function save(v: TaskValues) {
    const common = {
      measures: v.measures, term: v.term, responsibleLeader: v.responsibleLeader ?? null,
      responsibleDepartment: v.responsibleDepartment ?? null, responsiblePerson: v.responsiblePerson ?? null, remark: v.remark ?? null,
    };
    if (mode.kind === 'create') {
      const stages = v.term === 'long_term' ? (v.stages ?? []).map((s) => ({ goal: s.goal, dueDate: toDay(s.dueDate) })) : undefined;
      const created = await call('tasks:create', { problemId: mode.problemId, ...common, deadline: toDay(v.deadline), stages });
      onSaved(created.id);
    } else {
      const updated = await call('tasks:update', {
        id: mode.task.id, ...common, ...(deadlineLocked ? {} : { deadline: toDay(v.deadline) }), reason: v.reason ?? null,
      });
      onSaved(updated.id);
    }
  }

  return (
    <FormShell<TaskValues>
      kind="drawer" open={open} form={form} size={620} testId="task-form" initialValues={initial}
      title={edit ? t('taskForm.editTitle') : t('taskForm.newTitle')} onClose={onClose} onSubmit={save}
      okText={t('taskForm.save')}
    >
      {mode.kind === 'create' && mode.feedbackOn && (
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('taskForm.feedbackHint', { date: mode.feedbackOn })} />
      )}
      <Form.Item name="measures" label={t('fields.measures')} rules={[{ required: true, whitespace: true, message: t('taskForm.measuresRequired') }]}>
        <Input.TextArea rows={4} maxLength={4000} showCount placeholder={t('taskForm.measuresPlaceholder')} />
      </Form.Item>
      <Form.Item name="term" label={t('fields.term')} rules={[{ required: true, message: t('taskForm.termRequired') }]} extra={t(`termHints.${term ?? 'concentrated'}`)}>
        <Radio.Group optionType="button" buttonStyle="solid" options={TASK_TERMS.map((k) => ({ value: k, label: t(`terms.${k}`) }))} />
      </Form.Item>
      {term === 'long_term' && mode.kind === 'create' && (
        <Form.Item label={t('fields.stages')} extra={t('taskForm.stagesHint')}>
          <Form.List name="stages">
            {(items, { add, remove }) => (
              <>
                {items.map((it, k) => (
                  <Space key={it.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                    <span className="xz-muted">{t('stages.nth', { n: k + 1 })}</span>
                    <Form.Item name={[it.name, 'goal']} rules={[{ required: true, whitespace: true, message: t('taskForm.stageGoalRequired') }]} style={{ marginBottom: 4 }}>
                      <Input placeholder={t('fields.goal')} style={{ width: 300 }} maxLength={1000} />
                    </Form.Item>
                    <Form.Item name={[it.name, 'dueDate']} rules={[{ required: true, message: t('taskForm.stageDueRequired') }]} style={{ marginBottom: 4 }}>
                      <DatePicker placeholder={t('fields.dueDate')} style={{ width: 140 }} />
                    </Form.Item>
                    <MinusCircleOutlined onClick={() => remove(it.name)} aria-label={t('taskForm.removeStage')} />
                  </Space>
                ))}
                <Button type="dashed" icon={<PlusOutlined />} onClick={() => add({ goal: '', dueDate: null })}>{t('taskForm.addStage')}</Button>
              </>
            )}
          </Form.List>
        </Form.Item>
      )}
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="responsibleLeader" label={t('fields.responsibleLeader')}><Input maxLength={100} /></Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="responsibleDepartment" label={t('fields.responsibleDepartment')}><Input maxLength={100} /></Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="responsiblePerson" label={t('fields.responsiblePerson')}><Input maxLength={100} /></Form.Item>
        </Col>
      </Row>
      <Form.Item
        name="deadline" label={t('taskForm.deadline')} rules={[{ required: true, message: t('taskForm.deadlineRequired') }]}
        extra={deadlineLocked ? t('taskForm.deadlineLocked') : undefined}
      >
        <DatePicker disabled={deadlineLocked} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="remark" label={t('fields.remark')}>
        <Input.TextArea rows={2} maxLength={4000} />
      </Form.Item>
      {edit?.status === 'closed' && (
        <Form.Item name="reason" label={t('taskForm.reopenReason')} extra={t('taskForm.reopenHint')}>
          <Input.TextArea rows={2} maxLength={200} />
        </Form.Item>
      )}
    </FormShell>
  );
}
