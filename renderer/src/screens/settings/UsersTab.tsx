import { EditOutlined, KeyOutlined, LockOutlined, PlusOutlined, SafetyCertificateOutlined, StopOutlined } from '@ant-design/icons';
import { Alert, App, Button, Form, Input, Select, Space, Switch, Table, Tag, Tooltip, Typography } from 'antd';
import dayjs from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useDialog } from '../../components/forms/useDialog.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';
import { ExchangeSwitch } from './ExchangeRight.js';
import { ChangeOwnPasswordDialog, ResetPasswordDialog, type PasswordMode } from './PasswordDialogs.js';
import { NewPasswordFields, usePasswordRules } from './passwords.js';
import { ROLE_CODES, type Role } from './vocab.js';

type User = Awaited<ResultOf<'users:list'>>[number];
type Pending = Awaited<ResultOf<'rights:report'>>['pending'][number];

interface UserValues {
  username?: string;
  displayName?: string;
  role?: Role;
  canExchange?: boolean;
  password?: string;
  password2?: string;
}

/** The clue right of a user as the list shows it. */
type ClueState = 'granted' | 'pending' | 'none';
const CLUE_TAG: Record<ClueState, string> = { granted: 'green', pending: 'gold', none: 'default' };

/**
 * 用户与角色. Password and username rules are the engine's (the password rule is shown and checked
 * live with the engine's own pure function): a refused value comes back on its field.
 * The clue right is not a switch here: it takes two people (a 管理员 proposes it here, a 负责人
 * confirms it in 权限报告), and one person may revoke it. 数据交换权限 is a switch (one 管理员).
 * Nobody changes their own role, active flag, clue right or exchange right; their own password is
 * changed with 修改我的密码 (old password required).
 */
export function UsersTab() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message, modal } = App.useApp();
  const report = useErrorReport();
  const rules = usePasswordRules();
  const users = useQuery(() => call('users:list'), []);
  // Pending proposals (the 待确认 tags); the 管理员 holds 'audit.read'.
  const rights = useQuery(() => (s.can('audit.read') ? call('rights:report') : Promise.resolve(null)), []);
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const pw = useDialog<{ user: User; mode: PasswordMode }>();
  const [ownOpen, setOwnOpen] = useState(false);
  const [ask, reasonHolder] = useReasonPrompt();

  const reload = () => {
    users.reload();
    rights.reload();
  };

  useWindowEvent('xz:new', () => { if (!editing) open(null); });
  const open = (user: User | null) => setEditing({ user });

  const pendingOf = new Map<string, Pending>((rights.data?.pending ?? []).map((g) => [g.user.id, g]));
  const clueState = (u: User): ClueState => (u.canViewClues ? 'granted' : pendingOf.has(u.id) ? 'pending' : 'none');

  async function save(v: UserValues) {
    if (editing?.user) {
      const self = editing.user.id === s.user.id;
      await call('users:update', { id: editing.user.id, displayName: v.displayName, ...(self ? {} : { role: v.role, canExchange: v.canExchange ?? false }) });
    } else {
      await call('users:create', {
        username: v.username ?? null, displayName: v.displayName ?? null, role: v.role ?? null, canExchange: v.canExchange ?? false, password: v.password ?? '',
      });
    }
    users.reload();
  }

  function disable(u: User) {
    modal.confirm({
      title: t('disableTitle', { name: u.displayName }), content: t('disableContent'),
      okText: t('disable'), okButtonProps: { danger: true }, cancelText: tc('actions.cancel'),
      onOk: async () => {
        try {
          await call('users:update', { id: u.id, active: false });
          void message.success(tc('states.saved'));
        } catch (e) {
          report(e);
        }
        reload();
      },
    });
  }

  async function enable(u: User) {
    // A disabled account lost its password (its key-file wrap): enabling it sets a new one.
    if (u.needsPassword) return pw.show({ user: u, mode: 'reactivate' });
    try {
      await call('users:update', { id: u.id, active: true });
      void message.success(t('reactivated', { name: u.displayName }));
    } catch (e) {
      report(e);
    }
    reload();
  }

  function grant(u: User) {
    ask({
      title: t('grantTitle', { name: u.displayName }), label: t('grantReason'), hint: t('grantHint'), placeholder: t('grantReasonPlaceholder'),
      okText: t('grantOk'), danger: false, doneText: t('granted', { name: u.displayName }), testId: 'grant-clue',
      onSubmit: async (reason) => {
        await call('rights:grantClue', { userId: u.id, reason });
        reload();
      },
    });
  }

  function revoke(u: User) {
    ask({
      title: t('revokeTitle', { name: u.displayName }), label: t('revokeReason'), hint: t('revokeHint'),
      okText: t('revokeOk'), doneText: t('revoked', { name: u.displayName }), testId: 'revoke-clue',
      onSubmit: async (reason) => {
        await call('rights:revokeClue', { userId: u.id, reason });
        reload();
      },
    });
  }

  function withdraw(u: User, g: Pending) {
    modal.confirm({
      title: t('withdrawTitle', { name: u.displayName }), content: t('withdrawContent'),
      okText: t('withdrawGrant'), cancelText: tc('actions.cancel'),
      onOk: async () => {
        try {
          await call('rights:rejectClue', { grantId: g.grantId });
          void message.success(t('withdrawn', { name: u.displayName }));
        } catch (e) {
          report(e);
        }
        reload();
      },
    });
  }

  const required = (label: string) => [{ required: true, message: t('required', { field: label }) }];
  const isNew = editing !== null && editing.user === null;
  const editingSelf = editing?.user?.id === s.user.id;
  const noPassword = (users.data ?? []).filter((u) => u.active && u.needsPassword).length;

  function ops(u: User) {
    const self = u.id === s.user.id;
    const pending = pendingOf.get(u.id);
    // The visible word first, then whose (WCAG 2.5.3: the accessible name contains the label).
    const of = (label: string) => t('actionOf', { action: label, name: u.displayName });
    return (
      <Space size={4} wrap>
        <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(u)} aria-label={of(tc('actions.edit'))}>{tc('actions.edit')}</Button>
        {self ? (
          <Button size="small" type="link" icon={<KeyOutlined />} onClick={() => setOwnOpen(true)}>{t('changeOwnPassword')}</Button>
        ) : u.active && (
          u.needsPassword
            ? <Button size="small" type="link" icon={<KeyOutlined />} onClick={() => pw.show({ user: u, mode: 'set' })} aria-label={of(t('setPassword'))}>{t('setPassword')}</Button>
            : <Button size="small" type="link" icon={<KeyOutlined />} onClick={() => pw.show({ user: u, mode: 'reset' })} aria-label={of(t('resetPassword'))}>{t('resetPassword')}</Button>
        )}
        {self ? (
          <Tooltip title={t('selfActiveHint')}>
            <Button size="small" type="link" disabled aria-describedby="xz-self-hint">{t('disable')}</Button>
          </Tooltip>
        ) : (
          <Button size="small" type="link" danger={u.active} onClick={() => (u.active ? disable(u) : void enable(u))} aria-label={of(u.active ? t('disable') : t('enable'))}>
            {u.active ? t('disable') : t('enable')}
          </Button>
        )}
        {!self && s.can('rights.grant') && u.active && !u.canViewClues && !pending && (
          <Button size="small" type="link" icon={<SafetyCertificateOutlined />} onClick={() => grant(u)} aria-label={of(t('grantClue'))}>{t('grantClue')}</Button>
        )}
        {!self && pending && pending.grantedBy?.id === s.user.id && (
          <Button size="small" type="link" onClick={() => withdraw(u, pending)} aria-label={of(t('withdrawGrant'))}>{t('withdrawGrant')}</Button>
        )}
        {!self && s.can('rights.revoke') && u.canViewClues && (
          <Button size="small" type="link" danger icon={<StopOutlined />} onClick={() => revoke(u)} aria-label={of(t('revokeClue'))}>{t('revokeClue')}</Button>
        )}
      </Space>
    );
  }

  return (
    <div>
      <Space style={{ marginBottom: 8 }} wrap>
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => open(null)}>{t('newUser')}</Button>
        <Button size="small" icon={<LockOutlined />} onClick={() => setOwnOpen(true)} data-testid="change-own-password-button">{t('changeOwnPassword')}</Button>
        <Typography.Text type="secondary">{tc('units.rows', { n: users.data?.length ?? 0 })}</Typography.Text>
      </Space>
      {noPassword > 0 && <Alert type="warning" showIcon title={t('needsPasswordCount', { n: noPassword })} style={{ marginBottom: 8 }} data-testid="needs-password-alert" />}
      {users.error ? <ErrorState error={users.error} onRetry={reload} /> : (
        <Table<User>
          size="small" rowKey="id" sticky pagination={false} loading={users.loading} dataSource={users.data ?? []} data-testid="users"
          columns={[
            {
              title: t('username'), dataIndex: 'username', width: 150,
              render: (n: string, u) => <>{n}{u.id === s.user.id && <Tag style={{ marginInlineStart: 6 }}>{t('self')}</Tag>}</>,
            },
            { title: t('displayName'), dataIndex: 'displayName', width: 120 },
            { title: t('role'), dataIndex: 'role', width: 80, render: (r: Role) => tc(`roles.${r}`) },
            {
              title: t('canViewClues'), key: 'clue', width: 110,
              render: (_, u) => {
                const st = clueState(u);
                const g = pendingOf.get(u.id);
                const tag = <Tag color={CLUE_TAG[st]} data-clue={st}>{t(`clueRight.${st}`)}</Tag>;
                return g ? (
                  <Tooltip title={t('clueRightPendingBy', { name: g.grantedBy?.displayName ?? '', at: g.grantedAt ? dayjs(g.grantedAt).format('YYYY-MM-DD') : '' })}>{tag}</Tooltip>
                ) : tag;
              },
            },
            {
              title: t('canExchange'), key: 'exchange', width: 90,
              render: (_, u) => <ExchangeSwitch user={u} self={u.id === s.user.id} onChanged={users.reload} />,
            },
            {
              title: t('status'), key: 'status', width: 130,
              render: (_, u) => (
                <Space size={2} wrap>
                  {u.active ? <Tag color="green">{t('enabled')}</Tag> : <Tag>{t('disabled')}</Tag>}
                  {u.active && u.needsPassword && (
                    <Tooltip title={t('needsPasswordHint')}><Tag color="error" data-testid={`needs-password-${u.username}`}>{t('needsPassword')}</Tag></Tooltip>
                  )}
                </Space>
              ),
            },
            { title: t('ops'), key: 'ops', render: (_, u) => ops(u) },
          ]}
        />
      )}

      {/* Why one's own row has fewer actions (its disabled 停用 refers to this line). */}
      <Typography.Paragraph type="secondary" id="xz-self-hint" style={{ margin: '8px 0 0', fontSize: 12 }}>
        {t('selfRoleHint')} {t('selfActiveHint')} {t('selfClueHint')} {t('selfExchangeHint')}
      </Typography.Paragraph>

      {editing && (
        <FormShell<UserValues>
          kind="drawer" title={isNew ? t('newUser') : t('editUser', { name: editing.user?.displayName })}
          onClose={() => setEditing(null)} onSubmit={save} size={520}
          initialValues={editing.user ? { displayName: editing.user.displayName, role: editing.user.role, canExchange: editing.user.canExchange } : { role: 'entry', canExchange: false }}
        >
          {(form) => (
            <>
              {isNew && (
                <Form.Item name="username" label={t('username')} rules={required(t('username'))} extra={t('usernameHint')}>
                  <Input autoComplete="off" maxLength={40} />
                </Form.Item>
              )}
              <Form.Item name="displayName" label={t('displayName')} rules={required(t('displayName'))}><Input maxLength={100} /></Form.Item>
              <Form.Item name="role" label={t('role')} rules={required(t('role'))} extra={editingSelf ? t('selfRoleHint') : undefined}>
                <Select disabled={editingSelf} options={ROLE_CODES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} />
              </Form.Item>
              {isNew && (
                <NewPasswordFields form={form} rules={rules} name="password" label={t('password')} name2="password2" label2={t('password2')} />
              )}
              <Form.Item name="canExchange" label={t('canExchange')} valuePropName="checked" extra={editingSelf ? t('selfExchangeHint') : t('exchangeHint')}>
                <Switch disabled={editingSelf} />
              </Form.Item>
              <Alert type="info" showIcon title={editingSelf ? t('selfClueHint') : t('clueByRightsHint')} />
            </>
          )}
        </FormShell>
      )}

      {pw.dialog && (
        <ResetPasswordDialog user={pw.dialog.user} mode={pw.dialog.mode} open={pw.shown} onClose={pw.hide} onDone={reload} />
      )}
      <ChangeOwnPasswordDialog open={ownOpen} onClose={() => setOwnOpen(false)} />
      {reasonHolder}
    </div>
  );
}
