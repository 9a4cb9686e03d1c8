import { CloudUploadOutlined, FolderOpenOutlined, ReloadOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Input, Progress, Space, Table, Tag, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { toApiError, useQuery } from '../../components/hooks.js';
import { EmptyState, ErrorState, errorText } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { fileSize } from '../detail/format.js';
import { PageHead } from '../settings/PageHead.js';
import { countOf, moment } from './format.js';
import { RestoreDialog, type Verified } from './RestoreDialog.js';
import './backup.css';

type Listing = Awaited<ResultOf<'backup:list'>>;
type Entry = Listing['entries'][number];
type BackupProgress = NonNullable<Listing['progress']>;
/** The result of 校验 for a row: passed, or the engine's sentence. */
type Check = { ok: true } | { ok: false; message: string };

const REASONS = ['schedule', 'manual', 'before_migration', 'before_import', 'before_restore', 'folder'];
/** Reason → tag colour: what the user did (manual, folder) stands out from what the program did. */
const REASON_COLOURS: Record<string, string> = { manual: 'blue', folder: 'blue', before_restore: 'gold', before_migration: 'default', before_import: 'default', schedule: 'default' };
/** Problems that keep a backup from being restored at all (the engine's verification decides the rest). */
const UNRESTORABLE = new Set(['file_missing', 'foreign', 'unencrypted']);
const POLL_MS = 400;

/**
 * 备份与恢复: the ledger's backups (newest first) with their counts and problems; 立即备份 with
 * its progress (polled from backup:list while it runs); 备份到文件夹 (a U disk); per backup 校验
 * and 恢复 (管理员: settings.write). A restore ends every session: the log-in screen follows.
 */
export function BackupScreen() {
  const { t } = useTranslation('backup');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message } = App.useApp();
  const report = useErrorReport();
  const list = useQuery(() => call('backup:list'), []);
  const [running, setRunning] = useState(false);
  const [progress, setProgress] = useState<BackupProgress | null>(null);
  const [checks, setChecks] = useState<Record<string, Check>>({});
  const [busy, setBusy] = useState<string | null>(null);
  const [folderOpen, setFolderOpen] = useState(false);
  const [restoring, setRestoring] = useState<Verified | null>(null);
  const canWrite = s.can('settings.write');

  // While a backup runs (ours, or the schedule's found on opening the screen) its progress is polled.
  const polling = running || !!list.data?.progress;
  useEffect(() => {
    if (!polling) return;
    let stop = false;
    const tick = () => call('backup:list').then((r) => {
      if (stop) return;
      setProgress(r.progress);
      if (!r.progress && !running) list.reload();
    }, () => undefined);
    const id = window.setInterval(() => void tick(), POLL_MS);
    void tick();
    return () => {
      stop = true;
      window.clearInterval(id);
    };
  }, [polling, running, list.reload]);

  async function backupNow() {
    if (running) return;
    setRunning(true);
    try {
      const r = await call('backup:create');
      void message.success(t('created', { name: r.name }));
    } catch (e) {
      report(e);
    } finally {
      setRunning(false);
      setProgress(null);
      list.reload();
    }
  }

  async function toFolder(folder: string) {
    setRunning(true);
    try {
      const r = await call('backup:toFolder', folder ? { folder } : {});
      if (r) void message.success(t('folderDone', { path: r.path }));
      else void message.info(t('folderNone'));
    } finally {
      setRunning(false);
      setProgress(null);
      list.reload();
    }
  }

  /** 校验 (and the first step of 恢复): the engine opens the copy with the key and checks all of it. */
  async function verify(e: Entry, thenRestore: boolean) {
    setBusy(e.path);
    try {
      const v = await call('backup:verify', { path: e.path });
      setChecks((c) => ({ ...c, [e.path]: { ok: true } }));
      if (thenRestore) setRestoring(v);
      else void message.success(t('verifyOk', { time: moment(v.createdAt) }));
    } catch (err) {
      const text = errorText(toApiError(err), tc);
      setChecks((c) => ({ ...c, [e.path]: { ok: false, message: text } }));
      report(err);
    } finally {
      setBusy(null);
    }
  }

  const entries = list.data?.entries ?? [];
  const percent = progress && progress.bytesTotal > 0 ? Math.min(100, Math.round((progress.bytesWritten / progress.bytesTotal) * 100)) : 0;

  return (
    <div className="xz-page" data-testid="backup-screen">
      <PageHead
        title={t('title')}
        actions={(
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={list.reload}>{tc('actions.refresh')}</Button>
            {canWrite && <Button icon={<FolderOpenOutlined />} onClick={() => setFolderOpen(true)} disabled={running}>{t('toFolder')}</Button>}
            <Button type="primary" icon={<CloudUploadOutlined />} loading={running} onClick={() => void backupNow()} data-testid="backup-now">{t('create')}</Button>
          </Space>
        )}
      />
      {list.data?.lastError && (
        <Alert type="warning" showIcon title={t('lastError', { message: list.data.lastError.message })} style={{ marginBottom: 12 }} />
      )}
      {(running || progress) && (
        <Card size="small" style={{ marginBottom: 12 }} data-testid="backup-progress">
          <div role="status" aria-live="polite">
            <Typography.Text>{progress ? t(`phase.${progress.phase}`) : t('running')}</Typography.Text>
          </div>
          <Progress percent={progress?.phase === 'copy' ? percent : progress && progress.phase !== 'start' ? 100 : 0} status="active" aria-label={t('progress')} />
        </Card>
      )}
      <Card size="small">
        {list.error ? <ErrorState error={list.error} onRetry={list.reload} /> : (
          <>
            <Space wrap style={{ marginBottom: 8 }}>
              <Typography.Text type="secondary">{t('folder')}</Typography.Text>
              {list.data && <Typography.Text code copyable data-testid="backup-dir">{list.data.dir}</Typography.Text>}
              <Typography.Text type="secondary" data-testid="backup-count">{t('count', { n: entries.length })}</Typography.Text>
            </Space>
            <Table<Entry>
              size="small" rowKey="path" sticky pagination={false} loading={list.loading && !list.data} dataSource={entries} data-testid="backup-table"
              locale={{ emptyText: <EmptyState hint={t('empty')} /> }}
              columns={[
                { title: t('col.time'), key: 'time', width: 160, render: (_, e) => <span className="xz-nowrap">{moment(e.createdAt)}</span> },
                {
                  title: t('col.reason'), key: 'reason', width: 110,
                  render: (_, e) => <Tag color={REASON_COLOURS[e.reason ?? ''] ?? 'default'}>{t(`reasons.${e.reason && REASONS.includes(e.reason) ? e.reason : 'unknown'}`)}</Tag>,
                },
                { title: t('col.problems'), key: 'problems', width: 70, align: 'right', render: (_, e) => countOf(e.manifest?.counts, 'problems') },
                { title: t('col.tasks'), key: 'tasks', width: 70, align: 'right', render: (_, e) => countOf(e.manifest?.counts, 'tasks') },
                { title: t('col.clues'), key: 'clues', width: 70, align: 'right', render: (_, e) => countOf(e.manifest?.counts, 'clues') },
                { title: t('col.audit'), key: 'audit', width: 84, align: 'right', render: (_, e) => countOf(e.manifest?.counts, 'audit_log') },
                { title: t('col.size'), key: 'size', width: 90, align: 'right', render: (_, e) => (e.bytes === null ? '—' : fileSize(e.bytes)) },
                { title: t('col.status'), key: 'status', render: (_, e) => <BackupStatus entry={e} check={checks[e.path]} /> },
                ...(canWrite ? [{
                  title: t('col.ops'), key: 'ops', width: 120, render: (_: unknown, e: Entry) => {
                    const time = moment(e.createdAt);
                    const blocked = e.problems.some((p) => UNRESTORABLE.has(p.reason));
                    return (
                      <Space size={0}>
                        <Button size="small" type="link" aria-label={t('verifyOf', { time })} disabled={blocked || busy !== null} loading={busy === e.path}
                          onClick={() => void verify(e, false)}>{t('verify')}</Button>
                        <Button size="small" type="link" danger aria-label={t('restoreOf', { time })} disabled={blocked || busy !== null || running}
                          onClick={() => void verify(e, true)}>{t('restore')}</Button>
                      </Space>
                    );
                  },
                }] : []),
              ]}
            />
          </>
        )}
      </Card>
      <FormShell<{ folder: string }>
        open={folderOpen} title={t('folderTitle')} okText={t('folderOk')} doneText={null} size={520} testId="backup-folder"
        initialValues={{ folder: '' }} onClose={() => setFolderOpen(false)} onSubmit={(v) => toFolder((v.folder ?? '').trim())}
      >
        <Form.Item name="folder" label={t('folderLabel')} extra={t('folderHint')}>
          <Input maxLength={1000} autoFocus className="xz-mono" spellCheck={false} autoComplete="off" />
        </Form.Item>
      </FormShell>
      {restoring && <RestoreDialog backup={restoring} onCancel={() => setRestoring(null)} onDone={() => void s.logout()} />}
    </div>
  );
}

function BackupStatus({ entry, check }: { entry: Entry; check: Check | undefined }) {
  const { t } = useTranslation('backup');
  if (check && !check.ok) {
    return <Typography.Text type="danger" data-testid="backup-problem"><Tag color="error">{t('statusBad')}</Tag>{check.message}</Typography.Text>;
  }
  if (entry.problems.length > 0) {
    return (
      <Typography.Text type="danger" data-testid="backup-problem">
        {entry.problems.map((p) => p.message).join(' ')}
      </Typography.Text>
    );
  }
  return check?.ok ? <Tag color="success">{t('statusVerified')}</Tag> : <Tag color="success">{t('statusOk')}</Tag>;
}
