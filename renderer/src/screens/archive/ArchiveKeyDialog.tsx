/**
 * After 归档: the archive's recovery key, shown once (the engine keeps it nowhere), with the file's
 * name, place, size and SHA-256; 打印恢复密钥 prints only a key sheet (components/KeySheet.tsx); 完成 only once the user says the key is kept.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Descriptions, Modal, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { KeyGroups, KeySheet } from '../../components/KeySheet.js';
import { fileSize } from '../detail/format.js';
import type { Created } from './api.js';

export function ArchiveKeyDialog({ created, officeName, today, onDone }: { created: Created; officeName: string; today: string; onDone(): void }) {
  const { t } = useTranslation('backup');
  const [saved, setSaved] = useState(false);
  const id = useId();

  return (
    <Modal
      open title={t('keyTitle')} width={680} closable={false} keyboard={false} mask={{ closable: false }}
      footer={(
        <Space wrap style={{ width: '100%', justifyContent: 'space-between' }}>
          <Button icon={<PrinterOutlined />} onClick={() => window.print()}>{t('printKey')}</Button>
          <Space wrap>
            {!saved && <Typography.Text type="secondary" id={`${id}-hint`}>{t('keyDoneHint')}</Typography.Text>}
            <Checkbox checked={saved} onChange={(e) => setSaved(e.target.checked)} data-testid="archive-key-saved">{t('keySaved')}</Checkbox>
            <Button type="primary" disabled={!saved} onClick={onDone} aria-describedby={saved ? undefined : `${id}-hint`} data-testid="archive-key-done">
              {t('keyDone')}
            </Button>
          </Space>
        </Space>
      )}
    >
      <div data-testid="archive-key">
        <Alert type="warning" showIcon title={t('keyOnce')} style={{ marginBottom: 12 }} />
        <Descriptions size="small" bordered column={1} style={{ marginBottom: 12 }}>
          <Descriptions.Item label={t('rcol.round')}>{created.roundName}</Descriptions.Item>
          <Descriptions.Item label={t('fileName')}><span data-testid="archive-file-name">{created.fileName}</span></Descriptions.Item>
          <Descriptions.Item label={t('filePath')}><Typography.Text className="xz-break" copyable>{created.path}</Typography.Text></Descriptions.Item>
          <Descriptions.Item label={t('sha256')}>
            <Typography.Text className="xz-mono xz-break" copyable data-testid="archive-sha256">{created.sha256}</Typography.Text>
          </Descriptions.Item>
          <Descriptions.Item label={t('size')}>{fileSize(created.size)}</Descriptions.Item>
        </Descriptions>
        <Typography.Paragraph className="xz-key-caption" id={`${id}-label`}>{t('keyLabel')}</Typography.Paragraph>
        <div role="group" aria-labelledby={`${id}-label`}>
          <KeyGroups value={created.recoveryKey} testId="archive-recovery-key" />
        </div>
        <Typography.Paragraph className="xz-key-purpose">{t('keyPurpose')}</Typography.Paragraph>
      </div>
      <KeySheet
        value={created.recoveryKey} testId="archive-key-sheet" title={t('sheet.title')} office={t('sheet.office', { office: officeName })}
        date={t('sheet.date', { date: dayjs(today).format(t('sheet.dateFormat')) })}
        about={(
          <>
            <p>{t('sheet.round', { name: created.roundName })}<br />{t('sheet.file', { file: created.fileName })}</p>
            <p className="xz-keysheet-sha">{t('sheet.sha', { sha: created.sha256 })}</p>
          </>
        )}
        rules={[t('sheet.use'), t('sheet.keep'), t('sheet.lost')]} keeper={t('sheet.keeper')} keptOn={t('sheet.keptOn')}
      />
    </Modal>
  );
}
