/**
 * 数据交换 (needs 'exchange.run', i.e. the role's right and the user's own 数据交换权限), in tabs
 * that live in the route ('#/exchange/<tab>', so the 文件 menu's 导入…/导出… open theirs):
 * 交换单位 (this office's card and fingerprint, the partner offices with their trust) · 导出 ·
 * 导入 · 冲突与提议 (with a count of what waits) · 交换记录 (回执, per partner what was sent,
 * confirmed, received and missing). Only the open tab is mounted.
 */
import { ReloadOutlined } from '@ant-design/icons';
import { Badge, Button, Card, Result, Tabs, Typography } from 'antd';
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { PageHead } from '../settings/PageHead.js';
import type { Partner } from './api.js';
import { AddPartnerDialog } from './AddPartnerDialog.js';
import { ConfirmDialog } from './ConfirmDialog.js';
import { ConflictsTab, type Pending } from './ConflictsTab.js';
import { ExportTab } from './ExportTab.js';
import { HistoryTab } from './HistoryTab.js';
import { ImportTab } from './ImportTab.js';
import { OwnCard } from './OwnCard.js';
import { PartnersCard } from './PartnersCard.js';
import '../backup/backup.css';
import './exchange.css';

const TABS = ['partners', 'export', 'import', 'conflicts', 'history'] as const;
type TabKey = (typeof TABS)[number];

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
  const route = useRoute();
  const tab: TabKey = (TABS as readonly string[]).includes(route.id ?? '') ? (route.id as TabKey) : 'partners';
  const identity = useQuery(() => call('exchange:identity'), []);
  const partners = useQuery(() => call('partners:list'), []);
  const pending = useQuery(async (): Promise<Pending> => {
    const [conflicts, proposals] = await Promise.all([call('conflicts:list'), call('proposals:list')]);
    return { conflicts, proposals };
  }, []);
  const history = useQuery(() => call('exchange:history'), []);
  const [adding, setAdding] = useState(false);
  const [confirming, setConfirming] = useState<Partner | null>(null);
  const reload = () => {
    identity.reload();
    partners.reload();
    pending.reload();
    history.reload();
  };
  // The exchange log lists the partners too.
  const partnersChanged = () => {
    partners.reload();
    history.reload();
  };
  // What this office can act on: conflicts, and pending proposals of fields it owns.
  const waiting = pending.data ? pending.data.conflicts.length + pending.data.proposals.filter((p) => p.status === 'pending' && p.mine).length : 0;
  // An import may bring rounds: the top bar's round selector follows (Shell listens).
  const imported = () => {
    pending.reload();
    history.reload();
    window.dispatchEvent(new Event('xz:rounds-changed'));
  };
  const officeNames = useMemo(() => new Map((partners.data ?? []).map((p) => [p.officeId, p.name])), [partners.data]);

  const body: Record<TabKey, () => ReactNode> = {
    partners: () => (
      <>
        <Typography.Paragraph type="secondary">{t('intro')}</Typography.Paragraph>
        <OwnCard identity={identity} />
        <PartnersCard partners={partners} onAdd={() => setAdding(true)} onConfirm={setConfirming} />
      </>
    ),
    export: () => <Card size="small" title={<h2 className="xz-card-h2">{t('export.title')}</h2>}><ExportTab partners={partners} onExported={history.reload} /></Card>,
    import: () => (
      <Card size="small" title={<h2 className="xz-card-h2">{t('import.title')}</h2>}>
        <ImportTab officeNames={officeNames} onImported={imported} />
      </Card>
    ),
    conflicts: () => <ConflictsTab pending={pending} />,
    history: () => <HistoryTab history={history} onReceipt={history.reload} />,
  };
  const label = (k: TabKey) => (k === 'conflicts' && waiting > 0 ? (
    <span data-testid="tab-conflicts">
      {t('tabs.conflicts')} <Badge count={waiting} size="small" title={t('pending', { n: waiting })} data-testid="pending-badge" />
    </span>
  ) : <span data-testid={`tab-${k}`}>{t(`tabs.${k}`)}</span>);

  return (
    <div className="xz-page" data-testid="exchange-screen">
      <PageHead title={t('title')} actions={<Button icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>} />
      <ExchangeTabs tab={tab} label={label}>{body[tab]()}</ExchangeTabs>
      {adding && <AddPartnerDialog onClose={() => setAdding(false)} onAdded={partnersChanged} />}
      {confirming && <ConfirmDialog partner={confirming} onClose={() => setConfirming(null)} onConfirmed={partnersChanged} />}
    </div>
  );
}

function ExchangeTabs({ tab, label, children }: { tab: TabKey; label(k: TabKey): ReactNode; children: ReactNode }) {
  return (
    <Tabs
      size="small" activeKey={tab} onChange={(k) => navigate('exchange', k)} destroyOnHidden data-testid="exchange-tabs"
      items={TABS.map((k) => ({ key: k, label: label(k), children: k === tab ? children : null }))}
    />
  );
}
