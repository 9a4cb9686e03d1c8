/**
 * 数据交换 (needs 'exchange.run', i.e. the role's right and the user's own 数据交换权限): this
 * office's card and fingerprint, and the partner offices with their trust. Exchange packages follow.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Button, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { useSession } from '../../core/session.js';
import { PageHead } from '../settings/PageHead.js';
import type { Partner } from './api.js';
import { AddPartnerDialog } from './AddPartnerDialog.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { OwnCard } from './OwnCard.js';
import { PartnersCard } from './PartnersCard.js';
import '../backup/backup.css';
import './exchange.css';

export function ExchangeScreen() {
  const { t } = useTranslation('exchange');
  const s = useSession();
  if (!s.can('exchange.run')) {
    return <Result status="warning" title={<h1 className="xz-result-h1">{t('refusedTitle')}</h1>} subTitle={t('refused')} data-testid="exchange-refused" />;
  }
  return <ExchangeBody />;
}

function ExchangeBody() {
  const { t } = useTranslation('exchange');
  const { t: tc } = useTranslation();
  const identity = useQuery(() => call('exchange:identity'), []);
  const partners = useQuery(() => call('partners:list'), []);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState<Partner | null>(null);
  const reload = () => {
    identity.reload();
    partners.reload();
  };

  return (
    <div className="xz-page" data-testid="exchange-screen">
      <PageHead title={t('title')} actions={<Button icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>} />
      <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
      <OwnCard identity={identity} />
      <PartnersCard partners={partners} onAdd={() => setAdding(true)} onConfirm={setConfirming} />
      {adding && <AddPartnerDialog onClose={() => setAdding(false)} onAdded={partners.reload} />}
      {confirming && <ConfirmDialog partner={confirming} onClose={() => setConfirming(null)} onConfirmed={partners.reload} />}
    </div>
  );
}
