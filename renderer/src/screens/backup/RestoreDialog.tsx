import { Alert, Button, Descriptions, Modal, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { errorText } from '../../components/States.js';
import { countOf, moment } from './format.js';

export type Verified = Awaited<ResultOf<'backup:verify'>>;
type Restored = Awaited<ResultOf<'backup:restore'>>;

const REASONS = ['schedule', 'manual', 'before_migration', 'before_import', 'before_restore', 'folder'];
/** The counts the confirmation names (the backup's own, as verified just now). */
const SHOWN = [['problems', 'col.problems'], ['tasks', 'col.tasks'], ['clues', 'col.clues'], ['audit_log', 'col.audit'], ['users', 'users']] as const;

/**
 * 恢复: the verified backup's date and counts and what a restore does to accounts, then the
 * restore itself, then 重新登录 (the engine has closed the ledger: every session has ended).
 * While the restore runs the dialog cannot be dismissed.
 */
export function RestoreDialog({ backup, onCancel, onDone }: { backup: Verified; onCancel(): void; onDone(): void }) {
  const { t } = useTranslation('backup');
  const { t: tc } = useTranslation();
  const [phase, setPhase] = useState<'confirm' | 'running' | 'done'>('confirm');
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<Restored | null>(null);
  const time = moment(backup.createdAt);

  async function restore() {
    setPhase('running');
    setError(null);
    try {
      setResult(await call('backup:restore', { path: backup.path }));
      setPhase('done');
    } catch (e) {
      setError(errorText(toApiError(e), tc));
      setPhase('confirm');
    }
  }

  if (phase === 'done' && result) {
    return (
      <Modal open closable={false} keyboard={false} mask={{ closable: false }} width={520} title={t('doneTitle')}
        footer={<Button type="primary" autoFocus onClick={onDone} data-testid="relogin">{t('relogin')}</Button>}>
        <Result
          status="success" data-testid="restore-done" className="xz-restore-done"
          title={t('doneText', { time: moment(result.restored.createdAt), name: result.setAside.name })}
          subTitle={t('doneRelogin')}
        />
      </Modal>
    );
  }

  const running = phase === 'running';
  return (
    <Modal
      open title={t('confirmTitle')} width={560} onCancel={running ? undefined : onCancel} closable={!running} keyboard={!running}
      mask={{ closable: false }} okText={t('confirmOk')} cancelText={tc('actions.cancel')} onOk={() => void restore()}
      okButtonProps={{ danger: true, loading: running }} cancelButtonProps={{ disabled: running }}
    >
      <div data-testid="restore-confirm">
        {error && <Alert type="error" showIcon title={error} role="alert" style={{ marginBottom: 12 }} />}
        <Typography.Paragraph>{t('confirmIntro')}</Typography.Paragraph>
        <Descriptions size="small" bordered column={2} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('backupTime')}><span data-testid="restore-time">{time}</span></Descriptions.Item>
          <Descriptions.Item label={t('backupReason')}>
            {t(`reasons.${backup.reason && REASONS.includes(backup.reason) ? backup.reason : 'unknown'}`)}
          </Descriptions.Item>
          {SHOWN.map(([table, label]) => (
            <Descriptions.Item key={table} label={t(label)}><span data-testid={`restore-count-${table}`}>{countOf(backup.counts, table)}</span></Descriptions.Item>
          ))}
        </Descriptions>
        <Alert type="warning" showIcon title={t('confirmWarn')} description={t('confirmRelogin')} />
        {running && <Typography.Paragraph role="status" style={{ marginTop: 12 }}>{t('restoring')}</Typography.Paragraph>}
      </div>
    </Modal>
  );
}
