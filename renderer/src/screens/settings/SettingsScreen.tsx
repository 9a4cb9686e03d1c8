import { App, Card, Result, Tabs } from 'antd';
import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../../core/router.js';
import { useSession } from '../../core/session.js';
import { CalendarTab } from './CalendarTab.js';
import { CategoriesTab } from './CategoriesTab.js';
import { LedgerSettingsTab } from './LedgerSettingsTab.js';
import { OfficeTab } from './OfficeTab.js';
import { PageHead } from './PageHead.js';
import { RulesTab } from './RulesTab.js';
import { UsersTab } from './UsersTab.js';

const TABS = ['office', 'users', 'categories', 'rules', 'calendar', 'ledger'] as const;
type TabKey = (typeof TABS)[number];

/**
 * 设置 (管理员 only; the nav hides it from others and the engine refuses their changes anyway).
 * Tabs live in the route, '#/settings/<tab>', so a reload or a link opens the same tab. Only the
 * open tab is mounted, so Ctrl+N / Ctrl+S reach that tab alone.
 */
export function SettingsScreen() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const s = useSession();
  const route = useRoute();
  const { modal } = App.useApp();
  const dirty = useRef(false);

  if (!s.can('settings.write')) {
    return <Result status="warning" title={t('refusedTitle')} subTitle={t('refused')} data-testid="settings-refused" />;
  }
  const tab: TabKey = (TABS as readonly string[]).includes(route.id ?? '') ? (route.id as TabKey) : 'office';
  const setDirty = (d: boolean) => { dirty.current = d; };

  const change = (k: string) => {
    if (!dirty.current) return navigate('settings', k);
    modal.confirm({
      title: tc('states.unsaved'), okText: tc('actions.confirm'), cancelText: tc('actions.cancel'),
      onOk: () => { dirty.current = false; navigate('settings', k); },
    });
  };

  const body: Record<TabKey, ReactNode> = {
    office: <OfficeTab onDirty={setDirty} />,
    users: s.can('users.manage') ? <UsersTab /> : <Result status="warning" subTitle={tc('states.noRights')} />,
    categories: <CategoriesTab />,
    rules: <RulesTab />,
    calendar: <CalendarTab />,
    ledger: <LedgerSettingsTab onDirty={setDirty} />,
  };

  return (
    <div className="xz-page" data-testid="settings">
      <PageHead title={t('title')} />
      <Card size="small">
        <Tabs
          size="small" activeKey={tab} onChange={change} destroyOnHidden
          items={TABS.map((k) => ({ key: k, label: t(`tabs.${k}`), children: k === tab ? body[k] : null }))}
        />
      </Card>
    </div>
  );
}
