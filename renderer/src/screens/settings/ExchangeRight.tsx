/**
 * 数据交换权限 (users.canExchange) of one user, as a switch in the users list: given or withdrawn by
 * a 管理员 at once (audited by the engine). Nobody changes their own: on one's own row it is
 * disabled, and the line under the list says why (the engine refuses it too: self_change).
 */
import { App, Switch, Tooltip } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';

type User = Awaited<ResultOf<'users:list'>>[number];

export function ExchangeSwitch({ user, self, onChanged }: { user: User; self: boolean; onChanged(): void }) {
  const { t } = useTranslation('settings');
  const { message } = App.useApp();
  const report = useErrorReport();
  const [busy, setBusy] = useState(false);

  async function set(on: boolean) {
    setBusy(true);
    try {
      await call('users:update', { id: user.id, canExchange: on });
      void message.success(t(on ? 'exchangeGiven' : 'exchangeWithdrawn', { name: user.displayName }));
    } catch (e) {
      report(e);
    } finally {
      setBusy(false);
      onChanged();
    }
  }

  const control = (
    <Switch
      size="small" checked={user.canExchange} loading={busy} disabled={self} onChange={(on) => void set(on)}
      aria-label={t('actionOf', { action: t('canExchange'), name: user.displayName })} aria-describedby={self ? 'xz-self-hint' : undefined}
      data-exchange={user.canExchange ? 'on' : 'off'}
    />
  );
  return self ? <Tooltip title={t('selfExchangeHint')}>{control}</Tooltip> : control;
}
