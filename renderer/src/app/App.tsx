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
        token: { colorPrimary: '#a8071a', borderRadius: 4, fontFamily: '"Microsoft YaHei", "PingFang SC", "Noto Sans CJK SC", sans-serif' },
      }}
    >
      <AntApp>
        <Gate />
      </AntApp>
    </ConfigProvider>
  );
}
