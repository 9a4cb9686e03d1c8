import { Col, DatePicker, Form, Input, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { DAY, toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import type { TaskOption } from './EvaluationDrawer.js';
import { FORM_CODES, REASON_CODES, type AccountabilityForm, type AccountabilityReason } from './vocab.js';

interface Values {
  personName?: string;
  post?: string;
  reason?: AccountabilityReason;
  form?: AccountabilityForm;
  decidedOn?: Dayjs | null;
  note?: string;
  problemIds?: string[];
  taskIds?: string[];
}

/** 问责记录: who was held accountable, why, in what form, and which problems/tasks it concerns. */
export function AccountabilityDrawer({ roundId, unitId, problems, tasks, onClose, onSaved }: {
  roundId: string; unitId: string; problems: TaskOption[]; tasks: TaskOption[]; onClose(): void; onSaved(): void;
}) {
  const { t } = useTranslation('ratings');

  async function save(v: Values) {
    await call('accountability:create', {
      roundId, unitId, personName: v.personName ?? null, post: v.post ?? null, reason: v.reason ?? null, form: v.form ?? null,
      decidedOn: toDay(v.decidedOn), note: v.note ?? null, problemIds: v.problemIds ?? [], taskIds: v.taskIds ?? [],
    });
    onSaved();
  }

  const required = (label: string) => [{ required: true, message: t('required', { field: label }) }];
  return (
    <FormShell<Values> kind="drawer" title={t('accNew')} onClose={onClose} onSubmit={save}>
      <Row gutter={12}>
        <Col span={12}><Form.Item name="personName" label={t('personName')} rules={required(t('personName'))}><Input maxLength={100} /></Form.Item></Col>
        <Col span={12}><Form.Item name="post" label={t('post')} rules={required(t('post'))}><Input maxLength={200} /></Form.Item></Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="reason" label={t('accReason')} rules={required(t('accReason'))}>
            <Select options={REASON_CODES.map((c) => ({ value: c, label: t(`reasons.${c}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="form" label={t('accForm')} rules={required(t('accForm'))}>
            <Select options={FORM_CODES.map((c) => ({ value: c, label: t(`forms.${c}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="decidedOn" label={t('decidedOn')} rules={required(t('decidedOn'))}>
        <DatePicker format={DAY} style={{ width: '100%' }} />
      </Form.Item>
      <Form.Item name="problemIds" label={t('linkedProblems')}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={problems} notFoundContent={t('noProblems')} maxTagTextLength={24} />
      </Form.Item>
      <Form.Item name="taskIds" label={t('linkedTasks')}>
        <Select mode="multiple" showSearch={{ optionFilterProp: 'label' }} options={tasks} notFoundContent={t('noTasks')} maxTagTextLength={24} />
      </Form.Item>
      <Form.Item name="note" label={t('note')}><Input.TextArea autoSize={{ minRows: 3, maxRows: 8 }} /></Form.Item>
    </FormShell>
  );
}
