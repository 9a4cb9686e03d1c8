/**
 * 起草报告 (issue 11 item 4): choose the kind of report (集中整改进展情况报告, 整改监督情况报告,
 * 整改情况公开 with its internal version) and the scope (a round, a unit), 生成草稿 fills it from the
 * ledger (reports:draft), the figures the engine counted are shown above the text, every paragraph,
 * heading and list item can be edited, then 导出Word (reports:saveDocx writes what was edited) or
 * 打印 / 另存为PDF (the draft's print view through Chromium's print engine; the system dialog's
 * 另存为PDF). Edits live only in this drawer: closing asks first.
 */
import { FilePdfOutlined, FileWordOutlined, PrinterOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, App, Button, Descriptions, Drawer, Form, Radio, Select, Space, Spin, Switch, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { DRAFT_KINDS, type DraftKind, type ReportDraft } from '../../../../db/domain/report-draft.js';
import { formatCount, formatDate, formatPercent } from '../../../../db/domain/report-text.js';
import { call, type ApiError } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { toApiError, useQuery } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { WrittenFile } from '../exchange/WrittenFile.js';
import { DraftEditor } from './DraftEditor.js';
import { DraftPrint } from './DraftPrint.js';
import './drafts.css';

type DraftResult = Awaited<ResultOf<'reports:draft'>>;
type Saved = NonNullable<Awaited<ResultOf<'reports:saveDocx'>>>;
type Facts = DraftResult['facts'];

interface Scope { kind: DraftKind; internal: boolean; roundId: string | null; unitId: string | null }

const ALL = '';

export function DraftDrawer({ onClose }: { onClose(): void }) {
  const { t } = useTranslation('drafts');
  const { t: tc } = useTranslation();
  const { modal } = App.useApp();
  const s = useSession();
  const [scope, setScope] = useState<Scope>({ kind: 'progress', internal: false, roundId: s.roundId, unitId: null });
  const rounds = useQuery(() => call('rounds:list', {}), []);
  const units = useQuery(() => (scope.roundId ? call('inspections:list', { roundId: scope.roundId }) : Promise.resolve([])), [scope.roundId]);
  const [result, setResult] = useState<DraftResult | null>(null);
  const [draft, setDraft] = useState<ReportDraft | null>(null);
  const [busy, setBusy] = useState<'draft' | 'docx' | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [saved, setSaved] = useState<Saved | 'cancelled' | null>(null);
  const [printing, setPrinting] = useState(0);
  const [asPdf, setAsPdf] = useState(false);
  const edited = result !== null && draft !== result.draft;

  const confirmDiscard = (then: () => void) => {
    if (!edited) return then();
    modal.confirm({ title: t('regenerateConfirm'), okText: t('regenerate'), onOk: then });
  };

  async function generate() {
    setBusy('draft');
    setError(null);
    setSaved(null);
    try {
      const r = await call('reports:draft', {
        kind: scope.kind, roundId: scope.roundId, unitId: scope.unitId, internal: scope.kind === 'disclosure' && scope.internal,
      });
      setResult(r);
      setDraft(r.draft);
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }

  async function exportWord() {
    if (!draft) return;
    setBusy('docx');
    setError(null);
    setSaved(null);
    try {
      const name = (draft.title.trim() || t(`kinds.${draft.kind}`)).slice(0, 100);
      const r = await call('reports:saveDocx', { draft, name });
      setSaved(r ?? 'cancelled');
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }

  const donePrinting = useCallback(() => setPrinting(0), []);
  const close = () => {
    if (!edited) return onClose();
    modal.confirm({ title: t('closeConfirm'), okText: t('close'), onOk: onClose });
  };
  const change = (d: ReportDraft) => {
    setDraft(d);
    setSaved(null);
  };

  const roundOptions = [{ value: ALL, label: t('allRounds') }, ...(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))];
  const unitOptions = [{ value: ALL, label: t('allUnits') }, ...(units.data ?? []).map((u) => ({ value: u.unitId, label: u.unitName }))];

  return (
    <Drawer
      open title={t('title')} size={980} onClose={close} destroyOnHidden data-testid="draft-drawer"
      extra={draft && (
        <Space>
          <Button icon={<FileWordOutlined />} loading={busy === 'docx'} onClick={() => void exportWord()} data-testid="draft-export">{t('exportWord')}</Button>
          <Button icon={<FilePdfOutlined />} onClick={() => { setAsPdf(true); setPrinting((k) => k + 1); }} data-testid="draft-pdf-button">{tc('savePdf.button')}</Button>
          <Button type="primary" icon={<PrinterOutlined />} onClick={() => { setAsPdf(false); setPrinting((k) => k + 1); }} data-testid="draft-print-button">{t('print')}</Button>
        </Space>
      )}
    >
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Form layout="vertical" className="xz-draft-scope" data-testid="draft-scope">
        <Form.Item label={t('kind')} htmlFor="draft-kind" extra={t(`kindHints.${scope.kind}`)}>
          <Radio.Group
            id="draft-kind" optionType="button" buttonStyle="solid" value={scope.kind}
            onChange={(e) => setScope({ ...scope, kind: e.target.value as DraftKind })}
            options={DRAFT_KINDS.map((k) => ({ value: k, label: t(`kinds.${k}`) }))}
          />
        </Form.Item>
        {scope.kind === 'disclosure' && (
          <Form.Item label={t('internal')} htmlFor="draft-internal" extra={t('internalHint')}>
            <Switch id="draft-internal" checked={scope.internal} onChange={(v) => setScope({ ...scope, internal: v })} data-testid="draft-internal" />
          </Form.Item>
        )}
        <Space size="middle" wrap align="end">
          <Form.Item label={t('round')} htmlFor="draft-round" style={{ marginBottom: 0 }}>
            <Select
              id="draft-round" style={{ width: 260 }} value={scope.roundId ?? ALL} loading={rounds.loading} options={roundOptions}
              onChange={(v: string) => setScope({ ...scope, roundId: v || null, unitId: null })}
            />
          </Form.Item>
          <Form.Item label={t('unit')} htmlFor="draft-unit" style={{ marginBottom: 0 }}>
            <Select
              id="draft-unit" style={{ width: 300 }} value={scope.unitId ?? ALL} loading={units.loading} options={unitOptions}
              showSearch={{ optionFilterProp: 'label' }} onChange={(v: string) => setScope({ ...scope, unitId: v || null })}
            />
          </Form.Item>
          <Form.Item style={{ marginBottom: 0 }}>
            <Button
              type={draft ? 'default' : 'primary'} icon={<ThunderboltOutlined />} loading={busy === 'draft'}
              onClick={() => confirmDiscard(() => void generate())} data-testid="draft-generate"
            >
              {draft ? t('regenerate') : t('generate')}
            </Button>
          </Form.Item>
        </Space>
      </Form>

      {error && <div className="xz-draft-gap"><ErrorState error={error} /></div>}
      {saved === 'cancelled' && <Alert className="xz-draft-gap" type="info" showIcon title={t('cancelled')} />}
      {saved && saved !== 'cancelled' && (
        <div className="xz-draft-gap" data-testid="draft-saved">
          <Alert type="success" showIcon title={t('exported')} style={{ marginBottom: 8 }} />
          <WrittenFile path={saved.path} fileName={saved.fileName} bytes={saved.bytes} download={t('download')} />
        </div>
      )}

      {busy === 'draft' && !draft && <div className="xz-center"><Spin /> <span className="xz-muted">{t('generating')}</span></div>}
      {!draft && busy !== 'draft' && !error && <EmptyState hint={t('empty')} />}
      {result && draft && (
        <>
          <Figures facts={result.facts} />
          <Typography.Title level={5} className="xz-draft-gap">
            {t('editing')} {edited && <Tag color="blue" data-testid="draft-edited">{t('edited')}</Tag>}
          </Typography.Title>
          <DraftEditor draft={draft} onChange={change} />
        </>
      )}
      {draft && printing > 0 && <DraftPrint key={printing} draft={draft} onDone={donePrinting} pdf={asPdf} />}
    </Drawer>
  );
}

/** The figures the engine counted for this draft (its aggregates), as they appear in its text. */
function Figures({ facts }: { facts: Facts }) {
  const { t } = useTranslation('drafts');
  const f = facts.figures;
  const items: { key: string; value: string }[] = [
    { key: 'problems', value: formatCount(f.problems) },
    { key: 'tasks', value: formatCount(f.tasks) },
    { key: 'completed', value: formatCount(f.completed) },
    { key: 'open', value: formatCount(f.tasks - f.completed) },
    { key: 'overdue', value: formatCount(f.overdue) },
    { key: 'closed', value: formatCount(f.closed) },
    { key: 'closeRate', value: formatPercent(f.closeRate) },
    { key: 'longTermOpen', value: formatCount(f.longTermOpen) },
  ];
  if (facts.leftOut) items.push({ key: 'leftOut', value: t('leftOutValue', { p: facts.leftOut.problems, t: facts.leftOut.tasks }) });
  return (
    <Descriptions
      size="small" bordered column={{ xs: 2, md: 3, lg: 5 }} className="xz-draft-gap" data-testid="draft-figures"
      title={t('figures', { date: formatDate(facts.today) })}
      items={items.map((x) => ({ key: x.key, label: t(`figure.${x.key}`), children: <span data-figure={x.key}>{x.value}</span> }))}
    />
  );
}
