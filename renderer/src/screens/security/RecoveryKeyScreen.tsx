/**
 * 恢复密钥: shown once, right after 建立本单位台账 or the encryption of a plaintext ledger. The key
 * in 8 groups of 4, what it is for, 打印恢复密钥 (a sheet with the office, the date, the key, the
 * instructions and a signature line: the only thing printed while this screen is up, whatever
 * starts the printing), and 继续 only once the user says the key is kept safe.
 */
import { PrinterOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyGroups, KeySheet } from '../../components/KeySheet.js';
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

export function RecoveryKeyScreen({ recoveryKey, officeName, today, conversion, onContinue }: KeyScreenProps) {
  const { t } = useTranslation('auth');
  const [saved, setSaved] = useState(false);
  const hintId = useId();
  const date = dayjs(today).format(t('keySheet.dateFormat'));

  return (
    <main className="xz-keyscreen" data-testid="recovery-key-screen">
      <PageTitle look={3}><SafetyCertificateOutlined aria-hidden /> {t('keyScreen.title')}</PageTitle>
      {conversion && <Alert type="success" showIcon title={t('keyScreen.converted')} className="xz-keyscreen-gap" />}
      <Card>
        <Alert type="warning" showIcon title={t('keyScreen.once')} />
        <Typography.Paragraph className="xz-key-caption" id={`${hintId}-label`}>{t('keyScreen.keyLabel')}</Typography.Paragraph>
        <div role="group" aria-labelledby={`${hintId}-label`}>
          <KeyGroups value={recoveryKey} testId="recovery-key" />
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
      <KeySheet
        value={recoveryKey} testId="key-sheet" title={t('keySheet.title')} office={t('keySheet.office', { office: officeName })} date={t('keySheet.date', { date })}
        rules={[t('keySheet.use'), t('keySheet.keep'), t('keySheet.lost')]} keeper={t('keySheet.keeper')} keptOn={t('keySheet.keptOn')}
      />
    </main>
  );
}
