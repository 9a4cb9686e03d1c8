import { App as AntApp, ConfigProvider, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useCallback, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { useQuery } from '../components/hooks.js';
import { ErrorState, Loading } from '../components/States.js';
import { FirstRun } from './FirstRun.js';
import { Login } from './Login.js';
import { SessionContext, type SessionState } from '../core/session.js';
import { Shell } from './Shell.js';

/** Boot: not set up → 首次设置; not logged in → 登录; else the shell. */
function Gate() {
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((x) => x + 1), []);
  const status = useQuery(() => call('ledger:status'), [tick]);
  const me = useQuery(() => call('session:current'), [tick]);
  const [roundId, setRoundId] = useState<string | null>(null);

  const session = useMemo<SessionState | null>(() => {
    if (!me.data) return null;
    const user = me.data;
    return {
      user,
      office: status.data?.office ?? null,
      today: status.data?.today ?? dayjs().format('YYYY-MM-DD'),
      roundId,
      setRoundId,
      refresh,
      can: (p) => (user.permissions as string[]).includes(p),
      logout: async () => {
        await call('session:logout');
        setRoundId(null);
        refresh();
      },
    };
  }, [me.data, status.data, roundId, refresh]);

  if (status.error) return <ErrorState error={status.error} onRetry={refresh} />;
  // A refresh (office renamed, user switched) keeps the screen until the new answer is in.
  if (!status.data || (!me.data && me.loading)) return <Loading />;
  if (!status.data.setUp) return <FirstRun onDone={refresh} />;
  if (!session) return <Login officeName={status.data.office?.name ?? null} onLogin={refresh} />;
  return (
    <SessionContext.Provider value={session}>
      <Shell />
    </SessionContext.Provider>
  );
}

/**
 * The theme: one deep-red accent, and every colour that carries text at least 4.5:1 against the
 * white and light-grey surfaces it sits on (WCAG 2.1 AA; test/e2e/screens.test.ts runs axe-core).
 * antd's defaults are lighter (grey #8c8c8c captions, #bfbfbf placeholders, #52c41a/#faad14/#ff4d4f
 * status words on tinted tags), so the text tones, the link and the status colours are taken a
 * step darker and the status tints (tag and alert backgrounds) are kept as antd's light ones.
 */
const TOKENS = {
  colorPrimary: '#a8071a',
  borderRadius: 4,
  fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif',
  // Captions, descriptions, labels of figures, breadcrumbs (5.7:1 on white, 5.3:1 on #f5f5f5).
  colorTextTertiary: '#666666',
  colorTextDescription: '#666666',
  colorTextPlaceholder: '#737373',
  colorLink: '#0958d9',
  colorInfo: '#0958d9',
  // Traffic lights and status words: red overdue, amber due soon, green on track.
  colorError: '#cf1322',
  colorSuccess: '#237804',
  colorSuccessBg: '#f6ffed',
  colorSuccessBgHover: '#d9f7be',
  colorSuccessBorder: '#b7eb8f',
  colorSuccessBorderHover: '#95de64',
  colorWarning: '#a15c00',
  colorWarningBg: '#fffbe6',
  colorWarningBgHover: '#fff1b8',
  colorWarningBorder: '#ffe58f',
  colorWarningBorderHover: '#ffd666',
  // Text of the preset tag colours (antd uses shade 7, too light for green, gold, orange, cyan…).
  // Both spellings: each becomes the CSS variable --ant-green-7, and the later one wins.
  ...shade7({ green: '#237804', gold: '#a15c00', orange: '#ad4e00', volcano: '#ad2102', cyan: '#006d75', lime: '#3f6600', yellow: '#876800' }),
};

function shade7(colours: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(colours).flatMap(([name, c]) => [[`${name}7`, c], [`${name}-7`, c]]));
}

export function App() {
  const { i18n } = useTranslation();
  const en = i18n.language === 'en';
  dayjs.locale(en ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.compactAlgorithm,
        token: TOKENS,
      }}
    >
      <AntApp>
        <Gate />
      </AntApp>
    </ConfigProvider>
  );
}
