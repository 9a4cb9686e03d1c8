import { PlusOutlined } from '@ant-design/icons';
import { App, Button, Checkbox, Col, Form, Input, Progress, Row, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { today } from '../../components/forms/dates.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useDialog } from '../../components/forms/useDialog.js';
import { ProgrammeForm } from './ProgrammeForm.js';
import { ConflictBanner, conflictTagOf } from '../exchange/ConflictFlag.js';
import { useExchangeFilter } from '../../components/lists/ExchangeFilter.js';

type Checklist = Awaited<ResultOf<'programmes:get'>>;
type Stage = Checklist['stages'][number];
type Measure = Stage['measures'][number];

const pct = (done: number, total: number) => (total === 0 ? 0 : Math.round((done / total) * 100));

/**
 * 监督方案 as checklists: programmes on the left; the chosen one's stages in order with their date
 * ranges (the current stage highlighted), measures ticked off with the day they were done.
 */
export function ProgrammesTab(p: { roundId: string; canWrite: boolean; active: boolean; selected: string | null; units: { id: string; name: string }[] }) {
  const { t } = useTranslation('supervision');
  const [tick, setTick] = useState(0);
  const [creating, setCreating] = useState(false);
  const xf = useExchangeFilter();
  const list = useQuery(() => call('programmes:list', { roundId: p.roundId, ...xf.args }), [p.roundId, xf.args.originOfficeId, xf.args.conflicted, tick]);
  const items = list.data?.items ?? [];
  const selected = p.selected && items.some((x) => x.id === p.selected) ? p.selected : items[0]?.id ?? null;

  useWindowEvent('xz:new', () => {
    if (p.active && p.canWrite && !creating) setCreating(true);
  });
  const reload = () => setTick((x) => x + 1);

  const newButton = p.canWrite ? (
    <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setCreating(true)}>{t('programmes.newProgramme')}</Button>
  ) : null;

  let body;
  if (list.error) body = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (!list.data) body = <Loading />;
  else if (items.length === 0) body = <EmptyState hint={t(xf.active ? 'programmes.emptyFiltered' : 'programmes.empty')} action={xf.active ? undefined : newButton} />;
  else {
    body = (
      <Row gutter={12} wrap={false}>
        <Col flex="300px">
          <div className="xz-toolbar">
            <Typography.Text strong>{t('programmes.list')}</Typography.Text>
            <span className="xz-grow" />
            {newButton}
          </div>
          <div data-testid="programme-list">
            {items.map((x) => (
              <div
                key={x.id} className={`xz-prog-item${x.id === selected ? ' selected' : ''}`} role="button" tabIndex={0}
                onClick={() => navigate('supervision', 'programmes', x.id)}
                onKeyDown={(e) => e.key === 'Enter' && navigate('supervision', 'programmes', x.id)}
              >
                <div style={{ fontWeight: 600 }}>{conflictTagOf(x)}{x.name}</div>
                <div className="xz-stage-range">{t('programmes.range', { from: x.startOn, to: x.endOn })}</div>
                <Progress percent={pct(x.doneCount, x.measureCount)} size="small" format={() => `${x.doneCount}/${x.measureCount}`} />
              </div>
            ))}
          </div>
        </Col>
        <Col flex="auto" style={{ minWidth: 0 }}>
          {selected && <ProgrammeChecklist id={selected} canWrite={p.canWrite} onChanged={reload} key={selected} />}
        </Col>
      </Row>
    );
  }

  return (
    <div data-testid="programmes">
      {xf.controls && <div className="xz-toolbar">{xf.controls}</div>}
      {body}
      <ProgrammeForm
        open={creating} roundId={p.roundId} units={p.units} onClose={() => setCreating(false)}
        onSaved={(id) => { setCreating(false); reload(); navigate('supervision', 'programmes', id); }}
      />
    </div>
  );
}

type Dialog = { kind: 'mark'; measure: Measure } | { kind: 'add'; stage: Stage } | { kind: 'delete' };

function ProgrammeChecklist({ id, canWrite, onChanged }: { id: string; canWrite: boolean; onChanged(): void }) {
  const { t } = useTranslation('supervision');
  const { modal, message } = App.useApp();
  const report = useErrorReport();
  const [tick, setTick] = useState(0);
  const { dialog, shown, show, hide } = useDialog<Dialog>();
  const prog = useQuery(() => call('programmes:get', { id }), [id, tick]);

  useEffect(() => hide(), [id, hide]);
  const changed = () => {
    hide();
    setTick((x) => x + 1);
    onChanged();
  };

  if (prog.error) return <ErrorState error={prog.error} onRetry={prog.reload} />;
  if (!prog.data) return <Loading />;
  const c = prog.data;

  const undo = (m: Measure) => modal.confirm({
    title: t('programmes.undoTitle'), content: t('programmes.undoHint'),
    onOk: async () => {
      try {
        await call('programmes:undoMeasureDone', { measureId: m.id });
        void message.success(t('programmes.unmarked'));
        changed();
      } catch (e) {
        report(e);
      }
    },
  });

  return (
    <div data-testid="programme-checklist">
      <ConflictBanner table="supervision_programmes" id={c.id} version={c} />
      <div className="xz-toolbar">
        <Typography.Title level={5} style={{ margin: 0 }}>{c.name}</Typography.Title>
        <span className="xz-stage-range">{t('programmes.range', { from: c.startOn, to: c.endOn })}</span>
        <span className="xz-grow" />
        <span data-testid="programme-done">{t('programmes.doneOf', { done: c.doneCount, total: c.measureCount })}</span>
        <Progress percent={pct(c.doneCount, c.measureCount)} size="small" style={{ width: 140, margin: 0 }} showInfo={false} />
        {canWrite && <Button size="small" danger onClick={() => show({ kind: 'delete' })}>{t('programmes.deleteAction')}</Button>}
      </div>
      {c.stages.map((s, k) => (
        <section key={s.id} className={`xz-stage xz-stage-${s.phase}`} data-testid={`checklist-stage-${k}`} data-phase={s.phase}>
          <div className="xz-stage-head">
            <span className="xz-muted">{t('programmes.stageNo', { n: k + 1 })}</span>
            <span className="xz-stage-name">{s.name}</span>
            <span className="xz-stage-range">{t('programmes.range', { from: s.startOn, to: s.endOn })}</span>
            <Tag color={s.phase === 'current' ? '#a8071a' : s.phase === 'past' ? 'default' : 'blue'}>{t(`programmes.phases.${s.phase}`)}</Tag>
            <span className="xz-grow" style={{ flex: '1 1 auto' }} />
            <span className="xz-count">{t('programmes.doneOf', { done: s.doneCount, total: s.measureCount })}</span>
            {canWrite && <Button size="small" type="link" icon={<PlusOutlined />} onClick={() => show({ kind: 'add', stage: s })}>{t('programmes.addMeasure')}</Button>}
          </div>
          {s.measures.length === 0 && <div className="xz-measure xz-muted">{t('programmes.noMeasures')}</div>}
          {s.measures.map((m, j) => (
            <div key={m.id} className={`xz-measure${m.done ? ' xz-measure-done' : ''}`}>
              <Checkbox
                checked={m.done} disabled={!canWrite} aria-label={m.content}
                onChange={() => (m.done ? undo(m) : show({ kind: 'mark', measure: m }))}
              />
              <span className="xz-muted">{j + 1}.</span>
              <span className="xz-measure-text">{m.content}</span>
              {m.owner && <span className="xz-measure-meta">{t('programmes.owner', { owner: m.owner })}</span>}
              {m.doneOn && <span className="xz-measure-meta">{t('programmes.doneOn', { date: m.doneOn })}</span>}
            </div>
          ))}
        </section>
      ))}
      <FormShell<{ doneOn: string | null }>
        open={shown && dialog?.kind === 'mark'} title={t('programmes.markTitle')} onClose={hide} size={520}
        initialValues={{ doneOn: today() }} testId="measure-done-form" doneText={t('programmes.marked')}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'mark') return;
          await call('programmes:markMeasureDone', { measureId: dialog.measure.id, doneOn: v.doneOn ?? '' });
          changed();
        }}
      >
        {dialog?.kind === 'mark' && <p className="xz-cell-text">{dialog.measure.content}</p>}
        <Form.Item name="doneOn" label={t('programmes.field.doneOn')} rules={[{ required: true, message: t('requiredDate', { field: t('programmes.field.doneOn') }) }]}>
          <DateInput placeholder={t('dateHint')} />
        </Form.Item>
      </FormShell>
      <FormShell<{ content: string; owner: string | null }>
        open={shown && dialog?.kind === 'add'} title={t('programmes.addMeasure')} onClose={hide} size={520}
        testId="measure-add-form" doneText={t('saved')}
        onSubmit={async (v) => {
          if (dialog?.kind !== 'add') return;
          await call('programmes:addMeasure', { stageId: dialog.stage.id, content: v.content, owner: v.owner?.trim() || null });
          changed();
        }}
      >
        <Form.Item name="content" label={t('programmes.field.content')} rules={[{ required: true, whitespace: true, message: t('required', { field: t('programmes.field.content') }) }]}>
          <Input.TextArea rows={3} maxLength={4000} />
        </Form.Item>
        <Form.Item name="owner" label={t('programmes.field.owner')}><Input maxLength={200} /></Form.Item>
      </FormShell>
      <ReasonPrompt
        open={shown && dialog?.kind === 'delete'} title={t('programmes.deleteTitle')} hint={t('deleteHint')} label={t('deleteReason')}
        testId="delete-form" doneText={t('deleted')} onClose={hide}
        onSubmit={async (reason) => {
          await call('programmes:delete', { id: c.id, reason });
          hide();
          onChanged();
          navigate('supervision', 'programmes');
        }}
      />
    </div>
  );
}
