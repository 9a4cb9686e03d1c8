/**
 * 法定台账 ('#/ledgers'): the statutory printed ledgers (DOMAIN.md "Printed ledgers"; issue 11).
 * The user picks the ledger, round, unit, paper and marking; 生成预览 asks the engine for the rows
 * (one read call per ledger kind), the pages are laid out here (model.ts `paginate`, measured in
 * the print styles) and shown as sheets of paper; 打印 opens the system print dialog (printer or
 * 另存为PDF) on the same pages.
 *
 * 问题线索处置台账: offered only with the clue right; 确认并打印 asks first, and each printing is a
 * new engine call, which writes the audit entry as it returns the rows. Ctrl+P never prints it.
 */
import { EyeOutlined, FilePdfOutlined, LockOutlined, PrinterOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Modal, Radio, Select, Spin, Typography } from 'antd';
import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toApiError, useWindowEvent } from '../../components/hooks.js';
import { RoundPicker, UnitPicker } from '../../components/lists/Pickers.js';
import { useSavePdf } from '../../components/print/savePdf.js';
import { errorText } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { CARD_GAP, PageHead } from '../settings/PageHead.js';
import '../supervision/supervision.css';
import { MeasureBox, PreviewSheets, PrintSheets, type Paper } from './LedgerPages.js';
import { defaultTitle, LEDGER_KINDS, paginate, sheetOf, type LedgerData, type LedgerKind, type SheetDoc, type SheetPage } from './model.js';
import './ledgers.css';

const MARKINGS = ['internal', 'secret', 'confidential'] as const;
type Marking = (typeof MARKINGS)[number];

async function fetchLedger(kind: LedgerKind, a: { roundId: string | null; unitId: string | null }): Promise<LedgerData> {
  switch (kind) {
    case 'rectification': return call('ledgers:rectification', a);
    case 'supervision': return call('ledgers:supervision', a);
    case 'summary': return call('ledgers:summary', a);
    case 'clues': return call('ledgers:clues', { ...a, confirmed: true });
  }
}

export function LedgersScreen() {
  const { t } = useTranslation('ledgers');
  const { t: tc } = useTranslation();
  const savePdf = useSavePdf();
  const s = useSession();
  const { message } = App.useApp();
  const canClues = s.can('clue.read');
  const kinds = LEDGER_KINDS.filter((k) => k !== 'clues' || canClues);
  const [kind, setKind] = useState<LedgerKind>('rectification');
  const [roundId, setRoundId] = useState<string | null>(s.roundId ?? null);
  const [unit, setUnit] = useState<{ id: string; name: string } | null>(null);
  const [paper, setPaper] = useState<Paper>('A4');
  const [marking, setMarking] = useState<Marking>('internal');
  const [title, setTitle] = useState<string | null>(null);
  const [data, setData] = useState<LedgerData | null>(null);
  /** The pages laid out, for the document and paper they were measured for. */
  const [laid, setLaid] = useState<{ doc: SheetDoc; paper: Paper; pages: SheetPage[] } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  /** Print as soon as the pages are laid out (after 确认并打印). */
  const printWhenReady = useRef(false);

  const clues = kind === 'clues';
  const markText = clues ? t('clueMarking') : t(`markings.${marking}`);
  const shownTitle = title ?? defaultTitle(kind, unit?.name ?? s.office?.name ?? '', t);
  const doc = useMemo(() => (data ? sheetOf(data, shownTitle.trim() || defaultTitle(kind, '', t), t) : null), [data, shownTitle, kind, t]);

  // Another ledger, round or unit: the preview no longer shows what would print.
  useEffect(() => {
    setData(null);
    setError(null);
  }, [kind, roundId, unit?.id]);
  const pages = laid && laid.doc === doc && laid.paper === paper ? laid.pages : null;

  // While pages are laid out, printing shows only them (print.css).
  useEffect(() => {
    if (!pages) return;
    document.body.classList.add('xz-printing');
    let id = 0;
    if (printWhenReady.current) {
      printWhenReady.current = false;
      id = requestAnimationFrame(() => window.print());
    }
    return () => {
      cancelAnimationFrame(id);
      document.body.classList.remove('xz-printing');
    };
  }, [pages]);

  async function load(andPrint: boolean) {
    setBusy(true);
    setError(null);
    try {
      const d = await fetchLedger(kind, { roundId, unitId: unit?.id ?? null });
      printWhenReady.current = andPrint;
      setData(d);
      if (d.kind === 'clues') void message.success(t('clueConfirm.audited', { n: d.rows.length }));
    } catch (e) {
      setError(errorText(toApiError(e), tc));
    } finally {
      setBusy(false);
    }
  }

  function print() {
    if (clues) {
      setConfirming(true);
      return;
    }
    window.print();
    void message.info(t('printed'));
  }

  // Ctrl+P and the 文件 menu's 打印: the laid-out ledger; the clue ledger only through its confirmation.
  useWindowEvent('xz:print', (e) => {
    if (clues) {
      e.preventDefault();
      void message.warning(t('clueConfirm.ctrlP'));
    } else if (pages) {
      e.preventDefault();
      print();
    }
  });

  const rows = doc?.rows ?? 0;
  return (
    <div data-testid="ledgers">
      <PageHead title={t('title')} />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <Card style={CARD_GAP}>
        <Form layout="inline" style={{ rowGap: 8 }}>
          <Form.Item label={t('form.kind')} htmlFor="ledger-kind">
            <Select
              id="ledger-kind" className="xz-w-200" value={kind} onChange={(k: LedgerKind) => setKind(k)} data-testid="ledger-kind"
              options={kinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} popupMatchSelectWidth={false}
            />
          </Form.Item>
          <Form.Item label={t('form.round')} htmlFor="ledger-round">
            <RoundPicker id="ledger-round" className="xz-w-200" allLabel={t('form.allRounds')} aria-label={t('form.round')} value={roundId} onChange={(v) => setRoundId(v)} />
          </Form.Item>
          <Form.Item label={t('form.unit')} htmlFor="ledger-unit">
            <UnitPicker
              id="ledger-unit" className="xz-w-200" roundId={roundId} placeholder={t('form.allUnits')} aria-label={t('form.unit')}
              value={unit?.id ?? null} knownLabel={unit?.name} onChange={(v, label) => setUnit(v ? { id: v, name: label ?? '' } : null)}
            />
          </Form.Item>
          <Form.Item label={t('form.paper')}>
            <Radio.Group value={paper} onChange={(e) => setPaper(e.target.value as Paper)} options={[{ value: 'A4', label: 'A4' }, { value: 'A3', label: 'A3' }]} aria-label={t('form.paper')} />
          </Form.Item>
          <Form.Item label={t('form.marking')} htmlFor="ledger-marking">
            <Select<string>
              id="ledger-marking" className="xz-w-200" disabled={clues} value={clues ? 'clue' : marking} onChange={(m: string) => setMarking(m as Marking)}
              options={clues ? [{ value: 'clue', label: t('clueMarking') }] : MARKINGS.map((m) => ({ value: m, label: t(`markings.${m}`) }))}
            />
          </Form.Item>
          <Form.Item label={t('form.title')} htmlFor="ledger-title">
            <Input id="ledger-title" style={{ width: 320 }} maxLength={60} value={shownTitle} onChange={(e) => setTitle(e.target.value)} />
          </Form.Item>
          <Form.Item>
            {clues ? (
              <Button type="primary" danger icon={<PrinterOutlined />} loading={busy} onClick={() => print()} data-testid="ledger-print-clues">{t('form.printClues')}</Button>
            ) : (
              <Button icon={<EyeOutlined />} loading={busy} onClick={() => void load(false)} data-testid="ledger-preview-go">{t('form.preview')}</Button>
            )}
          </Form.Item>
          {!clues && (
            <Form.Item>
              <Button type="primary" icon={<PrinterOutlined />} disabled={!pages} onClick={() => print()} data-testid="ledger-print">{t('form.print')}</Button>
            </Form.Item>
          )}
          {!clues && (
            <Form.Item>
              <Button icon={<FilePdfOutlined />} disabled={!pages} onClick={() => void savePdf(shownTitle.trim() || defaultTitle(kind, '', t))} data-testid="ledger-pdf">{tc('savePdf.button')}</Button>
            </Form.Item>
          )}
        </Form>
      </Card>
      {clues && (
        <div className="xz-sensitive" role="note" data-testid="sensitive-banner">
          <LockOutlined /> <strong>{t('clueBanner.title')}</strong>
          <span className="xz-sensitive-hint">{t('clueBanner.hint')}</span>
        </div>
      )}
      {error && <Alert type="error" showIcon title={error} role="alert" style={CARD_GAP} data-testid="ledger-error" />}
      {pages && doc && (
        <Typography.Paragraph type="secondary" data-testid="ledger-pages" role="status">
          {t('preview.pages', { m: pages.length, paper, rows: rows.toLocaleString('zh-CN') })}
          {rows === 0 && <>　{t('preview.nothing')}</>}
        </Typography.Paragraph>
      )}
      <div className="xz-ledger-preview" tabIndex={0} role="region" aria-label={t('preview.label')} data-testid="ledger-preview">
        {!data && <Typography.Text type="secondary">{t('preview.empty')}</Typography.Text>}
        {data && !pages && <Spin tip={t('preview.laying')}><div style={{ height: 120 }} /></Spin>}
        {doc && pages && <PreviewSheets doc={doc} pages={pages} paper={paper} marking={markText} />}
      </div>
      {doc && !pages && <MeasureBox doc={doc} paper={paper} onMeasured={(m) => setLaid({ doc, paper, pages: paginate(doc, m) })} />}
      {doc && pages && <PrintSheets doc={doc} pages={pages} paper={paper} marking={markText} />}
      <Modal
        open={confirming} title={t('clueConfirm.title')} okText={t('clueConfirm.ok')} okButtonProps={{ danger: true }}
        cancelText={tc('actions.cancel')} onCancel={() => setConfirming(false)} data-testid="ledger-clue-confirm"
        onOk={() => {
          setConfirming(false);
          void load(true);
        }}
      >
        <Typography.Paragraph>{t('clueConfirm.body', { m: t('clueMarking') })}</Typography.Paragraph>
      </Modal>
    </div>
  );
}
