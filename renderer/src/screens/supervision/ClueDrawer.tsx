import { Alert, Button, Descriptions, Drawer, Space, Tag, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useQuery } from '../../components/hooks.js';
import { ErrorState, Light, Loading } from '../../components/States.js';
import { allowedOutcomes, nextWays, WAY_COLOURS } from './clue-rules.js';
import { ClueForm, type UnitOption } from './ClueForm.js';
import { DisposeForm, InquiryReplyForm, OutcomeForm } from './ClueStepForms.js';
import { fenToYuan } from './money.js';
import { SensitiveBanner } from './SensitiveBanner.js';
import { ConflictBanner } from '../exchange/ConflictFlag.js';

type Open = null | 'dispose' | 'reactivate' | 'outcome' | 'edit' | 'delete' | { reply: string };

/**
 * One clue over the list (the list keeps its scroll and filters): particulars, clocks, the
 * disposition history, and the steps its current state allows.
 */
export function ClueDrawer(p: {
  id: string | null;
  canWrite: boolean;
  roundId: string | null;
  units: UnitOption[];
  onClose(): void;
  onChanged(): void;
}) {
  const { t } = useTranslation('clues');
  const [tick, setTick] = useState(0);
  const [open, setOpen] = useState<Open>(null);
  const clue = useQuery(() => (p.id ? call('clues:get', { id: p.id }) : Promise.resolve(null)), [p.id, tick]);
  const clocks = useQuery(() => (p.id && clue.data ? call('clocks:clue', { clueId: p.id }) : Promise.resolve(null)), [p.id, tick, clue.data?.version]);
  const c = clue.data;
  const unitName = (id: string | null) => p.units.find((u) => u.id === id)?.name ?? t('detail.none');

  const changed = () => {
    setOpen(null);
    setTick((x) => x + 1);
    p.onChanged();
  };

  const actions = c && p.canWrite && !c.deletedAt ? (
    <Space wrap>
      {nextWays(c.disposition).length > 0 && <Button type="primary" onClick={() => setOpen('dispose')}>{t('actions.dispose')}</Button>}
      {c.disposition === 'shelved' && <Button type="primary" onClick={() => setOpen('reactivate')}>{t('actions.reactivate')}</Button>}
      {allowedOutcomes(c.disposition).length > 0 && (
        <Button type={c.outcome ? 'default' : 'primary'} onClick={() => setOpen('outcome')}>{c.outcome ? t('actions.changeOutcome') : t('actions.outcome')}</Button>
      )}
      <Button onClick={() => setOpen('edit')}>{t('actions.edit')}</Button>
      <Button danger onClick={() => setOpen('delete')}>{t('actions.delete')}</Button>
    </Space>
  ) : null;

  let body;
  if (clue.error) body = <ErrorState error={clue.error} onRetry={clue.reload} />;
  else if (!c) body = <Loading />;
  else {
    body = (
      <div data-testid="clue-detail">
        <SensitiveBanner />
        <ConflictBanner table="clues" id={c.id} version={c.version} />
        {c.deletedAt && <Alert type="warning" showIcon title={t('detail.deleted')} style={{ marginBottom: 8 }} />}
        {actions && <div style={{ marginBottom: 12 }}>{actions}</div>}
        <Descriptions
          size="small" bordered column={2} title={t('detail.particulars')}
          items={[
            { key: 'n', label: t('field.subjectName'), children: c.subjectName },
            { key: 'p', label: t('field.subjectPost'), children: c.subjectPost },
            { key: 'r', label: t('field.receivedOn'), children: c.receivedOn },
            { key: 'o', label: t('field.receivingOrgan'), children: t(`organs.${c.receivingOrgan}`) },
            { key: 'u', label: t('field.unit'), children: unitName(c.unitId), span: 2 },
            { key: 'd', label: t('col.disposition'), children: <Tag color={WAY_COLOURS[c.disposition]} data-testid="clue-disposition">{t(`ways.${c.disposition}`)}</Tag> },
            { key: 'x', label: t('col.outcome'), children: c.outcome ? t(`outcomes.${c.outcome}`) : t('detail.notConcluded') },
            { key: 'c', label: t('field.concludedOn'), children: c.concludedOn ?? t('detail.none') },
            { key: 'm', label: t('col.money'), children: <span data-testid="clue-money">{fenToYuan(c.moneyRecoveredFen)}</span> },
            { key: 's', label: t('field.summary'), span: 2, children: <div className="xz-cell-text" data-testid="clue-summary">{c.summary}</div> },
          ]}
        />
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('detail.clocks')}</Typography.Title>
        {clocks.data ? (
          <Space wrap data-testid="clue-clocks">
            <span>{t('detail.feedbackClock')}</span>
            <Light light={clocks.data.clue.light} word={clocks.data.clue.word} daysLeft={clocks.data.clue.daysLeft} />
            {clocks.data.clue.dueOn && <span className="xz-muted">{t('detail.dueOn', { date: clocks.data.clue.dueOn })}</span>}
            {clocks.data.letters.map((l) => (
              <span key={l.refId}>
                {t('detail.letterClock', { date: l.startsOn })} <Light light={l.light} word={l.word} daysLeft={l.daysLeft} />
                {l.dueOn && <span className="xz-muted">{t('detail.dueOn', { date: l.dueOn })}</span>}
              </span>
            ))}
          </Space>
        ) : clocks.error ? <ErrorState error={clocks.error} /> : null}
        <Typography.Title level={5} style={{ marginTop: 16 }}>{t('detail.history')}</Typography.Title>
        {c.steps.length === 0 ? (
          <Typography.Text type="secondary">{t('detail.noSteps')}</Typography.Text>
        ) : (
          <Timeline
            data-testid="clue-steps"
            items={c.steps.map((s) => ({
              key: s.id,
              color: s.way === 'case_filed' ? 'red' : s.way === 'shelved' || s.way === 'closed_out' ? 'gray' : 'blue',
              content: (
                <div>
                  <Space wrap size={8}>
                    <span className="xz-muted" style={{ fontVariantNumeric: 'tabular-nums' }}>{s.decidedOn}</span>
                    <strong>{t('detail.stepTitle', { from: t(`ways.${s.fromWay}`), to: t(`ways.${s.way}`) })}</strong>
                    {s.isReactivation && <Tag color="purple">{t('detail.reactivated')}</Tag>}
                  </Space>
                  <div className="xz-step-note">{s.note}</div>
                  {s.letterSentOn && (
                    <Space wrap size={8} className="xz-muted">
                      <span>{t('detail.letter', { date: s.letterSentOn })}</span>
                      <span>{s.repliedOn ? t('detail.replied', { date: s.repliedOn }) : t('detail.awaitingReply')}</span>
                      {!s.repliedOn && p.canWrite && !c.deletedAt && (
                        <Button size="small" onClick={() => setOpen({ reply: s.id })}>{t('actions.reply')}</Button>
                      )}
                    </Space>
                  )}
                </div>
              ),
            }))}
          />
        )}
      </div>
    );
  }

  return (
    <Drawer open={!!p.id} onClose={p.onClose} size={760} title={c ? `${t('detail.title')} · ${c.subjectName}` : t('detail.title')} destroyOnHidden>
      {body}
      {c && (
        <>
          <DisposeForm kind="dispose" open={open === 'dispose'} clue={c} onClose={() => setOpen(null)} onDone={changed} />
          <DisposeForm kind="reactivate" open={open === 'reactivate'} clue={c} onClose={() => setOpen(null)} onDone={changed} />
          <OutcomeForm open={open === 'outcome'} clue={c} onClose={() => setOpen(null)} onDone={changed} />
          <InquiryReplyForm
            open={typeof open === 'object' && open !== null} dispositionId={typeof open === 'object' && open !== null ? open.reply : null}
            onClose={() => setOpen(null)} onDone={changed}
          />
          <ClueForm open={open === 'edit'} roundId={p.roundId} units={p.units} clue={c} onClose={() => setOpen(null)} onSaved={changed} />
          <ReasonPrompt
            open={open === 'delete'} title={t('remove.title')} hint={t('remove.hint')} label={t('field.deleteReason')}
            testId="delete-form" doneText={t('deleted')} onClose={() => setOpen(null)}
            onSubmit={async (reason) => {
              await call('clues:delete', { id: c.id, reason });
              setOpen(null);
              p.onChanged();
              p.onClose();
            }}
          />
        </>
      )}
    </Drawer>
  );
}
