/**
 * 上传佐证材料: files are picked with antd Upload (beforeUpload returns false, nothing is posted
 * anywhere), read in the page as base64 and handed to evidence:add with the 形成日期 the clerk
 * enters (the date the document was formed, not the upload date). The engine hashes the bytes.
 */
import { InboxOutlined } from '@ant-design/icons';
import { DatePicker, Form, Input, Progress, Select, Typography, Upload, type UploadFile } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { fileSize, isFuture } from './format.js';
import type { Progress as ProgressEntry } from './types.js';

interface UploadValues { owner: string; formedOn: Dayjs | null; description?: string; files: UploadFile[] }

/** Types the preview understands, when the browser does not say. */
const MIME_BY_EXT: Record<string, string> = {
  pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg', gif: 'image/gif', bmp: 'image/bmp', webp: 'image/webp',
  doc: 'application/msword', docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  xls: 'application/vnd.ms-excel', xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', ofd: 'application/ofd',
};

function mimeOf(f: File): string {
  if (f.type) return f.type;
  const ext = f.name.split('.').pop()?.toLowerCase() ?? '';
  return MIME_BY_EXT[ext] ?? 'application/octet-stream';
}

/** Read a file as base64, reporting the fraction read (large scans take a while). */
export function readBase64(file: Blob, onProgress: (fraction: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onprogress = (e) => { if (e.lengthComputable && e.total > 0) onProgress(e.loaded / e.total); };
    r.onerror = () => reject(r.error ?? new Error('read failed'));
    r.onload = () => {
      const s = String(r.result);
      resolve(s.slice(s.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

interface Busy { name: string; size: number; phase: 'read' | 'save'; index: number; total: number; percent: number }

export function EvidenceUpload(p: {
  open: boolean;
  taskId: string;
  progress: ProgressEntry[];
  /** 'task' or a progress entry's id. */
  owner: string;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('tasks');
  const [form] = Form.useForm<UploadValues>();
  const [busy, setBusy] = useState<Busy | null>(null);

  const owners = [
    { value: 'task', label: t('evidence.ownerTask') },
    ...[...p.progress].reverse().map((e) => ({
      value: e.id,
      label: t('evidence.ownerProgress', { date: e.entryDate, text: e.content.length > 24 ? `${e.content.slice(0, 24)}…` : e.content }),
    })),
  ];

  async function save(v: UploadValues) {
    const files = [...v.files];
    const ownerType = v.owner === 'task' ? 'task' : 'progress';
    const ownerId = v.owner === 'task' ? p.taskId : v.owner;
    try {
      for (let k = 0; k < files.length; k++) {
        const f = files[k]!;
        const raw = f.originFileObj;
        if (!raw) continue;
        const base = { name: f.name, size: raw.size, index: k + 1, total: files.length };
        setBusy({ ...base, phase: 'read', percent: Math.round((k / files.length) * 100) });
        const dataBase64 = await readBase64(raw, (x) => setBusy({ ...base, phase: 'read', percent: Math.round(((k + x * 0.8) / files.length) * 100) }));
        setBusy({ ...base, phase: 'save', percent: Math.round(((k + 0.9) / files.length) * 100) });
        await call('evidence:add', {
          ownerType, ownerId, fileName: f.name, mimeType: mimeOf(raw), formedOn: toDay(v.formedOn), description: v.description ?? null, dataBase64,
        });
        // A file saved is taken off the list, so retrying after a later failure does not store it twice.
        form.setFieldValue('files', (form.getFieldValue('files') as UploadFile[]).filter((x) => x.uid !== f.uid));
        p.onSaved();
      }
    } finally {
      setBusy(null);
    }
  }

  return (
    <FormShell<UploadValues>
      open={p.open} form={form} title={t('evidence.uploadTitle')} testId="evidence-dialog" size={600}
      alias={{ dataBase64: 'files', fileName: 'files', ownerId: 'owner', ownerType: 'owner' }}
      initialValues={{ owner: p.owner, files: [] }} onClose={p.onClose} onSubmit={save} okText={t('evidence.upload')} doneText={t('evidence.uploaded')}
    >
      <Form.Item name="owner" label={t('evidence.owner')} rules={[{ required: true }]}>
        <Select options={owners} />
      </Form.Item>
      <Form.Item
        name="formedOn" label={t('fields.formedOn')} extra={t('evidence.formedOnHint')}
        rules={[{ required: true, message: t('evidence.formedOnRequired') }]}
      >
        <DatePicker disabledDate={isFuture} style={{ width: 180 }} />
      </Form.Item>
      <Form.Item name="description" label={t('fields.description')}>
        <Input maxLength={200} placeholder={t('evidence.descriptionPlaceholder')} />
      </Form.Item>
      <Form.Item
        name="files" label={t('evidence.files')} valuePropName="fileList"
        getValueFromEvent={(e: { fileList: UploadFile[] } | UploadFile[]) => (Array.isArray(e) ? e : e.fileList)}
        rules={[{ required: true, type: 'array', min: 1, message: t('evidence.filesRequired') }]}
      >
        <Upload.Dragger multiple beforeUpload={() => false} disabled={!!busy}>
          <p className="ant-upload-drag-icon"><InboxOutlined /></p>
          <p className="ant-upload-text">{t('evidence.dropHint')}</p>
          <p className="ant-upload-hint">{t('evidence.dropSubHint')}</p>
        </Upload.Dragger>
      </Form.Item>
      {busy && (
        <div data-testid="upload-progress">
          <Typography.Text type="secondary">
            {t(busy.phase === 'read' ? 'evidence.reading' : 'evidence.saving', { name: busy.name, size: fileSize(busy.size), index: busy.index, total: busy.total })}
          </Typography.Text>
          <Progress percent={busy.percent} status="active" size="small" />
        </div>
      )}
    </FormShell>
  );
}
