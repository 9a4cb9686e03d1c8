import {
  AlertOutlined, AuditOutlined, FileExcelOutlined, BarChartOutlined, CloudServerOutlined, FileTextOutlined, FlagOutlined, HomeOutlined, InboxOutlined, LockOutlined,
  SettingOutlined, SolutionOutlined, SwapOutlined, TeamOutlined, UnorderedListOutlined, UserOutlined, FileSearchOutlined, PrinterOutlined,
} from '@ant-design/icons';
import { Alert, App, Button, Dropdown, Input, Layout, Menu, Select, Space, Tag, Typography } from 'antd';
import type { InputRef } from 'antd';
import { useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { call, emitMenu, onMenu } from '../api/client.js';
import { useQuery, useWindowEvent } from '../components/hooks.js';
import { setLang } from '../i18n/index.js';
import { DEFAULT_IDLE_MINUTES, useIdleLock } from '../core/idle.js';
import { navigate, useRoute } from '../core/router.js';
import { useSession } from '../core/session.js';
import { screenFor } from './Screens.js';
import { VerifyBanner } from './VerifyBanner.js';
import { ChangeOwnPasswordDialog } from '../screens/settings/PasswordDialogs.js';

/**
 * Left navigation (UI.md order); `perm` hides what the role cannot use. `label` names the entry's
 * key in another namespace (default `nav.<key>` in common).
 */
const NAV: { key: string; icon: ReactNode; perm?: string | string[]; label?: string }[] = [
  { key: 'home', icon: <HomeOutlined /> },
  { key: 'rounds', icon: <TeamOutlined /> },
  { key: 'problems', icon: <UnorderedListOutlined /> },
  { key: 'tasks', icon: <SolutionOutlined /> },
  { key: 'duty', icon: <AuditOutlined /> },
  { key: 'clues', icon: <AlertOutlined />, perm: 'clue.read' },
  { key: 'suggestions', icon: <FileSearchOutlined /> },
  { key: 'supervision', icon: <FlagOutlined /> },
  { key: 'reports', icon: <FileTextOutlined /> },
  // 法定台账打印 (screens/ledgers); the clue ledger in it needs the clue right besides.
  { key: 'ledgers', icon: <PrinterOutlined />, perm: 'ledger.read', label: 'ledgers:nav' },
  { key: 'ratings', icon: <BarChartOutlined /> },
  // 数据交换: the role's right and the user's own 数据交换权限 (db/domain/permissions.ts).
  { key: 'exchange', icon: <SwapOutlined />, perm: 'exchange.run' },
  // Excel 导入导出: importing needs 'ledger.write', exporting 'ledger.read' (the screen shows what the user may).
  { key: 'excel', icon: <FileExcelOutlined />, perm: 'ledger.read' },
  // 设置 also for those who read the rights report (负责人, 审核员): the screen shows them that tab only.
  { key: 'settings', icon: <SettingOutlined />, perm: ['settings.write', 'audit.read'] },
  { key: 'backup', icon: <CloudServerOutlined />, perm: 'ledger.read', label: 'backup:nav.backup' },
  // 轮次归档 is the 管理员's alone (the engine checks the role): 'users.manage' is the right only that role holds.
  { key: 'archive', icon: <InboxOutlined />, perm: 'users.manage', label: 'backup:nav.archive' },
];

export function Shell() {
  const { t, i18n } = useTranslation();
  const s = useSession();
  const route = useRoute();
  const search = useRef<InputRef>(null);
  const [ownPassword, setOwnPassword] = useState(false);
  const rounds = useQuery(() => call('rounds:list', {}), []);
  // Screens that create, rename or delete rounds announce it; the selector follows.
  useWindowEvent('xz:rounds-changed', rounds.reload);

  // 自动锁定 after the ledger's idleLockMinutes without mouse, keyboard, wheel or touch (read again
  // when a screen announces xz:settings-changed); while the user is active the engine hears of it.
  const settings = useQuery(() => call('settings:get').catch(() => null), []);
  useWindowEvent('xz:settings-changed', settings.reload);
  const idleSetting: unknown = (settings.data as { idleLockMinutes?: unknown } | null | undefined)?.idleLockMinutes;
  const idleMinutes = typeof idleSetting === 'number' && idleSetting >= 0 ? idleSetting : DEFAULT_IDLE_MINUTES;
  const { lock } = s;
  useIdleLock(idleMinutes, () => lock('idle'), () => {
    // session:current passes through the engine's idle check and renews it; a lock it reports shows.
    call('session:current').then((u) => { if (u?.locked) lock('engine'); }, () => undefined);
  });

  // Desktop habits: Ctrl+F search, Ctrl+N new, Ctrl+S save, Ctrl+P print (screens listen for xz:new / xz:save),
  // Ctrl+L 锁定; in the browser preview Ctrl+I / Ctrl+E stand in for the menu's 导入… / 导出… (the desktop
  // menu's own accelerators deliver them in the app).
  useEffect(() => {
    const on = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const k = e.key.toLowerCase();
      if (k === 'l' && !e.shiftKey && !e.altKey) { e.preventDefault(); lock('manual'); }
      else if (k === 'f') { e.preventDefault(); search.current?.focus(); }
      else if (k === 'n') { e.preventDefault(); window.dispatchEvent(new Event('xz:new')); }
      else if (k === 's') { e.preventDefault(); window.dispatchEvent(new Event('xz:save')); }
      else if (k === 'p' && emitMenu('print')) e.preventDefault();
      else if (k === 'i' && !e.shiftKey && emitMenu('import')) e.preventDefault();
      else if (k === 'e' && !e.shiftKey && emitMenu('export')) e.preventDefault();
    };
    window.addEventListener('keydown', on);
    return () => window.removeEventListener('keydown', on);
  }, [lock]);

  // 文件 menu (and Ctrl+P): a list screen answers 打印 with its printed ledger (it cancels the
  // event); any other screen prints as it is shown, without the navigation. 导入/导出 open the
  // 数据交换 screen's 导入 / 导出 tab.
  const { message } = App.useApp();
  const canExchange = s.can('exchange.run');
  useEffect(() => onMenu((c) => {
    if (c === 'print') {
      if (window.dispatchEvent(new Event('xz:print', { cancelable: true }))) window.print();
      return;
    }
    if (c === 'lock') {
      lock('manual');
      return;
    }
    if (c === 'backup') {
      navigate('backup');
      return;
    }
    // 导入Excel台账…/导出台账（Excel）… open the Excel screen's tab.
    if (c === 'importExcel' || c === 'exportLedger') {
      navigate('excel', c === 'importExcel' ? 'import' : 'export');
      return;
    }
    // 导入…/导出… open the 数据交换 screen's tab (exchange packages between offices).
    if (canExchange) navigate('exchange', c);
    else void message.info(t('menu.noExchange', { c: t(`menu.${c}`) }));
  }), [message, t, lock, canExchange]);

  // The current round is the first one until the user picks another; a round deleted meanwhile
  // gives way to the first remaining one (or none).
  useEffect(() => {
    if (!rounds.data) return;
    if (s.roundId && rounds.data.some((r) => r.id === s.roundId)) return;
    const next = rounds.data[0]?.id ?? null;
    if (next !== s.roundId) s.setRoundId(next);
  }, [rounds.data, s]);

  const items = useMemo(
    () => NAV.filter((n) => !n.perm || [n.perm].flat().some((p) => s.can(p))).map((n) => ({ key: n.key, icon: n.icon, label: t(n.label ?? `nav.${n.key}`) })),
    [s, t],
  );
  const Screen = screenFor(route.section);

  return (
    <Layout className="xz-shell">
      <Layout.Header className="xz-top">
        <Space size="middle" className="xz-top-left">
          <Typography.Text strong className="xz-app">{t('appName')}</Typography.Text>
          <Typography.Text className="xz-office" data-testid="office-name">{s.office?.name}</Typography.Text>
          <Select
            size="small" className="xz-round" aria-label={t('top.round')} value={s.roundId ?? undefined} placeholder={t('top.round')}
            onChange={(v: string) => s.setRoundId(v)} loading={rounds.loading}
            options={(rounds.data ?? []).map((r) => ({ value: r.id, label: r.name }))}
          />
        </Space>
        <Input.Search
          ref={search} size="small" className="xz-search" placeholder={t('top.search')} aria-label={t('top.search')} allowClear
          onSearch={(q) => q.trim() && navigate('problems', 'search', q.trim())}
        />
        <Space size="middle">
          <Tag color="#a8071a" className="xz-marking" data-testid="marking">{t('marking')}</Tag>
          <Button size="small" type="text" onClick={() => setLang(i18n.language === 'en' ? 'zh-CN' : 'en')}>{t('top.language')}</Button>
          <Button size="small" type="text" icon={<LockOutlined />} title={t('top.lockHint')} aria-keyshortcuts="Control+L" onClick={() => lock('manual')} data-testid="lock-button">
            {t('top.lock')}
          </Button>
          <Dropdown
            trigger={['hover', 'click']}
            menu={{
              items: [{ key: 'logout', label: t('top.switchUser') }, { key: 'password', label: t('top.ownPassword') }],
              onClick: (e) => (e.key === 'password' ? setOwnPassword(true) : void s.logout()),
            }}
          >
            <Button size="small" type="text" icon={<UserOutlined />} data-testid="current-user">
              {s.user.displayName} · {t(`roles.${s.user.role}`)}
            </Button>
          </Dropdown>
        </Space>
      </Layout.Header>
      <ChangeOwnPasswordDialog open={ownPassword} onClose={() => setOwnPassword(false)} />
      <VerifyBanner />
      {s.anchor && (
        <Alert
          type="error" role="alert" showIcon banner className="xz-anchor-alert" data-testid="anchor-alert"
          title={t('auth:anchor.line', { message: s.anchor.message })}
        />
      )}
      <Layout>
        <Layout.Sider width={168} theme="light" className="xz-side">
          <nav aria-label={t('a11y.nav')}>
            <Menu mode="inline" selectedKeys={[route.section]} items={items} onClick={(e) => navigate(e.key)} />
          </nav>
        </Layout.Sider>
        <Layout.Content className="xz-content">
          <Screen />
        </Layout.Content>
      </Layout>
    </Layout>
  );
}
