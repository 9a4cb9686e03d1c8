/**
 * Choosing a package or a receipt to import. In the desktop app the system's open dialog gives the
 * engine a real path (exchange:pick: the page never names a file). In the browser preview a page
 * has only the file's bytes: the picked file is uploaded into the ledger's exchange folder by the
 * harness (api/client.ts harnessFiles), with its progress, and its path comes back from there.
 */
import { FolderOpenOutlined, InboxOutlined } from '@ant-design/icons';
import { Button, Progress, Typography, Upload } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, harnessFiles, type UploadedFile } from '../../api/client.js';

export interface PickFileProps {
  /** What is picked: an exchange package or receipt (exchange:pick), or a workbook (excel:pick). */
  kind: 'changes' | 'receipt' | 'excel';
  /** The drop box's words and the desktop button's. */
  pick: string;
  hint?: string;
  button: string;
  disabled?: boolean;
  /** One line instead of the drop box (once a file is picked). */
  compact?: boolean;
  testId?: string;
  onPicked(file: UploadedFile): void;
  onError(e: unknown): void;
}

export function PickFile(p: PickFileProps) {
  const { t } = useTranslation('exchange');
  const [percent, setPercent] = useState<number | null>(null);
  const files = harnessFiles();

  async function upload(file: File) {
    if (!files) return;
    setPercent(0);
    try {
      p.onPicked(await files.upload(file, setPercent, p.kind === 'excel' ? 'excel' : undefined));
    } catch (e) {
      p.onError(e);
    } finally {
      setPercent(null);
    }
  }

  async function choose() {
    try {
      const r = p.kind === 'excel' ? await call('excel:pick') : await call('exchange:pick', { kind: p.kind });
      if (r) p.onPicked(r);
    } catch (e) {
      p.onError(e);
    }
  }

  if (!files) {
    return <Button icon={<FolderOpenOutlined />} onClick={() => void choose()} disabled={p.disabled} data-testid={p.testId}>{p.button}</Button>;
  }
  const busy = percent !== null;
  return (
    <div data-testid={p.testId}>
      <Upload.Dragger
        accept={p.kind === 'excel' ? '.xlsx,.xls,.csv' : '.xzpkg'} multiple={false} showUploadList={false} disabled={p.disabled || busy} className={p.compact ? 'xz-card-picked' : undefined}
        beforeUpload={(f) => { void upload(f); return Upload.LIST_IGNORE; }}
      >
        {p.compact ? (
          <p className="ant-upload-text"><InboxOutlined /> <span>{p.pick}</span></p>
        ) : (
          <>
            <p className="ant-upload-drag-icon"><InboxOutlined /></p>
            <p className="ant-upload-text">{p.pick}</p>
            {p.hint && <p className="ant-upload-hint">{p.hint}</p>}
          </>
        )}
      </Upload.Dragger>
      {busy && (
        <div className="xz-exchange-progress">
          <Typography.Text role="status">{t('import.uploading', { percent })}</Typography.Text>
          <Progress percent={percent} size="small" aria-label={t('import.uploading', { percent })} />
        </div>
      )}
    </div>
  );
}
