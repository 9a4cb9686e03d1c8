/**
 * 恢复密钥: shown once, right after 建立本单位台账 or the encryption of a plaintext ledger. The key
 * in 8 groups of 4, what it is for, 打印恢复密钥 (a sheet with the office, the date, the key, the
 * instructions and a signature line: the only thing printed while this screen is up, whatever
 * starts the printing), and 继续 only once the user says the key is kept safe.
 */
import { PrinterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { PageTitle } from '../../components/PageTitle.js';

export interface Conversion {
  backupPath: string;
  usersNeedingPassword: string[];
}

export interface KeyScreenProps {
  recoveryKey: string;
  officeName: string;
  /** The engine's date (YYYY-MM-DD). */
  today: string;
  /** Present after the conversion of a plaintext ledger. */
  conversion?: Conversion | undefined;
  onContinue(): void;
}

/** While this screen is up, printing shows only the key sheet (styles.css). */
const PRINTING_CLASS = 'xz-keysheet-on';

/** The key as 8 groups of 4 characters (the engine gives them dashed already; spaces tolerated). */
export function keyGroups(key: string): string[] {
  const plain = key.replace(/[\s-]/g, '').toUpperCase();
  return plain.match(/.{1,4}/g) ?? [];
}

function KeyGroups({ groups, testId }: { groups: string[]; testId?: string }) {
  return (
    <div className="xz-recovery-key" data-testid={testId}>
      {groups.map((g, i) => (
        <span key={i} className="xz-key-part">
          {i > 0 && <span className="xz-key-sep">-</span>}
          <span className="xz-key-group">{g}</span>
        </span>
      ))}
    </div>
  );
}

export function RecoveryKeyScreen({ recoveryKey, officeName, today, conversion, onContinue }: KeyScreenProps) {
  const { t } = useTranslation('auth');
  const { t: tc } = useTranslation();
  const [saved, setSaved] = useState(false);
  const hintId = useId();
  const groups = keyGroups(recoveryKey);
  const date = dayjs(today).format(t('keySheet.dateFormat'));

  useEffect(() => {
    document.body.classList.add(PRINTING_CLASS);
    return () => document.body.classList.remove(PRINTING_CLASS);
  }, []);

  return (
    <main className="xz-keyscreen" data-testid="recovery-key-screen">
      <PageTitle look={3}><SafetyCertificateOutlined aria-hidden /> {t('keyScreen.title')}</PageTitle>
      {conversion && <Alert type="success" showIcon title={t('keyScreen.converted')} className="xz-keyscreen-gap" />}
      <Card>
        <Alert type="warning" showIcon title={t('keyScreen.once')} />
        <Typography.Paragraph className="xz-key-caption" id={`${hintId}-label`}>{t('keyScreen.keyLabel')}</Typography.Paragraph>
        <div role="group" aria-labelledby={`${hintId}-label`}>
          <KeyGroups groups={groups} testId="recovery-key" />
        </div>
        <Typography.Paragraph className="xz-key-purpose">{t('keyScreen.purpose')}</Typography.Paragraph>
        {conversion && (
          <div className="xz-key-conversion" data-testid="conversion-result">
            <Typography.Paragraph>
              {t('keyScreen.backup')} <Typography.Text code data-testid="backup-path">{conversion.backupPath}</Typography.Text>
            </Typography.Paragraph>
            <Typography.Paragraph type="secondary">{t('keyScreen.backupNote')}</Typography.Paragraph>
            {conversion.usersNeedingPassword.length > 0 ? (
              <>
                <Typography.Paragraph>{t('keyScreen.needPassword')}</Typography.Paragraph>
                <ul className="xz-key-users" data-testid="users-needing-password">
                  {conversion.usersNeedingPassword.map((u) => <li key={u}>{u}</li>)}
                </ul>
              </>
            ) : (
              <Typography.Paragraph>{t('keyScreen.nobodyElse')}</Typography.Paragraph>
            )}
          </div>
        )}
        <Space orientation="vertical" size="middle" className="xz-key-actions">
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>{t('keyScreen.print')}</Button>
          <Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="key-saved">{t('keyScreen.saved')}</Checkbox>
          <div>
            <Button type="primary" disabled={!saved} onClick={onContinue} aria-describedby={saved ? undefined : hintId}>{t('keyScreen.continue')}</Button>
            {!saved && <Typography.Text type="secondary" id={hintId} className="xz-key-continue-hint">{t('keyScreen.continueHint')}</Typography.Text>}
          </div>
        </Space>
      </Card>
      {createPortal(
        <div className="xz-keysheet" data-testid="key-sheet">
          <style>{'@page { size: A4 portrait; margin: 22mm 20mm; }'}</style>
          <div className="xz-keysheet-marking">{tc('marking')}</div>
          <h1>{t('keySheet.title')}</h1>
          <p className="xz-keysheet-meta"><span>{t('keySheet.office', { office: officeName })}</span><span>{t('keySheet.date', { date })}</span></p>
          <KeyGroups groups={groups} />
          <ol className="xz-keysheet-rules">
            <li>{t('keySheet.use')}</li>
            <li>{t('keySheet.keep')}</li>
            <li>{t('keySheet.lost')}</li>
          </ol>
          <p className="xz-keysheet-signs"><span>{t('keySheet.keeper')}</span><span>{t('keySheet.keptOn')}</span></p>
        </div>,
        document.body,
      )}
    </main>
  );
}
