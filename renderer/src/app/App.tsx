import { App as AntApp, ConfigProvider, Modal, theme } from 'antd';
import enUS from 'antd/locale/en_US';
import zhCN from 'antd/locale/zh_CN';
import dayjs from 'dayjs';
import 'dayjs/locale/zh-cn';
import { useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../api/client.js';
import { useQuery, useReducedMotion } from '../components/hooks.js';
import { ErrorState, Loading } from '../components/States.js';
import { isLockedError, onSessionTrouble } from '../core/guard.js';
import { SessionContext, type LockReason, type SessionState } from '../core/session.js';
import { ConvertScreen } from '../screens/security/ConvertScreen.js';
import { FileProblemPage } from '../screens/security/FileProblemPage.js';
import { LockScreen } from '../screens/security/LockScreen.js';
import { RecoveryKeyScreen, type Conversion } from '../screens/security/RecoveryKeyScreen.js';
import { FirstRun } from './FirstRun.js';
import { Login, type FileProblem } from './Login.js';
import { Shell } from './Shell.js';

/** The recovery key to show once (after set-up, or after converting a plaintext ledger). */
interface KeyToShow { recoveryKey: string; officeName: string; conversion?: Conversion }

/** session:current; a session the engine has just locked for idleness answers the second time. */
async function currentSession() {
  try {
    return await call('session:current');
  } catch (e) {
    if (isLockedError(e)) return call('session:current');
    throw e;
  }
}

/**
 * Boot: the file's state decides (ledger:status). Not set up → 首次设置 (then the recovery key,
 * once); a file that cannot be opened → what to do; not logged in → 登录; locked → the lock
 * screen (the shell unmounted); a plaintext ledger → its conversion; else the shell.
 */
function Gate() {
  const [tick, setTick] = useState(0);
  const refresh = useCallback(() => setTick((x) => x + 1), []);
  const status = useQuery(() => call('ledger:status'), [tick]);
  const me = useQuery(currentSession, [tick]);
  const [roundId, setRoundId] = useState<string | null>(null);
  const [keyToShow, setKeyToShow] = useState<KeyToShow | null>(null);
  const [fileProblem, setFileProblem] = useState<FileProblem | null>(null);
  /** Lock state decided here (lock command, idle, refused call) until the engine's answer catches up. */
  const [lock, setLock] = useState<{ locked: boolean; why: LockReason } | null>(null);

  // A fresh answer from the engine replaces what was decided here meanwhile, except an answer that
  // crossed the lock call on its way (still unlocked while the screen is already locked).
  useEffect(() => setLock((l) => (l?.locked && me.data && !me.data.locked ? l : null)), [me.data]);

  const lockNow = useCallback((why: LockReason) => {
    // Unmount the ledger's screens first; layers opened outside the shell's tree go too.
    setLock((l) => (l?.locked ? l : { locked: true, why }));
    Modal.destroyAll();
    if (why !== 'engine') void call('session:lock').catch(() => undefined);
  }, []);

  // Any call refused because the session is locked (the engine's idle lock) shows the lock screen;
  // one refused because the session ended goes back to the log-in screen.
  useEffect(() => onSessionTrouble((trouble) => (trouble === 'locked' ? lockNow('engine') : refresh())), [lockNow, refresh]);

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
        setLock(null);
        refresh();
      },
      lock: (why = 'manual') => lockNow(why),
      anchor: status.data?.anchor ?? null,
    };
  }, [me.data, status.data, roundId, refresh, lockNow]);

  if (status.error) return <main className="xz-firstrun"><ErrorState error={status.error} onRetry={refresh} /></main>;
  // A refresh (office renamed, user switched) keeps the screen until the new answer is in.
  if (!status.data || (!me.data && me.loading)) return <Loading />;
  const st = status.data;
  if (keyToShow) {
    return (
      <RecoveryKeyScreen
        recoveryKey={keyToShow.recoveryKey} officeName={st.office?.name ?? keyToShow.officeName} today={st.today}
        conversion={keyToShow.conversion} onContinue={() => { setKeyToShow(null); refresh(); }}
      />
    );
  }
  const problem = fileProblem ?? (st.state === 'unusable' || st.state === 'no_keys' ? st.problem : null);
  if (problem) return <FileProblemPage message={problem.message} onRetry={() => { setFileProblem(null); refresh(); }} />;
  if (!st.setUp) {
    return <FirstRun onDone={(r) => { if (r?.recoveryKey) setKeyToShow(r); refresh(); }} />;
  }
  if (!session) {
    return <Login officeName={st.office?.name ?? null} notEncrypted={st.state === 'needs_conversion'} onLogin={refresh} onFileProblem={setFileProblem} />;
  }
  const locked = lock ? lock.locked : session.user.locked;
  if (locked) {
    return (
      <LockScreen
        user={session.user} why={lock?.why ?? 'engine'} officeName={st.office?.name ?? null}
        onUnlocked={() => { setLock({ locked: false, why: 'manual' }); refresh(); }}
        onLogout={() => void session.logout()}
      />
    );
  }
  if (st.state === 'needs_conversion') {
    return (
      <ConvertScreen
        user={session.user} officeName={st.office?.name ?? null} onLogout={() => void session.logout()}
        onConverted={(r) => {
          setKeyToShow({ recoveryKey: r.recoveryKey, officeName: st.office?.name ?? '', conversion: { backupPath: r.backupPath, usersNeedingPassword: r.usersNeedingPassword } });
          refresh();
        }}
      />
    );
  }
  return (
    <SessionContext.Provider value={session}>
      {/* The shell's own message, notification and modal layers: unmounted with it when the ledger locks. */}
      <AntApp component={false}>
        <Shell />
      </AntApp>
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
  const still = useReducedMotion();
  dayjs.locale(en ? 'en' : 'zh-cn');
  return (
    <ConfigProvider
      locale={en ? enUS : zhCN}
      button={{ autoInsertSpace: false }}
      theme={{
        algorithm: theme.compactAlgorithm,
        // no zooming dialogs or sliding drawers when the system asks for less motion
        token: still ? { ...TOKENS, motion: false } : TOKENS,
      }}
    >
      <AntApp>
        <Gate />
      </AntApp>
    </ConfigProvider>
  );
}
