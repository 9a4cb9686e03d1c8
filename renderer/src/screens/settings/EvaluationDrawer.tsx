import { App, Checkbox, Col, DatePicker, Form, Input, InputNumber, Radio, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { DAY, fromDay, toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { GRADE_CODES, type Grade } from './vocab.js';

export type Evaluation = Awaited<ResultOf<'evaluations:list'>>['items'][number];
export interface TaskOption { value: string; label: string }

interface Values {
  targetType: 'unit' | 'task';
  targetId?: string;
  grade?: Grade;
  score?: number | null;
  findings?: string;
  evaluatedOn?: Dayjs | null;
  isLookback?: boolean;
}

/**
 * 整改评估 / 回头看 of the unit or one of its tasks. A 差 grade opens 二次整改 (the unit's inspection is
 * marked; a task goes back to 推进中 and loses its close-out), so it is confirmed before saving.
 */
export function EvaluationDrawer({ inspectionId, unitName, tasks, evaluation, onClose, onSaved }: {
  inspectionId: string;
  unitName: string;
  tasks: TaskOption[];
  evaluation: Evaluation | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('ratings');
  const { t: tc } = useTranslation();
  const { modal } = App.useApp();

  /** A 差 grade that opens 二次整改 is confirmed first; declining keeps the form open as it is. */
  const confirmed = (v: Values) => new Promise<boolean>((resolve) => {
    if (v.grade !== 'poor' || evaluation?.opensSecondRound) return resolve(true);
    modal.confirm({
      title: t('poorConfirmTitle'),
      content: v.targetType === 'unit' ? t('poorConfirmUnit', { unit: unitName }) : t('poorConfirmTask'),
      okText: t('poorConfirmOk'), okButtonProps: { danger: true }, cancelText: tc('actions.cancel'),
      onOk: () => resolve(true), onCancel: () => resolve(false),
    });
  });

  async function save(v: Values) {
    if (!(await confirmed(v))) return false;
    const body = {
      grade: v.grade ?? null, score: v.score ?? null, findings: v.findings ?? null, evaluatedOn: toDay(v.evaluatedOn), isLookback: v.isLookback === true,
    };
    if (evaluation) await call('evaluations:update', { id: evaluation.id, ...body });
    else await call('evaluations:create', { inspectionId, targetType: v.targetType, targetId: v.targetType === 'task' ? v.targetId : undefined, ...body });
    onSaved();
  }

  const required = (label: string) => [{ required: true, message: t('required', { field: label }) }];
  const fixed = evaluation !== null;
  return (
    <FormShell<Values>
      kind="drawer" title={evaluation ? t('evalEdit') : t('evalNew')} onClose={onClose} onSubmit={save}
      initialValues={{
        targetType: evaluation?.targetType ?? 'unit', targetId: evaluation?.targetType === 'task' ? evaluation.targetId : undefined,
        grade: evaluation?.grade, score: evaluation?.score ?? null, findings: evaluation?.findings ?? undefined,
        evaluatedOn: fromDay(evaluation?.evaluatedOn), isLookback: evaluation?.isLookback ?? false,
      }}
    >
      <Form.Item name="targetType" label={t('target')}>
        <Radio.Group disabled={fixed} options={[{ value: 'unit', label: t('targetUnit') }, { value: 'task', label: t('targetTask') }]} />
      </Form.Item>
      <Form.Item noStyle shouldUpdate={(a, b) => a.targetType !== b.targetType}>
        {({ getFieldValue }) => getFieldValue('targetType') === 'task' && (
          <Form.Item name="targetId" label={t('task')} rules={required(t('task'))}>
            <Select disabled={fixed} showSearch={{ optionFilterProp: 'label' }} options={tasks} notFoundContent={t('noTasks')} />
          </Form.Item>
        )}
      </Form.Item>
      <Form.Item name="grade" label={t('grade')} rules={required(t('grade'))}>
        <Radio.Group optionType="button" buttonStyle="solid" options={GRADE_CODES.map((g) => ({ value: g, label: t(`grades.${g}`) }))} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="score" label={t('score')}><InputNumber min={0} max={100} style={{ width: '100%' }} /></Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="evaluatedOn" label={t('evaluatedOn')} rules={required(t('evaluatedOn'))}>
            <DatePicker format={DAY} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="isLookback" valuePropName="checked"><Checkbox>{t('lookback')}</Checkbox></Form.Item>
      <Form.Item name="findings" label={t('findings')}><Input.TextArea autoSize={{ minRows: 4, maxRows: 12 }} /></Form.Item>
    </FormShell>
  );
}
