/**
 * A package or receipt the engine wrote: its name, folder and size, and in the browser preview a
 * download link (the desktop app wrote it where the user can copy it from, or on the stick chosen).
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Descriptions, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { harnessFiles } from '../../api/client.js';
import { fileSize } from '../detail/format.js';

export function WrittenFile({ path, fileName, bytes, download, extra, testId }: {
  path: string; fileName: string; bytes?: number | null; download: string; extra?: { key: string; label: string; children: ReactNode }[]; testId?: string;
}) {
  const { t } = useTranslation('exchange');
  const files = harnessFiles();
  const folder = path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')));
  return (
    <div data-testid={testId}>
      <Descriptions size="small" bordered column={1} className="xz-exchange-file" items={[
        { key: 'name', label: t('export.fileName'), children: <span className="xz-break" data-testid="file-name">{fileName}</span> },
        { key: 'path', label: t('export.path'), children: <Typography.Text code copyable={{ text: path }} className="xz-break" data-testid="file-path">{folder}</Typography.Text> },
        ...(bytes === null || bytes === undefined ? [] : [{ key: 'size', label: t('export.size'), children: <span data-testid="file-size">{fileSize(bytes)}</span> }]),
        ...(extra ?? []),
      ]} />
      {files && (
        <Button icon={<DownloadOutlined />} href={files.downloadUrl(path)} download={fileName} className="xz-exchange-download" data-testid="file-download">
          {download}
        </Button>
      )}
    </div>
  );
}
