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
import { RightsTab } from './RightsTab.js';
import { RulesTab } from './RulesTab.js';
import { UsersTab } from './UsersTab.js';

const TABS = ['office', 'users', 'categories', 'rules', 'calendar', 'ledger', 'rights'] as const;
type TabKey = (typeof TABS)[number];

/** The right each tab needs: the settings themselves are the 管理员's; 权限报告 is for whoever reads the audit. */
const TAB_RIGHT: Record<TabKey, string> = {
  office: 'settings.write', users: 'settings.write', categories: 'settings.write', rules: 'settings.write', calendar: 'settings.write',
  ledger: 'settings.write', rights: 'audit.read',
};

/**
 * 设置 (管理员; others who read the audit, 负责人 and 审核员, see only 权限报告, where a 负责人
 * confirms a proposed clue right; the engine refuses anyone's changes beyond their rights anyway).
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

  const tabs = TABS.filter((k) => s.can(TAB_RIGHT[k]));
  if (tabs.length === 0) {
    return <Result status="warning" title={t('refusedTitle')} subTitle={t('refused')} data-testid="settings-refused" />;
  }
  const tab: TabKey = (tabs as readonly string[]).includes(route.id ?? '') ? (route.id as TabKey) : tabs[0]!;
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
    rights: <RightsTab />,
  };

  return (
    <div className="xz-page" data-testid="settings">
      <PageHead title={t('title')} />
      <Card size="small">
        <Tabs
          size="small" activeKey={tab} onChange={change} destroyOnHidden
          items={tabs.map((k) => ({ key: k, label: t(`tabs.${k}`), children: k === tab ? body[k] : null }))}
        />
      </Card>
    </div>
  );
}
