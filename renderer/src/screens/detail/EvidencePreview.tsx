/**
 * 预览佐证材料: evidence:content (re-hashed by the engine on the way out) → a blob URL shown in
 * an <img> for images and an <iframe> for PDF when the page's Content-Security-Policy allows blob:
 * frames; otherwise (and for other types) a download link.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Alert, Button, Modal, Space, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type ApiError } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { ErrorState, Loading } from '../../components/States.js';
import { fileSize } from './format.js';
import type { Evidence } from './types.js';

function decodeBase64(b64: string): Uint8Array<ArrayBuffer> {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let k = 0; k < bin.length; k++) out[k] = bin.charCodeAt(k);
  return out;
}

/**
 * Whether the page policy lets a blob: URL load in a frame (frame-src, else child-src, else
 * default-src). The policy is the meta tag of index.html (the same one the server sends).
 */
export function blobFramesAllowed(): boolean {
  const meta = document.querySelector('meta[http-equiv="Content-Security-Policy"]');
  const policy = meta?.getAttribute('content');
  if (!policy) return true;
  const dirs = new Map(policy.split(';').map((d) => d.trim().split(/\s+/)).filter((d) => d[0]).map((d) => [d[0]!.toLowerCase(), d.slice(1)]));
  const sources = dirs.get('frame-src') ?? dirs.get('child-src') ?? dirs.get('default-src');
  return !sources || sources.includes('blob:') || sources.includes('*');
}

type Shown = { url: string; kind: 'image' | 'pdf' | 'other'; size: number; sha256: string };

export function EvidencePreview({ evidence, onClose }: { evidence: Evidence | null; onClose(): void }) {
  const { t } = useTranslation('tasks');
  const [shown, setShown] = useState<Shown | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [blocked, setBlocked] = useState(false);

  useEffect(() => {
    if (!evidence) return;
    let url: string | null = null;
    let live = true;
    setShown(null);
    setError(null);
    setBlocked(false);
    call('evidence:content', { id: evidence.id }).then(
      (c) => {
        if (!live) return;
        const isImage = /^image\//.test(c.mimeType);
        const isPdf = c.mimeType === 'application/pdf';
        // The blob's type is ours, not the file's: a PDF frame renders as PDF whatever the bytes
        // say, and anything else is offered only as a download (never rendered as a page).
        const type = isImage ? c.mimeType : isPdf ? 'application/pdf' : 'application/octet-stream';
        url = URL.createObjectURL(new Blob([decodeBase64(c.dataBase64)], { type }));
        setShown({ url, kind: isImage ? 'image' : isPdf ? 'pdf' : 'other', size: c.size, sha256: c.sha256 });
      },
      (e: unknown) => live && setError(toApiError(e)),
    );
    // A frame the policy refuses reports a violation: fall back to the download link.
    const onViolation = (e: SecurityPolicyViolationEvent) => {
      if (e.blockedURI.startsWith('blob:') || e.blockedURI === 'blob') setBlocked(true);
    };
    document.addEventListener('securitypolicyviolation', onViolation);
    return () => {
      live = false;
      document.removeEventListener('securitypolicyviolation', onViolation);
      if (url) URL.revokeObjectURL(url);
    };
  }, [evidence]);

  const frames = blobFramesAllowed() && !blocked;
  const download = shown && evidence && (
    <Button icon={<DownloadOutlined />} href={shown.url} download={evidence.fileName} data-testid="evidence-download">
      {t('evidence.download')}
    </Button>
  );

  return (
    <Modal
      open={!!evidence} onCancel={onClose} width={900} centered destroyOnHidden
      title={evidence?.fileName} footer={<Space>{download}<Button onClick={onClose}>{t('evidence.closePreview')}</Button></Space>}
    >
      <div data-testid="evidence-preview">
        {error && <ErrorState error={error} />}
        {!error && !shown && <Loading />}
        {shown && evidence && (
          <>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 8 }}>
              {t('evidence.previewMeta', { size: fileSize(shown.size), formedOn: evidence.formedOn })}
              {' · '}SHA-256 <Typography.Text code copyable={{ text: shown.sha256 }}>{shown.sha256}</Typography.Text>
            </Typography.Paragraph>
            {shown.kind === 'image' && <img src={shown.url} alt={evidence.fileName} style={{ maxWidth: '100%', maxHeight: '60vh', display: 'block', margin: '0 auto' }} data-testid="preview-image" />}
            {shown.kind === 'pdf' && frames && <iframe src={shown.url} title={evidence.fileName} style={{ width: '100%', height: '60vh', border: '1px solid #f0f0f0' }} data-testid="preview-pdf" />}
            {shown.kind === 'pdf' && !frames && <Alert type="info" showIcon title={t('evidence.pdfNoFrame')} data-testid="preview-fallback" />}
            {shown.kind === 'other' && <Alert type="info" showIcon title={t('evidence.noPreview')} data-testid="preview-fallback" />}
          </>
        )}
      </div>
    </Modal>
  );
}
