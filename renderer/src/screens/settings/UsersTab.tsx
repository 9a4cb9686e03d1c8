import { KeyOutlined, PlusOutlined, EditOutlined } from '@ant-design/icons';
import { App, Button, Col, Form, Input, Row, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';
import { ROLE_CODES, type Role } from './vocab.js';

type User = Awaited<ResultOf<'users:list'>>[number];

interface UserValues {
  username?: string;
  displayName?: string;
  role?: Role;
  canViewClues?: boolean;
  password?: string;
  password2?: string;
}

/**
 * 用户与角色. Password rules and username rules are the engine's (no second copy here): a bad
 * value comes back as the engine's sentence on its field.
 */
export function UsersTab() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message, modal } = App.useApp();
  const report = useErrorReport();
  const users = useQuery(() => call('users:list'), []);
  const [editing, setEditing] = useState<{ user: User | null } | null>(null);
  const [resetting, setResetting] = useState<User | null>(null);

  useWindowEvent('xz:new', () => { if (!editing) open(null); });

  const open = (user: User | null) => setEditing({ user });

  async function save(v: UserValues) {
    if (editing?.user) {
      await call('users:update', { id: editing.user.id, displayName: v.displayName, role: v.role, canViewClues: v.canViewClues === true });
    } else {
      await call('users:create', {
        username: v.username ?? null, displayName: v.displayName ?? null, role: v.role ?? null, canViewClues: v.canViewClues === true, password: v.password ?? '',
      });
    }
    users.reload();
  }

  async function patch(u: User, change: { active?: boolean; canViewClues?: boolean }) {
    try {
      await call('users:update', { id: u.id, ...change });
      void message.success(tc('states.saved'));
    } catch (e) {
      report(e);
    }
    users.reload();
  }

  function toggleActive(u: User) {
    if (!u.active) return void patch(u, { active: true });
    modal.confirm({
      title: t('disableTitle', { name: u.displayName }), content: t('disableContent'),
      okText: t('disable'), okButtonProps: { danger: true }, cancelText: tc('actions.cancel'),
      onOk: () => patch(u, { active: false }),
    });
  }


  const required = (label: string) => [{ required: true, message: t('required', { field: label }) }];
  const same = (other: string) => ({ getFieldValue }: { getFieldValue(n: string): unknown }) => ({
    validator: (_r: unknown, v: unknown) => (v === getFieldValue(other) ? Promise.resolve() : Promise.reject(new Error(t('passwordMismatch')))),
  });
  const isNew = editing !== null && editing.user === null;

  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => open(null)}>{t('newUser')}</Button>
        <Typography.Text type="secondary">{tc('units.rows', { n: users.data?.length ?? 0 })}</Typography.Text>
      </Space>
      {users.error ? <ErrorState error={users.error} onRetry={users.reload} /> : (
        <Table<User>
          size="small" rowKey="id" sticky pagination={false} loading={users.loading} dataSource={users.data ?? []} data-testid="users"
          columns={[
            { title: t('username'), dataIndex: 'username', width: 160 },
            { title: t('displayName'), dataIndex: 'displayName', width: 160 },
            { title: t('role'), dataIndex: 'role', width: 100, render: (r: Role) => tc(`roles.${r}`) },
            {
              title: t('canViewClues'), dataIndex: 'canViewClues', width: 120,
              render: (v: boolean, u) => (
                <Switch size="small" checked={v} aria-label={t('canViewCluesOf', { name: u.displayName })} onChange={(x) => void patch(u, { canViewClues: x })} />
              ),
            },
            { title: t('status'), dataIndex: 'active', width: 80, render: (a: boolean) => (a ? <Tag color="green">{t('enabled')}</Tag> : <Tag>{t('disabled')}</Tag>) },
            {
              title: t('ops'), key: 'ops', render: (_, u) => (
                <Space size={4} wrap>
                  <Button size="small" type="link" icon={<EditOutlined />} onClick={() => open(u)}>{tc('actions.edit')}</Button>
                  <Button size="small" type="link" icon={<KeyOutlined />} onClick={() => setResetting(u)}>{t('resetPassword')}</Button>
                  {u.id !== s.user.id && (
                    <Button size="small" type="link" danger={u.active} onClick={() => toggleActive(u)}>{u.active ? t('disable') : t('enable')}</Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}

      {editing && (
        <FormShell<UserValues>
          kind="drawer" title={isNew ? t('newUser') : t('editUser', { name: editing.user?.displayName })}
          onClose={() => setEditing(null)} onSubmit={save} size={520}
          initialValues={editing.user ? { displayName: editing.user.displayName, role: editing.user.role, canViewClues: editing.user.canViewClues } : { role: 'entry', canViewClues: false }}
        >
          {isNew && (
            <Form.Item name="username" label={t('username')} rules={required(t('username'))} extra={t('usernameHint')}>
              <Input autoComplete="off" maxLength={40} />
            </Form.Item>
          )}
          <Form.Item name="displayName" label={t('displayName')} rules={required(t('displayName'))}><Input maxLength={100} /></Form.Item>
          <Row gutter={12}>
            <Col span={12}>
              <Form.Item name="role" label={t('role')} rules={required(t('role'))}>
                <Select options={ROLE_CODES.map((r) => ({ value: r, label: tc(`roles.${r}`) }))} />
              </Form.Item>
            </Col>
            <Col span={12}>
              <Form.Item name="canViewClues" label={t('canViewClues')} valuePropName="checked" extra={t('canViewCluesHint')}><Switch /></Form.Item>
            </Col>
          </Row>
          {isNew && (
            <Row gutter={12}>
              <Col span={12}>
                <Form.Item name="password" label={t('password')} rules={required(t('password'))} extra={t('passwordHint')}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
              <Col span={12}>
                <Form.Item name="password2" label={t('password2')} dependencies={['password']} rules={[...required(t('password2')), same('password')]}>
                  <Input.Password autoComplete="new-password" />
                </Form.Item>
              </Col>
            </Row>
          )}
        </FormShell>
      )}

      {resetting && (
        <FormShell<{ password: string; password2: string }>
          title={t('resetTitle', { name: resetting.displayName })} okText={t('resetPassword')} size={520}
          doneText={t('passwordReset', { name: resetting.displayName })} onClose={() => setResetting(null)}
          onSubmit={async (v) => { await call('users:update', { id: resetting.id, password: v.password }); }}
        >
          <Form.Item name="password" label={t('newPassword')} rules={required(t('newPassword'))} extra={t('passwordHint')}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
          <Form.Item name="password2" label={t('password2')} dependencies={['password']} rules={[...required(t('password2')), same('password')]}>
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        </FormShell>
      )}
    </div>
  );
}
