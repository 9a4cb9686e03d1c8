import { Col, Form, Input, Row, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useQuery } from '../../components/hooks.js';
import { FORMS, KINDS, LEVELS, type RoundRow } from './shared.js';

interface Values {
  name: string;
  level: RoundRow['level'];
  form?: RoundRow['form'] | null;
  kind: RoundRow['kind'];
  mobilisedOn?: string | null;
  enteredOn?: string | null;
  feedbackOn?: string | null;
  ruleSetId?: string | null;
}

/**
 * 新建/编辑轮次. The order of the three dates (动员部署 ≤ 进驻 ≤ 反馈) is the engine's rule: its
 * message lands on the date it names, so the form does not repeat the check.
 */
export function RoundForm({ round, onClose, onSaved }: { round: RoundRow | null; onClose(): void; onSaved(r: RoundRow): void }) {
  const { t } = useTranslation('rounds');
  const s = useSession();
  const ruleSets = useQuery(() => call('ruleSets:list'), []);
  const office = s.office?.level;
  const initial: Partial<Values> = round
    ? {
      name: round.name, level: round.level, form: round.form, kind: round.kind,
      mobilisedOn: round.mobilisedOn, enteredOn: round.enteredOn, feedbackOn: round.feedbackOn, ruleSetId: round.ruleSetId,
    }
    : { level: office ?? 'province', kind: 'regular' };

  async function submit(v: Values) {
    const arg = {
      name: v.name, level: v.level, kind: v.kind,
      mobilisedOn: v.mobilisedOn ?? null, enteredOn: v.enteredOn ?? null, feedbackOn: v.feedbackOn ?? null,
      // Empty form / rule set: the engine picks the usual form for the level and the rules in force.
      ...(v.form ? { form: v.form } : {}),
      ...(v.ruleSetId ? { ruleSetId: v.ruleSetId } : {}),
    };
    const saved = round ? await call('rounds:update', { id: round.id, ...arg }) : await call('rounds:create', arg);
    onSaved(saved);
  }

  const pick = (field: string) => [{ required: true, message: t('requiredPick', { field }) }];
  return (
    <FormShell<Values>
      title={round ? t('editRound') : t('newRound')} onClose={onClose} onSubmit={submit} initialValues={initial} size={640} testId="round-form"
      doneText={null}
    >
      <Form.Item name="name" label={t('field.name')} rules={[{ required: true, whitespace: true, message: t('required', { field: t('field.name') }) }]}>
        <Input maxLength={200} placeholder={t('namePlaceholder')} autoFocus />
      </Form.Item>
      <Row gutter={12}>
        <Col span={8}>
          <Form.Item name="level" label={t('field.level')} rules={pick(t('field.level'))}>
            <Select options={LEVELS.map((k) => ({ value: k, label: t(`levels.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="form" label={t('field.form')}>
            <Select allowClear placeholder={t('formAuto')} options={FORMS.map((k) => ({ value: k, label: t(`forms.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={8}>
          <Form.Item name="kind" label={t('field.kind')} rules={pick(t('field.kind'))}>
            <Select options={KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Row gutter={12}>
        {(['mobilisedOn', 'enteredOn', 'feedbackOn'] as const).map((f) => (
          <Col span={8} key={f}>
            <Form.Item name={f} label={t(`field.${f}`)}>
              <DateInput />
            </Form.Item>
          </Col>
        ))}
      </Row>
      <Form.Item name="ruleSetId" label={t('field.ruleSetId')}>
        <Select
          allowClear placeholder={t('ruleSetDefault')} loading={ruleSets.loading}
          options={(ruleSets.data ?? []).map((r) => ({ value: r.id, label: t('ruleSetOption', { name: r.name, version: r.ruleVersion }) }))}
        />
      </Form.Item>
    </FormShell>
  );
}
