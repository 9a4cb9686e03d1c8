/**
 * 导入Excel台账: pick a workbook → the engine reads every sheet and row and answers with a dry run
 * (nothing written): per sheet where the header is and how its columns were understood, the
 * problems and tasks to be created with their deadlines, rows already in the ledger, every bad
 * row with sheet, row, column and reason, and the rows skipped → the user corrects the settings or
 * a sheet's column mapping (saved per header and used again next time) and checks again → 导入,
 * all or nothing, or, only if ticked, all but the bad rows, after a confirmation, with a progress
 * bar → the result. A refusal at any step leaves the ledger as it was and says why.
 */
import { ImportOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Checkbox, Form, InputNumber, Progress, Result, Space, Tabs, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type UploadedFile } from '../../api/client.js';
import { toApiError, useQuery } from '../../components/hooks.js';
import { CategoryPicker, RoundPicker, UnitPicker } from '../../components/lists/Pickers.js';
import { errorText } from '../../components/States.js';
import { navigate } from '../../core/router.js';
import { CARD_GAP } from '../settings/PageHead.js';
import { PickFile } from '../exchange/PickFile.js';
import { filterToColumns, headerSignature, type ImportDone, type Preview, type SheetMapping } from './api.js';
import { MappingDialog } from './MappingDialog.js';
import { previewTabs } from './PreviewTables.js';
import { SheetsTable } from './SheetsTable.js';

export interface Settings { unit: string | null; unitId: string | null; roundId: string | null; categoryId: string | null; year: number | null }

type Step =
  | { at: 'pick' }
  | { at: 'reading'; file: UploadedFile }
  | { at: 'preview'; file: UploadedFile; preview: Preview }
  | { at: 'importing'; file: UploadedFile; preview: Preview }
  | { at: 'done'; result: ImportDone };

export function ExcelImport() {
  const { t } = useTranslation('excel');
  const { t: tc } = useTranslation();
  const { modal } = App.useApp();
  const [step, setStep] = useState<Step>({ at: 'pick' });
  const [problem, setProblem] = useState<string | null>(null);
  const [settings, setSettings] = useState<Settings>({ unit: null, unitId: null, roundId: null, categoryId: null, year: null });
  const [mappings, setMappings] = useState<Record<string, SheetMapping>>({});
  const [usedSaved, setUsedSaved] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<string | null>(null);
  const [skipBad, setSkipBad] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const saved = useQuery(() => call('savedFilters:list', { list: 'excel' }), []);
  const seq = useRef(0);

  const argsOf = (file: UploadedFile, s: Settings, m: Record<string, SheetMapping>) => ({
    path: file.path, unit: s.unit, roundId: s.roundId, categoryId: s.categoryId, year: s.year,
    mappings: Object.values(m).map((x) => ({ sheet: x.sheet, headerRow: x.headerRow ?? null, columns: x.columns })),
  });

  async function check(file: UploadedFile, s: Settings, m: Record<string, SheetMapping>) {
    const mine = ++seq.current;
    setProblem(null);
    setStep({ at: 'reading', file });
    try {
      let preview = await call('excel:preview', argsOf(file, s, m));
      // A sheet whose header matches a saved mapping (and that the user has not mapped here) takes it.
      const auto: Record<string, SheetMapping> = {};
      const names: Record<string, string> = {};
      for (const sh of preview.sheets) {
        if (m[sh.name]) continue;
        // Compared with the row the saved mapping names as the header (or the header found).
        const hit = (saved.data ?? []).find((f) => {
          const c = filterToColumns(f.filter);
          const titles = c.headerRow !== null ? sh.sample[c.headerRow] : sh.header?.titles;
          return !!titles && c.header === headerSignature(titles);
        });
        if (!hit) continue;
        const c = filterToColumns(hit.filter);
        auto[sh.name] = { sheet: sh.name, headerRow: c.headerRow, columns: c.columns };
        names[sh.name] = hit.name;
      }
      if (Object.keys(auto).length > 0) {
        m = { ...m, ...auto };
        preview = await call('excel:preview', argsOf(file, s, m));
        setMappings(m);
        setUsedSaved((u) => ({ ...u, ...names }));
      }
      if (mine === seq.current) setStep({ at: 'preview', file, preview });
    } catch (e) {
      if (mine !== seq.current) return;
      setProblem(errorText(toApiError(e), tc));
      setStep({ at: 'pick' });
    }
  }

  function picked(file: UploadedFile) {
    setMappings({});
    setUsedSaved({});
    setSkipBad(false);
    void check(file, settings, {});
  }

  // While an import runs the ledger answers only excel:progress: asked twice a second.
  useEffect(() => {
    if (step.at !== 'importing') return;
    const id = window.setInterval(() => {
      call('excel:progress').then((p) => p && p.total > 0 && setProgress(p), () => undefined);
    }, 500);
    return () => window.clearInterval(id);
  }, [step.at]);

  async function run(file: UploadedFile, preview: Preview) {
    setProblem(null);
    setProgress(null);
    setStep({ at: 'importing', file, preview });
    try {
      const result = await call('excel:import', { ...argsOf(file, settings, mappings), skipBadRows: skipBad });
      setStep({ at: 'done', result });
      window.dispatchEvent(new Event('xz:rounds-changed'));
    } catch (e) {
      setProblem(errorText(toApiError(e), tc));
      setStep({ at: 'preview', file, preview });
    }
  }

  function confirmRun(file: UploadedFile, preview: Preview) {
    const c = preview.counts;
    modal.confirm({
      title: t('run.confirmTitle'),
      content: t('run.confirmBody', { problems: c.problems, tasks: c.tasks, skip: skipBad && c.errors > 0 ? t('run.confirmSkip', { n: c.errors }) : '' }),
      okText: t('run.go'), cancelText: tc('actions.cancel'),
      onOk: () => void run(file, preview),
    });
  }

  if (step.at === 'done') {
    const c = step.result.created;
    return (
      <Result
        status="success" title={<h2 className="xz-result-h1">{t('run.doneTitle')}</h2>} data-testid="excel-done"
        subTitle={t('run.done', { problems: c.problems, tasks: c.tasks, units: c.units, categories: c.categories, progress: c.progress })}
        extra={[
          <Button key="list" type="primary" onClick={() => navigate('problems')}>{t('run.toList')}</Button>,
          <Button key="again" onClick={() => setStep({ at: 'pick' })}>{t('run.another')}</Button>,
        ]}
      />
    );
  }

  const file = step.at === 'pick' ? null : step.file;
  const preview = step.at === 'preview' || step.at === 'importing' ? step.preview : null;
  const busy = step.at === 'reading' || step.at === 'importing';
  const errors = preview?.counts.errors ?? 0;
  const canRun = !!preview && preview.counts.problems > 0 && (errors === 0 || skipBad) && !busy;

  return (
    <div data-testid="excel-import">
      {problem && <Alert type="error" showIcon title={problem} role="alert" style={CARD_GAP} data-testid="excel-problem" closable={{ onClose: () => setProblem(null) }} />}
      {step.at === 'pick' ? (
        <Card style={CARD_GAP}>
          <PickFile kind="excel" pick={t('pick.drop')} hint={t('pick.hint')} button={t('pick.button')} testId="excel-pick" onPicked={picked} onError={(e) => setProblem(errorText(toApiError(e), tc))} />
        </Card>
      ) : (
        <Card
          style={CARD_GAP} size="small" title={<span className="xz-break">{file!.fileName}</span>}
          extra={<Button size="small" onClick={() => { seq.current++; setStep({ at: 'pick' }); }} disabled={step.at === 'importing'}>{t('run.other')}</Button>}
        >
          <Form layout="inline" className="xz-excel-options" aria-label={t('options.title')}>
            <Form.Item label={t('options.unit')} tooltip={t('options.unitHint')} htmlFor="excel-unit">
              <UnitPicker id="excel-unit" className="xz-w-200" placeholder={t('options.unitPlaceholder')} aria-label={t('options.unit')}
                value={settings.unitId} knownLabel={settings.unit ?? undefined}
                onChange={(id, label) => setSettings((s) => ({ ...s, unitId: id, unit: id ? label ?? null : null }))} />
            </Form.Item>
            <Form.Item label={t('options.round')} htmlFor="excel-round">
              <RoundPicker id="excel-round" className="xz-w-200" placeholder={t('options.roundPlaceholder')} aria-label={t('options.round')}
                value={settings.roundId} onChange={(v) => setSettings((s) => ({ ...s, roundId: v }))} />
            </Form.Item>
            <Form.Item label={t('options.category')} tooltip={t('options.categoryHint')} htmlFor="excel-category">
              <CategoryPicker id="excel-category" activeOnly className="xz-w-200" placeholder={t('options.categoryPlaceholder')} aria-label={t('options.category')}
                value={settings.categoryId} onChange={(v) => setSettings((s) => ({ ...s, categoryId: v }))} />
            </Form.Item>
            <Form.Item label={t('options.year')} tooltip={t('options.yearHint')} htmlFor="excel-year">
              <InputNumber id="excel-year" min={2000} max={2100} value={settings.year} aria-label={t('options.year')} placeholder={t('options.yearPlaceholder')}
                onChange={(v) => setSettings((s) => ({ ...s, year: typeof v === 'number' ? v : null }))} />
            </Form.Item>
            <Form.Item>
              <Button icon={<ReloadOutlined />} onClick={() => void check(file!, settings, mappings)} disabled={busy} data-testid="excel-recheck">{t('options.again')}</Button>
            </Form.Item>
          </Form>
        </Card>
      )}

      {step.at === 'reading' && (
        <Card style={CARD_GAP}><Typography.Text role="status" data-testid="excel-reading">{t('pick.reading', { name: step.file.fileName })}</Typography.Text></Card>
      )}

      {preview && (
        <>
          <Card style={CARD_GAP} size="small" title={t('sheets.title')}>
            <SheetsTable sheets={preview.sheets} usedSaved={usedSaved} onEdit={setEditing} disabled={busy} />
          </Card>
          <Card style={CARD_GAP} size="small" title={t('preview.title')} data-testid="excel-preview">
            <Typography.Paragraph data-testid="excel-summary">
              {t('preview.summary', preview.counts)}
            </Typography.Paragraph>
            {preview.newUnits.length > 0 && <Typography.Paragraph data-testid="excel-new-units">{t('preview.newUnits', { names: preview.newUnits.join('、') })}</Typography.Paragraph>}
            {preview.newCategories.length > 0 && <Typography.Paragraph>{t('preview.newCategories', { names: preview.newCategories.join('、') })}</Typography.Paragraph>}
            <Tabs
              size="small" defaultActiveKey={errors > 0 ? 'errors' : 'problems'}
              items={previewTabs(preview, t)}
            />
          </Card>
          <Card style={CARD_GAP} size="small">
            {errors > 0 && (
              <>
                {!skipBad && <Alert type="warning" showIcon title={t('run.blocked', { n: errors })} style={{ marginBottom: 8 }} data-testid="excel-blocked" />}
                <Checkbox checked={skipBad} onChange={(e) => setSkipBad(e.target.checked)} disabled={busy} data-testid="excel-skip-bad">{t('run.skipBad')}</Checkbox>
                {skipBad && <Typography.Paragraph type="warning" style={{ marginTop: 4 }}>{t('run.skipBadHint', { n: errors })}</Typography.Paragraph>}
              </>
            )}
            {step.at === 'importing' ? (
              <div role="status" data-testid="excel-importing" style={{ marginTop: 8 }}>
                <Typography.Text>{progress ? t('run.importing', progress) : t('run.starting')}</Typography.Text>
                <Progress percent={progress ? Math.floor((progress.done / Math.max(progress.total, 1)) * 100) : 0} aria-label={t('run.starting')} />
              </div>
            ) : (
              <Space style={{ marginTop: 8, display: 'flex' }}>
                <Button type="primary" icon={<ImportOutlined />} disabled={!canRun} onClick={() => confirmRun(file!, preview)} data-testid="excel-run">{t('run.go')}</Button>
              </Space>
            )}
          </Card>
        </>
      )}

      {editing && preview && file && (
        <MappingDialog
          sheet={preview.sheets.find((s) => s.name === editing)!} current={mappings[editing]}
          onClose={() => setEditing(null)}
          onApply={(m) => {
            const next = { ...mappings, [m.sheet]: m };
            setMappings(next);
            setUsedSaved((u) => {
              const { [m.sheet]: _, ...rest } = u;
              return rest;
            });
            setEditing(null);
            void check(file, settings, next);
          }}
          onSaved={() => saved.reload()}
        />
      )}
    </div>
  );
}
