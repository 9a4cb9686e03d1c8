import { FolderOpenOutlined, ReloadOutlined, RollbackOutlined } from '@ant-design/icons';
import { App, Button, Card, Result, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { useSession } from '../../core/session.js';
import { shortHash } from '../detail/format.js';
import { PageHead } from '../settings/PageHead.js';
import { defaultArchivePath, moment, total } from '../backup/format.js';
import { purgeable, type ArchiveRow, type Created, type Opened, type Readiness } from './api.js';
import { ArchiveKeyDialog } from './ArchiveKeyDialog.js';
import { ArchiveViewer } from './ArchiveViewer.js';
import { CreateArchiveDialog, KeyPathDialog, PurgeDialog } from './dialogs.js';
import '../backup/backup.css';

type Dialog =
  | { kind: 'create'; round: Readiness }
  | { kind: 'purge'; round: Readiness; archive: ArchiveRow }
  | { kind: 'open' | 'restore'; path: string };

const STATUS_COLOURS: Record<string, string> = { archived: 'blue', purged: 'default', restored: 'green' };
const OPEN_KINDS = ['problems', 'tasks', 'extensions', 'closeouts', 'clues', 'suggestions', 'petitions'] as const;

/**
 * 轮次归档 (管理员): per round whether it is finished (办结) and can be archived, 归档 into an
 * encrypted file with its own recovery key (shown once), 清理 the archived round out of the ledger
 * (its name typed to confirm), the archives made here, and 打开归档 (read-only) / 从归档恢复.
 */
export function ArchiveScreen() {
  const { t } = useTranslation('backup');
  const s = useSession();
  if (s.user.role !== 'admin') {
    return <Result status="warning" title={<h1 className="xz-result-h1">{t('archiveTitle')}</h1>} subTitle={t('adminOnly')} data-testid="archive-refused" />;
  }
  return <ArchiveBody />;
}

function ArchiveBody() {
  const { t } = useTranslation('backup');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message } = App.useApp();
  const [tick, setTick] = useState(0);
  const reload = () => setTick((x) => x + 1);
  const rounds = useQuery(async () => {
    const list = await call('rounds:list', {});
    return Promise.all(list.map((r) => call('archive:readiness', { roundId: r.id })));
  }, [tick]);
  const archives = useQuery(() => call('archive:list'), [tick]);
  // The ledger's folder is the one that holds its backups folder: the default place of an archive.
  const backupsDir = useQuery(() => call('backup:list').then((b) => b.dir, () => null), []);
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const [created, setCreated] = useState<Created | null>(null);
  const [opened, setOpened] = useState<Opened | null>(null);

  // An archive left open when the screen goes away is closed (the engine keeps one per session).
  const openRef = useRef(false);
  openRef.current = opened !== null;
  useEffect(() => () => {
    if (openRef.current) void call('archive:close').catch(() => undefined);
  }, []);

  const roundsChanged = () => window.dispatchEvent(new Event('xz:rounds-changed'));

  async function create(round: Readiness, path: string) {
    const r = await call('archive:create', { roundId: round.roundId, path });
    setCreated(r);
    reload();
  }

  async function purge(round: Readiness, archive: ArchiveRow, confirmText: string) {
    const r = await call('archive:purge', { roundId: round.roundId, archiveSha256: archive.sha256, confirmText });
    void message.success(t('purgeDone', { name: r.roundName, n: total(r.counts) }));
    reload();
    roundsChanged();
  }

  async function open(v: { path: string; recoveryKey: string }) {
    const r = await call('archive:open', v);
    setOpened({ ...r, path: v.path });
  }

  async function restore(v: { path: string; recoveryKey: string }) {
    const r = await call('archive:restore', v);
    void message.success(t('restoreDone', { name: r.roundName, n: total(r.counts) }));
    reload();
    roundsChanged();
  }

  async function closeArchive() {
    await call('archive:close').catch(() => undefined);
    setOpened(null);
  }

  if (opened) return <ArchiveViewer opened={opened} onClose={() => void closeArchive()} />;

  const openText = (r: Readiness) => OPEN_KINDS.filter((k) => r.open[k] > 0).map((k) => t(`open.${k}`, { n: r.open[k] })).join('、');

  return (
    <div className="xz-page" data-testid="archive-screen">
      <PageHead
        title={t('archiveTitle')}
        actions={(
          <Space wrap>
            <Button icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>
            <Button icon={<FolderOpenOutlined />} onClick={() => setDialog({ kind: 'open', path: '' })}>{t('openArchive')}</Button>
            <Button icon={<RollbackOutlined />} onClick={() => setDialog({ kind: 'restore', path: '' })}>{t('restoreArchive')}</Button>
          </Space>
        )}
      />
      <Typography.Paragraph type="secondary">{t('archiveIntro')}</Typography.Paragraph>

      <Card size="small" title={<h2 className="xz-card-h2">{t('roundsTitle')}</h2>} style={{ marginBottom: 12 }}>
        {rounds.error ? <ErrorState error={rounds.error} onRetry={reload} /> : (
          <Table<Readiness>
            size="small" rowKey="roundId" pagination={false} loading={rounds.loading} dataSource={rounds.data ?? []} data-testid="archive-rounds"
            locale={{ emptyText: <EmptyState hint={t('noRounds')} /> }}
            columns={[
              { title: t('rcol.round'), dataIndex: 'roundName', ellipsis: true },
              {
                title: t('rcol.readiness'), key: 'ready', render: (_, r) => (r.finished
                  ? <Tag color="success" data-testid="round-finished">{t('finished')}</Tag>
                  : <span><Tag color="warning">{t('notFinished')}</Tag><Typography.Text>{openText(r)}</Typography.Text></span>),
              },
              {
                title: t('rcol.records'), key: 'records', width: 220,
                render: (_, r) => t('records', { problems: r.counts.problems ?? 0, tasks: r.counts.tasks ?? 0, total: total(r.counts) }),
              },
              {
                title: t('rcol.archive'), key: 'archive', width: 200, ellipsis: true, render: (_, r) => {
                  const a = r.archives[0];
                  return a ? <span title={a.filePath}><Tag color={STATUS_COLOURS[a.status]}>{t(`astatus.${a.status}`)}</Tag>{a.fileName}</span>
                    : <Typography.Text type="secondary">{t('notArchived')}</Typography.Text>;
                },
              },
              {
                title: t('rcol.ops'), key: 'ops', width: 150, render: (_, r) => {
                  const a = purgeable(r);
                  return (
                    <Space size={0}>
                      <Tooltip title={r.finished ? undefined : t('needFinished')}>
                        <Button size="small" type="link" disabled={!r.finished} aria-label={t('archiveOfRound', { name: r.roundName })}
                          onClick={() => setDialog({ kind: 'create', round: r })}>{t('archiveBtn')}</Button>
                      </Tooltip>
                      <Tooltip title={a ? undefined : t('needArchive')}>
                        <Button size="small" type="link" danger disabled={!a} aria-label={t('purgeOfRound', { name: r.roundName })}
                          onClick={() => a && setDialog({ kind: 'purge', round: r, archive: a })}>{t('purgeBtn')}</Button>
                      </Tooltip>
                    </Space>
                  );
                },
              },
            ]}
          />
        )}
      </Card>

      <Card size="small" title={<h2 className="xz-card-h2">{t('archivesTitle')}</h2>}>
        {archives.error ? <ErrorState error={archives.error} onRetry={reload} /> : (
          <Table<ArchiveRow>
            size="small" rowKey="id" pagination={false} loading={archives.loading} dataSource={archives.data ?? []} data-testid="archive-list"
            locale={{ emptyText: <EmptyState hint={t('noArchives')} /> }}
            columns={[
              { title: t('acol.round'), dataIndex: 'roundName', ellipsis: true },
              { title: t('acol.file'), dataIndex: 'fileName', ellipsis: true, render: (f: string, a) => <span title={a.filePath}>{f}</span> },
              { title: t('acol.createdAt'), key: 'at', width: 150, render: (_, a) => <span className="xz-nowrap">{moment(a.createdAt)}</span> },
              { title: t('acol.createdBy'), dataIndex: 'createdBy', width: 90, render: (w: string | null) => w ?? '—' },
              {
                title: t('acol.status'), key: 'status', width: 300, render: (_, a) => (
                  <span data-testid="archive-status">
                    <Tag color={STATUS_COLOURS[a.status]}>{t(`astatus.${a.status}`)}</Tag>
                    {a.status === 'purged' && a.purgedAt && <Typography.Text type="secondary">{t('purgedAt', { time: moment(a.purgedAt), who: a.purgedBy ?? '—' })}</Typography.Text>}
                    {a.status === 'restored' && a.restoredAt && <Typography.Text type="secondary">{t('restoredAt', { time: moment(a.restoredAt), who: a.restoredBy ?? '—' })}</Typography.Text>}
                  </span>
                ),
              },
              {
                title: t('acol.sha256'), dataIndex: 'sha256', width: 170,
                render: (h: string) => <Typography.Text className="xz-mono" copyable={{ text: h }} title={h}>{shortHash(h)}</Typography.Text>,
              },
              {
                title: t('acol.ops'), key: 'ops', width: 110, render: (_, a) => (
                  <Space size={0}>
                    <Button size="small" type="link" aria-label={t('openOf', { file: a.fileName })} onClick={() => setDialog({ kind: 'open', path: a.filePath })}>
                      {t('openOk')}
                    </Button>
                    {a.status === 'purged' && (
                      <Button size="small" type="link" aria-label={t('restoreOfFile', { file: a.fileName })} onClick={() => setDialog({ kind: 'restore', path: a.filePath })}>
                        {t('restoreOk')}
                      </Button>
                    )}
                  </Space>
                ),
              },
            ]}
          />
        )}
      </Card>

      {dialog?.kind === 'create' && (
        <CreateArchiveDialog
          round={dialog.round} defaultPath={defaultArchivePath(backupsDir.data, dialog.round.roundName)}
          onSubmit={(path) => create(dialog.round, path)} onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'purge' && (
        <PurgeDialog
          round={dialog.round} archive={dialog.archive}
          onSubmit={(text) => purge(dialog.round, dialog.archive, text)} onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'open' && (
        <KeyPathDialog
          title={t('openTitle')} intro={t('openIntro')} okText={t('openOk')} path={dialog.path} testId="archive-open"
          onSubmit={open} onClose={() => setDialog(null)}
        />
      )}
      {dialog?.kind === 'restore' && (
        <KeyPathDialog
          title={t('restoreTitle')} intro={t('restoreIntro')} okText={t('restoreOk')} path={dialog.path} testId="archive-restore"
          onSubmit={restore} onClose={() => setDialog(null)}
        />
      )}
      {created && (
        <ArchiveKeyDialog created={created} officeName={s.office?.name ?? ''} today={s.today} onDone={() => setCreated(null)} />
      )}
    </div>
  );
}
