import { Alert, Form, Input, InputNumber, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client.js';
import { today } from '../../components/forms/dates.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { allowedOutcomes, CLUE_REACTIVATION_TARGETS, nextWays, type ClueDisposition, type ClueOutcome } from './clue-rules.js';
import type { ClueRecord } from './ClueForm.js';
import { fenToYuanPlain, yuanToFen } from './money.js';

export type StepKind = 'dispose' | 'reactivate' | 'outcome' | 'reply';

interface StepValues {
  way: ClueDisposition;
  decidedOn: string | null;
  letterSentOn: string | null;
  note: string;
  reason: string;
}

/**
 * 处置 (one of the legal next ways) or 重新启用 (a 暂存待查 clue with new facts). Only the ways the
 * disposition table allows from the clue's current state are offered; the engine checks again.
 */
export function DisposeForm(p: { kind: 'dispose' | 'reactivate'; open: boolean; clue: ClueRecord; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('clues');
  const [form] = Form.useForm<StepValues>();
  const way = Form.useWatch('way', form);
  const ways = p.kind === 'reactivate' ? CLUE_REACTIVATION_TARGETS : nextWays(p.clue.disposition);
  const noteField = p.kind === 'reactivate' ? 'reason' : 'note';
  const noteLabel = p.kind === 'reactivate' ? t('field.reason') : t('field.note');

  const submit = async (v: StepValues) => {
    const arg = {
      clueId: p.clue.id, way: v.way, decidedOn: v.decidedOn ?? '',
      letterSentOn: v.way === 'talk_inquiry' ? v.letterSentOn ?? null : null,
    };
    if (p.kind === 'reactivate') await call('clues:reactivate', { ...arg, reason: v.reason });
    else await call('clues:dispose', { ...arg, note: v.note });
    p.onDone();
  };

  return (
    <FormShell<StepValues>
      open={p.open} form={form} onClose={p.onClose} onSubmit={submit}
      title={p.kind === 'reactivate' ? t('reactivate.title') : t('dispose.title')}
      doneText={p.kind === 'reactivate' ? t('reactivated') : t('disposed')}
      initialValues={{ decidedOn: today(), way: ways.length === 1 ? ways[0] : undefined }} testId={`clue-${p.kind}-form`}
    >
      <Alert
        type={p.kind === 'reactivate' ? 'warning' : 'info'} showIcon style={{ marginBottom: 12 }}
        title={p.kind === 'reactivate' ? t('reactivate.hint') : t('dispose.current', { way: t(`ways.${p.clue.disposition}`) })}
      />
      <Form.Item name="way" label={t('field.way')} rules={[{ required: true, message: t('requiredPick', { field: t('field.way') }) }]}>
        <Radio.Group options={ways.map((w) => ({ value: w, label: t(`ways.${w}`) }))} />
      </Form.Item>
      <Form.Item name="decidedOn" label={t('field.decidedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('field.decidedOn') }) }]}>
        <DateInput placeholder={t('dateHint')} />
      </Form.Item>
      {way === 'talk_inquiry' && (
        <Form.Item name="letterSentOn" label={t('field.letterSentOn')}>
          <DateInput placeholder={t('dateHint')} />
        </Form.Item>
      )}
      <Form.Item name={noteField} label={noteLabel} rules={[{ required: true, whitespace: true, message: t('required', { field: noteLabel }) }]}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
    </FormShell>
  );
}

interface OutcomeValues {
  outcome: ClueOutcome;
  concludedOn: string | null;
  money: string | null;
}

/** 处置结果 of a concluded clue, with 追赃挽损 typed in yuan and stored in fen. */
export function OutcomeForm(p: { open: boolean; clue: ClueRecord; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('clues');
  const [form] = Form.useForm<OutcomeValues>();
  const outcome = Form.useWatch('outcome', form);
  const options = allowedOutcomes(p.clue.disposition);

  const submit = async (v: OutcomeValues) => {
    const fen = v.outcome === 'cleared' ? 0 : v.money === null || v.money === undefined || v.money === '' ? 0 : yuanToFen(v.money);
    if (fen === null) throw new ApiError({ code: 'VALIDATION', message: t('moneyBad'), field: 'money' });
    await call('clues:recordOutcome', { clueId: p.clue.id, outcome: v.outcome, concludedOn: v.concludedOn ?? '', moneyRecoveredFen: fen });
    p.onDone();
  };

  return (
    <FormShell<OutcomeValues>
      open={p.open} form={form} onClose={p.onClose} onSubmit={submit} title={t('outcome.title')} testId="clue-outcome-form"
      size={520} doneText={t('outcomeSaved')}
      initialValues={{
        outcome: p.clue.outcome ?? (options.length === 1 ? options[0] : undefined),
        concludedOn: p.clue.concludedOn ?? today(),
        money: p.clue.moneyRecoveredFen ? fenToYuanPlain(p.clue.moneyRecoveredFen) : null,
      }}
    >
      {p.clue.disposition === 'closed_out' && <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('outcome.closedOnlyCleared')} />}
      <Form.Item name="outcome" label={t('field.outcome')} rules={[{ required: true, message: t('requiredPick', { field: t('field.outcome') }) }]}>
        <Select options={options.map((o) => ({ value: o, label: t(`outcomes.${o}`) }))} />
      </Form.Item>
      <Form.Item name="concludedOn" label={t('field.concludedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('field.concludedOn') }) }]}>
        <DateInput placeholder={t('dateHint')} />
      </Form.Item>
      {outcome !== 'cleared' && (
        <Form.Item
          name="money" label={t('field.money')}
          rules={[{ validator: (_r, v: string | null) => (v === null || v === undefined || v === '' || yuanToFen(v) !== null ? Promise.resolve() : Promise.reject(new Error(t('moneyBad')))) }]}
        >
          <InputNumber<string> stringMode min="0" precision={2} step="0.01" style={{ width: '100%' }} />
        </Form.Item>
      )}
      {outcome === 'cleared' && <Alert type="info" showIcon title={t('outcome.clearedNoMoney')} />}
    </FormShell>
  );
}

/** The reply to a 函询 letter stops its 15-working-day clock. */
export function InquiryReplyForm(p: { open: boolean; dispositionId: string | null; onClose(): void; onDone(): void }) {
  const { t } = useTranslation('clues');
  return (
    <FormShell<{ repliedOn: string | null }>
      open={p.open} onClose={p.onClose} title={t('reply.title')} initialValues={{ repliedOn: today() }} testId="clue-reply-form"
      size={520} doneText={t('replySaved')}
      onSubmit={async (v) => {
        await call('clues:recordInquiryReply', { dispositionId: p.dispositionId, repliedOn: v.repliedOn ?? '' });
        p.onDone();
      }}
    >
      <Form.Item name="repliedOn" label={t('field.repliedOn')} rules={[{ required: true, message: t('requiredDate', { field: t('field.repliedOn') }) }]}>
        <DateInput placeholder={t('dateHint')} />
      </Form.Item>
    </FormShell>
  );
}
