/** The forms of 轮次归档: 归档 (where to write the file), 清理 (the round's name typed), and a path + recovery key (打开归档, 从归档恢复). */
import { Alert, Descriptions, Form, Input, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { FormShell } from '../../components/forms/FormShell.js';
import { shortHash } from '../detail/format.js';
import type { ArchiveRow, Readiness } from './api.js';

export function CreateArchiveDialog({ round, defaultPath, onSubmit, onClose }: {
  round: Readiness;
  defaultPath: string;
  onSubmit(path: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation('backup');
  return (
    <FormShell<{ path: string }>
      title={t('createTitle', { name: round.roundName })} okText={t('createOk')} doneText={null} size={640} testId="archive-create"
      initialValues={{ path: defaultPath }} onClose={onClose} onSubmit={(v) => onSubmit(v.path.trim())}
    >
      <Typography.Paragraph>{t('createIntro')}</Typography.Paragraph>
      <Form.Item name="path" label={t('pathLabel')} extra={t('pathHint')} rules={[{ required: true, whitespace: true, message: t('pathRequired') }]}>
        <Input maxLength={1000} autoFocus className="xz-mono" spellCheck={false} autoComplete="off" />
      </Form.Item>
    </FormShell>
  );
}

/** The counts of a round's records, largest tables first, with their labels. */
export function CountsList({ counts, testId }: { counts: Record<string, number>; testId?: string }) {
  const { t } = useTranslation('backup');
  const rows = Object.entries(counts).filter(([, n]) => n > 0);
  return (
    <Descriptions size="small" bordered column={3} data-testid={testId}>
      {rows.map(([table, n]) => (
        <Descriptions.Item key={table} label={t(`tables.${table}`, { defaultValue: table })}>{n}</Descriptions.Item>
      ))}
    </Descriptions>
  );
}

export function PurgeDialog({ round, archive, onSubmit, onClose }: {
  round: Readiness;
  archive: ArchiveRow;
  onSubmit(confirmText: string): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation('backup');
  return (
    <FormShell<{ confirmText: string }>
      title={t('purgeTitle', { name: round.roundName })} okText={t('purgeOk')} danger doneText={null} size={680} testId="archive-purge"
      initialValues={{ confirmText: '' }} onClose={onClose} onSubmit={(v) => onSubmit(v.confirmText ?? '')}
    >
      <Alert type="warning" showIcon title={t('purgeWarn')} style={{ marginBottom: 12 }} />
      <Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('purgeArchive')}</Typography.Paragraph>
      <Typography.Paragraph>
        {archive.fileName} <Typography.Text type="secondary" className="xz-mono" title={archive.sha256}>SHA-256 {shortHash(archive.sha256)}</Typography.Text>
      </Typography.Paragraph>
      <Typography.Paragraph strong style={{ marginBottom: 4 }}>{t('purgeCounts')}</Typography.Paragraph>
      <div style={{ marginBottom: 12 }}><CountsList counts={round.counts} testId="purge-counts" /></div>
      <Form.Item
        name="confirmText" label={t('purgeConfirm', { name: round.roundName })}
        rules={[{ required: true, message: t('purgeConfirmRequired') }]}
      >
        <Input maxLength={400} autoComplete="off" spellCheck={false} />
      </Form.Item>
    </FormShell>
  );
}

/** 打开归档 / 从归档恢复: the archive file and its recovery key. */
export function KeyPathDialog({ title, intro, okText, path, testId, onSubmit, onClose }: {
  title: string;
  intro: ReactNode;
  okText: string;
  path: string;
  testId: string;
  onSubmit(v: { path: string; recoveryKey: string }): Promise<void>;
  onClose(): void;
}) {
  const { t } = useTranslation('backup');
  return (
    <FormShell<{ path: string; recoveryKey: string }>
      title={title} okText={okText} doneText={null} size={640} testId={testId}
      initialValues={{ path, recoveryKey: '' }} onClose={onClose}
      onSubmit={(v) => onSubmit({ path: v.path.trim(), recoveryKey: v.recoveryKey.trim() })}
    >
      <Typography.Paragraph>{intro}</Typography.Paragraph>
      <Form.Item name="path" label={t('pathLabel')} rules={[{ required: true, whitespace: true, message: t('pathRequired') }]}>
        <Input maxLength={1000} autoFocus={!path} className="xz-mono" spellCheck={false} autoComplete="off" />
      </Form.Item>
      <Form.Item name="recoveryKey" label={t('keyInput')} extra={t('keyInputHint')} rules={[{ required: true, whitespace: true, message: t('keyRequired') }]}>
        <Input maxLength={64} autoFocus={!!path} className="xz-mono" spellCheck={false} autoComplete="off" placeholder="XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX-XXXX" />
      </Form.Item>
    </FormShell>
  );
}
