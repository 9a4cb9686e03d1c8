import { AutoComplete, Checkbox, Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { today } from '../../components/forms/dates.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { SUGGESTION_STATUSES as STATUSES } from '../../../../db/domain/enums.js';

export type SuggestionRecord = Awaited<ResultOf<'suggestions:get'>>;
export const SUGGESTION_STATUSES = STATUSES.codes;

interface SuggestionValues {
  department: string;
  content: string;
  issuedOn: string | null;
  unitId: string | null;
  status?: SuggestionRecord['status'];
  reply?: string | null;
  repliedOn?: string | null;
}

/** 新建/修改移交建议: department (known ones offered as you type), content, date; reply when it has one. */
export function SuggestionForm(p: {
  open: boolean;
  roundId: string | null;
  units: { id: string; name: string }[];
  departments: string[];
  record?: SuggestionRecord | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('supervision');
  const r = p.record;
  const answered = !!r && r.status !== 'pending';
  const req = (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }];

  const submit = async (v: SuggestionValues) => {
    const base = {
      department: v.department.trim(), content: v.content, issuedOn: v.issuedOn ?? '', unitId: v.unitId ?? null,
    };
    const body = answered ? { ...base, status: v.status, reply: v.reply ?? null, repliedOn: v.repliedOn ?? null } : base;
    if (r) await call('suggestions:update', { id: r.id, ...body });
    else await call('suggestions:create', { ...body, roundId: p.roundId });
    p.onSaved();
  };

  return (
    <FormShell<SuggestionValues>
      kind="drawer" open={p.open} onClose={p.onClose} onSubmit={submit} size={600} testId="suggestion-form"
      doneText={r ? t('saved') : t('created')}
      title={r ? t('suggestions.edit') : t('suggestions.create')}
      initialValues={r
        ? { department: r.department, content: r.content, issuedOn: r.issuedOn, unitId: r.unitId, status: r.status, reply: r.reply, repliedOn: r.repliedOn }
        : { issuedOn: today(), unitId: null }}
    >
      <Row gutter={12}>
        <Col span={14}>
          <Form.Item name="department" label={t('suggestions.field.department')} rules={req(t('suggestions.field.department'))}>
            <AutoComplete
              options={p.departments.map((d) => ({ value: d }))} maxLength={200}
              showSearch={{ filterOption: (input, o) => String(o?.value ?? '').includes(input) }}
            />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="issuedOn" label={t('suggestions.field.issuedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('suggestions.field.issuedOn') }) }]}>
            <DateInput placeholder={t('dateHint')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="unitId" label={t('unit')}>
        <Select allowClear placeholder={t('unitNone')} showSearch={{ optionFilterProp: 'label' }} options={p.units.map((u) => ({ value: u.id, label: u.name }))} />
      </Form.Item>
      <Form.Item name="content" label={t('suggestions.field.content')} rules={req(t('suggestions.field.content'))}>
        <Input.TextArea rows={6} maxLength={4000} showCount />
      </Form.Item>
      {answered && (
        <>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="status" label={t('suggestions.field.status')}>
                <Select options={SUGGESTION_STATUSES.filter((s) => s !== 'pending').map((s) => ({ value: s, label: t(`suggestions.statuses.${s}`) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="repliedOn" label={t('suggestions.field.repliedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('suggestions.field.repliedOn') }) }]}>
                <DateInput placeholder={t('dateHint')} />
              </Form.Item>
            </Col>
          </Row>
          <Form.Item name="reply" label={t('suggestions.field.reply')} rules={req(t('suggestions.field.reply'))}>
            <Input.TextArea rows={4} maxLength={4000} />
          </Form.Item>
        </>
      )}
    </FormShell>
  );
}

interface ReplyValues {
  reply: string;
  repliedOn: string | null;
  adopted: boolean;
}

/** 登记回复: the department's reply, and whether it was adopted and done. */
export function SuggestionReplyForm(p: { open: boolean; record: SuggestionRecord | null; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('supervision');
  return (
    <FormShell<ReplyValues>
      open={p.open} onClose={p.onClose} title={t('suggestions.replyTitle')} testId="suggestion-reply-form" size={520}
      initialValues={{ repliedOn: today(), adopted: false }} doneText={t('suggestions.replied')}
      onSubmit={async (v) => {
        await call('suggestions:reply', { id: p.record?.id ?? null, reply: v.reply, repliedOn: v.repliedOn ?? '', adopted: !!v.adopted });
        p.onSaved();
      }}
    >
      {p.record && <p className="xz-cell-text xz-muted">{p.record.department} · {p.record.content}</p>}
      <Form.Item name="repliedOn" label={t('suggestions.field.repliedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('suggestions.field.repliedOn') }) }]}>
        <DateInput placeholder={t('dateHint')} />
      </Form.Item>
      <Form.Item name="reply" label={t('suggestions.field.reply')} rules={[{ required: true, whitespace: true, message: t('required', { field: t('suggestions.field.reply') }) }]}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Form.Item name="adopted" valuePropName="checked">
        <Checkbox>{t('suggestions.field.adopted')}</Checkbox>
      </Form.Item>
    </FormShell>
  );
}
