import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { RECEIVING_ORGANS } from './clue-rules.js';

export type ClueRecord = Awaited<ResultOf<'clues:get'>>;

export interface ClueValues {
  subjectName: string;
  subjectPost: string;
  receivedOn: string | null;
  receivingOrgan: ClueRecord['receivingOrgan'];
  unitId: string | null;
  summary: string;
}

export interface UnitOption {
  id: string;
  name: string;
}

/** 登记问题线索 / 修改线索: the particulars of a clue (its disposition changes only by steps). */
export function ClueForm(p: {
  open: boolean;
  roundId: string | null;
  units: UnitOption[];
  /** The clue being edited; absent when recording a new one. */
  clue?: ClueRecord | null;
  onClose(): void;
  onSaved(id: string): void;
}) {
  const { t } = useTranslation('clues');
  const editing = !!p.clue;
  const req = (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }];
  const pick = (field: string) => [{ required: true, message: t('requiredPick', { field }) }];

  const initial: Partial<ClueValues> = p.clue
    ? {
      subjectName: p.clue.subjectName, subjectPost: p.clue.subjectPost, receivedOn: p.clue.receivedOn,
      receivingOrgan: p.clue.receivingOrgan, unitId: p.clue.unitId, summary: p.clue.summary,
    }
    : { receivingOrgan: 'ccdi', unitId: null };

  const submit = async (v: ClueValues) => {
    const body = {
      subjectName: v.subjectName, subjectPost: v.subjectPost, receivedOn: v.receivedOn ?? '',
      receivingOrgan: v.receivingOrgan, unitId: v.unitId ?? null, summary: v.summary,
    };
    const r = p.clue ? await call('clues:update', { id: p.clue.id, ...body }) : await call('clues:create', { ...body, roundId: p.roundId });
    p.onSaved(r.id);
  };

  return (
    <FormShell<ClueValues>
      kind="drawer" open={p.open} title={editing ? t('edit.title') : t('create.title')} initialValues={initial}
      onClose={p.onClose} onSubmit={submit} size={600} testId="clue-form" doneText={editing ? t('saved') : t('created')}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="subjectName" label={t('field.subjectName')} rules={req(t('field.subjectName'))}>
            <Input maxLength={100} autoComplete="off" />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="subjectPost" label={t('field.subjectPost')} rules={req(t('field.subjectPost'))}>
            <Input maxLength={200} autoComplete="off" />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="receivedOn" label={t('field.receivedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('field.receivedOn') }) }]}>
            <DateInput placeholder={t('dateHint')} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="receivingOrgan" label={t('field.receivingOrgan')} rules={pick(t('field.receivingOrgan'))}>
            <Select options={RECEIVING_ORGANS.map((o) => ({ value: o, label: t(`organs.${o}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="unitId" label={t('field.unit')}>
        <Select
          allowClear placeholder={t('field.unitNone')} showSearch={{ optionFilterProp: 'label' }}
          options={p.units.map((u) => ({ value: u.id, label: u.name }))}
        />
      </Form.Item>
      <Form.Item name="summary" label={t('field.summary')} rules={req(t('field.summary'))}>
        <Input.TextArea rows={6} maxLength={4000} showCount />
      </Form.Item>
    </FormShell>
  );
}
