/** 起草报告: the button (on the 报告 screen) that opens the report-draft drawer; for anyone who may read the ledger. */
import { FileTextOutlined } from '@ant-design/icons';
import { Button } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSession } from '../../core/session.js';
import { DraftDrawer } from './DraftDrawer.js';

export function DraftButton() {
  const { t } = useTranslation('drafts');
  const s = useSession();
  const [open, setOpen] = useState(false);
  if (!s.can('ledger.read')) return null;
  return (
    <>
      <Button icon={<FileTextOutlined />} onClick={() => setOpen(true)} style={{ marginRight: 8 }} data-testid="draft-open">{t('open')}</Button>
      {open && <DraftDrawer onClose={() => setOpen(false)} />}
    </>
  );
}
