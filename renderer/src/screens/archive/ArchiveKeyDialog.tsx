/**
 * After 归档: the archive's recovery key, shown once (the engine keeps it nowhere), with the file's
 * name, place, size and SHA-256; 打印恢复密钥 prints only a key sheet (the set-up key screen's sheet
 * and styles, screens/security/RecoveryKeyScreen.tsx); 完成 only once the user says the key is kept.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { Alert, Button, Checkbox, Descriptions, Modal, Space, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useId, useState } from 'react';
import { createPortal } from 'react-dom';
import { useTranslation } from 'react-i18next';
import { keyGroups } from '../security/RecoveryKeyScreen.js';
import { fileSize } from '../detail/format.js';
import type { Created } from './api.js';

/** While the key is up, printing shows only the key sheet (styles.css). */
const PRINTING_CLASS = 'xz-keysheet-on';

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

export function ArchiveKeyDialog({ created, officeName, today, onDone }: { created: Created; officeName: string; today: string; onDone(): void }) {
  const { t } = useTranslation('backup');
  const { t: tc } = useTranslation();
  const [saved, setSaved] = useState(false);
  const id = useId();
  const groups = keyGroups(created.recoveryKey);

  useEffect(() => {
    document.body.classList.add(PRINTING_CLASS);
    return () => document.body.classList.remove(PRINTING_CLASS);
  }, []);

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
          <KeyGroups groups={groups} testId="archive-recovery-key" />
        </div>
        <Typography.Paragraph className="xz-key-purpose">{t('keyPurpose')}</Typography.Paragraph>
      </div>
      {createPortal(
        <div className="xz-keysheet" data-testid="archive-key-sheet">
          <style>{'@page { size: A4 portrait; margin: 22mm 20mm; }'}</style>
          <div className="xz-keysheet-marking">{tc('marking')}</div>
          <h1>{t('sheet.title')}</h1>
          <p className="xz-keysheet-meta">
            <span>{t('sheet.office', { office: officeName })}</span>
            <span>{t('sheet.date', { date: dayjs(today).format(t('sheet.dateFormat')) })}</span>
          </p>
          <p>{t('sheet.round', { name: created.roundName })}<br />{t('sheet.file', { file: created.fileName })}</p>
          <p className="xz-keysheet-sha">{t('sheet.sha', { sha: created.sha256 })}</p>
          <KeyGroups groups={groups} />
          <ol className="xz-keysheet-rules">
            <li>{t('sheet.use')}</li>
            <li>{t('sheet.keep')}</li>
            <li>{t('sheet.lost')}</li>
          </ol>
          <p className="xz-keysheet-signs"><span>{t('sheet.keeper')}</span><span>{t('sheet.keptOn')}</span></p>
        </div>,
        document.body,
      )}
    </Modal>
  );
}
