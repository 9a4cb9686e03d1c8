/**
 * 导入交换包: pick the file → the engine verifies, decrypts and previews it (nothing written) → 导入
 * (a confirmation first when it deletes more records than the engine's threshold) → the result and
 * the 回执 the engine wrote for the sender. Each step says what is happening while it runs.
 */
import { ImportOutlined, LoadingOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Result, Space, Typography } from 'antd';
import { useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type UploadedFile } from '../../api/client.js';
import { navigate } from '../../core/router.js';
import { fileSize } from '../detail/format.js';
import { useExchangeError, type ImportDone, type PackagePreview as Preview } from './api.js';
import { PackagePreview } from './PackagePreview.js';
import { PickFile } from './PickFile.js';
import { WrittenFile } from './WrittenFile.js';
import { FirstContactImport, type FirstContactCard } from './FirstContactImport.js';

/** db/exchange/transfer.ts DELETION_CONFIRM_THRESHOLD: said in the confirmation. */
const DELETION_THRESHOLD = 20;

type Step =
  | { at: 'pick' }
  | { at: 'verifying'; file: UploadedFile }
  | { at: 'first'; file: UploadedFile; card: FirstContactCard }
  | { at: 'preview'; file: UploadedFile; preview: Preview; passphrase?: string }
  | { at: 'importing'; file: UploadedFile; preview: Preview; passphrase?: string }
  | { at: 'done'; preview: Preview; result: ImportDone };

export function ImportTab({ officeNames, onImported }: { officeNames: ReadonlyMap<string, string>; onImported(): void }) {
  const { t } = useTranslation('exchange');
  const { t: tc } = useTranslation();
  const { modal } = App.useApp();
  const explain = useExchangeError();
  const [step, setStep] = useState<Step>({ at: 'pick' });
  const [problem, setProblem] = useState<string | null>(null);
  const seq = useRef(0);

  async function picked(file: UploadedFile) {
    const mine = ++seq.current;
    setProblem(null);
    setStep({ at: 'verifying', file });
    try {
      const preview = await call('exchange:preview', { path: file.path });
      if (mine === seq.current) setStep({ at: 'preview', file, preview });
    } catch (e) {
      if (mine !== seq.current) return;
      // A 首次联络包: the sender's card first, then the fingerprint and the passphrase (FirstContactImport).
      if (explain(e).reason === 'passphrase_required') {
        try {
          const card = await call('exchange:firstContactCard', { path: file.path });
          if (mine === seq.current) setStep({ at: 'first', file, card });
          return;
        } catch (e2) {
          e = e2;
        }
      }
      if (mine !== seq.current) return;
      setProblem(explain(e).text);
      setStep({ at: 'pick' });
    }
  }

  async function run(file: UploadedFile, preview: Preview, confirmDeletions: boolean, passphrase?: string) {
    setProblem(null);
    setStep({ at: 'importing', file, preview, passphrase });
    try {
      const result = await call('exchange:import', { path: preview.path, confirmDeletions, passphrase: passphrase ?? null });
      setStep({ at: 'done', preview, result });
      onImported();
    } catch (e) {
      const x = explain(e);
      setStep({ at: 'preview', file, preview, passphrase });
      if (x.reason === 'needs_deletion_confirmation') confirmThen(file, preview, passphrase);
      else setProblem(x.text);
    }
  }

  function confirmThen(file: UploadedFile, preview: Preview, passphrase?: string) {
    const n = preview.preview.deletions;
    modal.confirm({
      title: t('import.confirmTitle', { n }), content: t('import.confirmText', { n, threshold: DELETION_THRESHOLD }),
      okText: t('import.confirmOk'), okButtonProps: { danger: true }, cancelText: tc('actions.cancel'),
      onOk: () => void run(file, preview, true, passphrase),
    });
  }

  function startImport(file: UploadedFile, preview: Preview, passphrase?: string) {
    if (preview.needsDeletionConfirmation) confirmThen(file, preview, passphrase);
    else void run(file, preview, false, passphrase);
  }

  const again = () => {
    seq.current++;
    setProblem(null);
    setStep({ at: 'pick' });
  };


  return (
    <div data-testid="import-tab">
      <Typography.Paragraph type="secondary">{t('import.intro')}</Typography.Paragraph>
      {(step.at === 'pick' || step.at === 'verifying') && (
        <PickFile kind="changes" pick={t('import.pick')} hint={t('import.pickHint')} button={t('import.pickButton')} disabled={step.at === 'verifying'}
          testId="import-pick" onPicked={(f) => void picked(f)} onError={(e) => setProblem(explain(e).text)} />
      )}
      {step.at === 'verifying' && (
        <Alert type="info" showIcon icon={<LoadingOutlined />} className="xz-exchange-status" data-testid="import-verifying"
          title={<span role="status">{t('import.verifying')}</span>} description={t('import.picked', { name: step.file.fileName, size: fileSize(step.file.bytes) })} />
      )}
      {problem && <Alert type="error" showIcon role="alert" title={problem} className="xz-exchange-status" data-testid="import-problem" />}
      {step.at === 'first' && (
        <FirstContactImport file={step.file} card={step.card} onAgain={again}
          onPreview={(preview, passphrase) => setStep({ at: 'preview', file: step.file, preview, passphrase })} />
      )}
      {(step.at === 'preview' || step.at === 'importing') && (
        <>
          <PackagePreview p={step.preview} fileName={step.file.fileName} officeNames={officeNames} />
          <Space wrap className="xz-exchange-actions">
            <Button type="primary" icon={<ImportOutlined />} loading={step.at === 'importing'} onClick={() => startImport(step.file, step.preview, step.passphrase)} data-testid="import-run">
              {t('import.ok')}
            </Button>
            <Button icon={<ReloadOutlined />} onClick={again} disabled={step.at === 'importing'}>{t('import.again')}</Button>
          </Space>
          {step.at === 'importing' && (
            <Alert type="info" showIcon icon={<LoadingOutlined />} className="xz-exchange-status" data-testid="import-running"
              title={<span role="status">{t('import.importing')}</span>} />
          )}
        </>
      )}
      {step.at === 'done' && <ImportResult preview={step.preview} result={step.result} onAgain={again} />}
    </div>
  );
}

function ImportResult({ preview, result, onAgain }: { preview: Preview; result: ImportDone; onAgain(): void }) {
  const { t } = useTranslation('exchange');
  const c = result.preview.counts;
  const name = result.sender?.name ?? preview.header.sender.name;
  const pending = c.conflict + c.proposal;
  return (
    <Card size="small" data-testid="import-done">
      <Result
        status="success" className="xz-exchange-result" title={<h3 className="xz-exchange-h3">{t('import.done')}</h3>}
        subTitle={<span role="status" data-testid="import-done-text">{result.alreadyApplied ? t('import.doneAgain') : t('import.doneText', { name, seq: result.seq ?? '', ...c })}</span>}
      />
      {!result.alreadyApplied && c.refused > 0 && (
        <Alert type="warning" showIcon title={t('import.doneRefused', { n: c.refused })} className="xz-exchange-status" data-testid="import-refused" />
      )}
      {!result.alreadyApplied && pending > 0 && (
        <Alert type="warning" showIcon title={t('import.toResolve', { n: pending })} className="xz-exchange-status"
          action={<Button size="small" onClick={() => navigate('exchange', 'conflicts')}>{t('import.goConflicts')}</Button>} />
      )}
      <h3 className="xz-exchange-h3">{t('import.receipt')}</h3>
      {result.receipt ? (
        <>
          <Typography.Paragraph>{t('import.receiptText', { name })}</Typography.Paragraph>
          <WrittenFile path={result.receipt.path} fileName={result.receipt.fileName} download={t('import.downloadReceipt')} testId="import-receipt" />
        </>
      ) : (
        <Alert type="warning" showIcon title={t('import.receiptFailed', { message: result.receiptError ?? '' })} data-testid="import-receipt-failed" />
      )}
      <Button icon={<ReloadOutlined />} onClick={onAgain} className="xz-exchange-actions">{t('import.again')}</Button>
    </Card>
  );
}
