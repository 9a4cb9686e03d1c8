import { Col, Form, Input, Radio, Row, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { FEEDBACK_KINDS } from './shared.js';

type Done = { onClose(): void; onSaved(): void };

const useReq = () => {
  const { t } = useTranslation('rounds');
  return {
    text: (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }],
    pick: (field: string) => [{ required: true, message: t('requiredPick', { field }) }],
  };
};

/** 录入反馈意见: 集中反馈/一对一反馈, date, 文号, text. Its date starts the statutory clocks. */
export function FeedbackForm({ inspectionId, onClose, onSaved }: { inspectionId: string } & Done) {
  const { t } = useTranslation('rounds');
  const req = useReq();
  interface V { kind: (typeof FEEDBACK_KINDS)[number]; feedbackDate: string; docNumber?: string; body: string }
  return (
    <FormShell<V>
      title={t('unit.addFeedback')} onClose={onClose} size={640} testId="feedback-form" doneText={null} initialValues={{ kind: 'collective' }}
      onSubmit={async (v) => {
        await call('feedback:add', { inspectionId, kind: v.kind, feedbackDate: v.feedbackDate, docNumber: v.docNumber?.trim() || null, body: v.body });
        onSaved();
      }}
    >
      <Row gutter={12}>
        <Col span={9}>
          <Form.Item name="kind" label={t('fbField.kind')} rules={req.pick(t('fbField.kind'))}>
            <Radio.Group optionType="button" options={FEEDBACK_KINDS.map((k) => ({ value: k, label: t(`fbKinds.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={7}>
          <Form.Item name="feedbackDate" label={t('fbField.feedbackDate')} rules={req.pick(t('fbField.feedbackDate'))}>
            <DateInput />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="docNumber" label={t('fbField.docNumber')}>
            <Input maxLength={100} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="body" label={t('fbField.body')} rules={req.text(t('fbField.body'))}>
        <Input.TextArea rows={6} maxLength={20000} />
      </Form.Item>
    </FormShell>
  );
}

/** 登记主要负责人 (the first one; later changes go through a handover). */
export function LeaderForm({ unitId, onClose, onSaved }: { unitId: string } & Done) {
  const { t } = useTranslation('rounds');
  const req = useReq();
  interface V { name: string; post: string; fromDate: string }
  return (
    <FormShell<V>
      title={t('unit.setLeader')} onClose={onClose} size={520} testId="leader-form" doneText={null}
      onSubmit={async (v) => {
        await call('units:setLeader', { unitId, name: v.name, post: v.post, fromDate: v.fromDate });
        onSaved();
      }}
    >
      <Row gutter={12}>
        <Col span={10}><Form.Item name="name" label={t('leaderField.name')} rules={req.text(t('leaderField.name'))}><Input maxLength={100} /></Form.Item></Col>
        <Col span={14}><Form.Item name="post" label={t('leaderField.post')} rules={req.text(t('leaderField.post'))}><Input maxLength={200} /></Form.Item></Col>
      </Row>
      <Form.Item name="fromDate" label={t('leaderField.fromDate')} rules={req.pick(t('leaderField.fromDate'))}>
        <DateInput style={{ width: 180 }} />
      </Form.Item>
    </FormShell>
  );
}

/** 整改责任交接: the engine ends the current term and records the open-task count. */
export function HandoverForm({ unitId, onClose, onSaved }: { unitId: string; onClose(): void; onSaved(openTaskCount: number): void }) {
  const { t } = useTranslation('rounds');
  const req = useReq();
  interface V { date: string; toName: string; toPost: string; notes?: string }
  return (
    <FormShell<V>
      title={t('unit.handover')} onClose={onClose} testId="handover-form" doneText={null}
      onSubmit={async (v) => {
        const r = await call('units:handover', { unitId, date: v.date, toName: v.toName, toPost: v.toPost, notes: v.notes?.trim() || null });
        onSaved(r.handover.openTaskCount);
      }}
    >
      <Typography.Paragraph type="secondary">{t('handoverHint')}</Typography.Paragraph>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="date" label={t('handoverField.date')} rules={req.pick(t('handoverField.date'))}>
            <DateInput />
          </Form.Item>
        </Col>
        <Col span={7}><Form.Item name="toName" label={t('handoverField.toName')} rules={req.text(t('handoverField.toName'))}><Input maxLength={100} /></Form.Item></Col>
        <Col span={9}><Form.Item name="toPost" label={t('handoverField.toPost')} rules={req.text(t('handoverField.toPost'))}><Input maxLength={200} /></Form.Item></Col>
      </Row>
      <Form.Item name="notes" label={t('handoverField.notes')}>
        <Input.TextArea rows={3} maxLength={4000} />
      </Form.Item>
    </FormShell>
  );
}

/** 列为整顿单位 (a note saying why is required) or 解除整顿. */
export function OverhaulForm({ unitId, underOverhaul, onClose, onSaved }: { unitId: string; underOverhaul: boolean } & Done) {
  const { t } = useTranslation('rounds');
  const req = useReq();
  const setting = !underOverhaul;
  return (
    <FormShell<{ note?: string }>
      title={setting ? t('unit.setOverhaul') : t('unit.liftOverhaul')} onClose={onClose} size={480} testId="overhaul-form" doneText={null}
      onSubmit={async (v) => {
        await call('units:setOverhaul', { unitId, underOverhaul: setting, note: v.note?.trim() || null });
        onSaved();
      }}
    >
      <Form.Item
        name="note" label={setting ? t('unit.overhaulNote') : t('unit.overhaulLiftNote')}
        rules={setting ? req.text(t('unit.overhaulNote')) : []}
      >
        <Input.TextArea rows={3} maxLength={4000} autoFocus />
      </Form.Item>
    </FormShell>
  );
}
