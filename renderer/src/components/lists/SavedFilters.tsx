/** 已存筛选: save the current filters under a name, apply one, delete one (the user's own only). */
import { DeleteOutlined, SaveOutlined, StarOutlined } from '@ant-design/icons';
import { App, Button, Dropdown, Form, Input, Modal } from 'antd';
import type { MenuProps } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, call } from '../../api/client.js';
import { toApiError, useQuery } from '../hooks.js';
import { errorText } from '../States.js';

export type FilterValue = Record<string, string | number | boolean | null>;

export function SavedFilters({ list, current, onApply }: {
  list: 'problems' | 'tasks' | 'duty';
  current: FilterValue;
  onApply(f: FilterValue, name: string): void;
}) {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const { message, modal } = App.useApp();
  const saved = useQuery(() => call('savedFilters:list', { list }), [list]);
  const [saving, setSaving] = useState(false);
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ name: string }>();

  async function save(replace: boolean): Promise<void> {
    const { name } = await form.validateFields();
    setBusy(true);
    try {
      await call('savedFilters:save', { list, name, filter: current, replace });
      void message.success(t('saved.saved', { name: name.trim() }));
      setSaving(false);
      form.resetFields();
      saved.reload();
    } catch (e) {
      const err = toApiError(e);
      if (err instanceof ApiError && err.payload.reason === 'duplicate_name' && !replace) {
        modal.confirm({
          title: t('saved.overwriteTitle', { name: name.trim() }),
          content: t('saved.overwriteBody'),
          okText: t('saved.overwrite'),
          onOk: () => save(true),
        });
      } else if (err.field === 'name') form.setFields([{ name: 'name', errors: [err.message] }]);
      else void message.error(errorText(err, tc));
    } finally {
      setBusy(false);
    }
  }

  function remove(id: string, name: string) {
    modal.confirm({
      title: t('saved.deleteTitle', { name }),
      content: t('saved.deleteBody'),
      okText: t('saved.delete'),
      okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await call('savedFilters:delete', { id });
          void message.success(t('saved.deleted', { name }));
          saved.reload();
        } catch (e) {
          void message.error(errorText(toApiError(e), tc));
        }
      },
    });
  }

  const rows = saved.data ?? [];
  const items: MenuProps['items'] = [
    ...(rows.length === 0 ? [{ key: '__none', label: t('saved.none'), disabled: true }] : rows.map((f) => ({
      key: f.id,
      label: (
        <span className="xz-saved-item" data-testid={`saved-${f.name}`}>
          {f.name}
          <Button
            size="small" type="text" danger icon={<DeleteOutlined />} aria-label={`${t('saved.delete')} ${f.name}`}
            onClick={(e) => { e.stopPropagation(); remove(f.id, f.name); }}
          />
        </span>
      ),
    }))),
    { type: 'divider' as const },
    { key: '__save', icon: <SaveOutlined />, label: t('saved.save') },
  ];

  return (
    <>
      <Dropdown
        trigger={['click']}
        menu={{
          items,
          onClick: ({ key }) => {
            if (key === '__save') {
              setSaving(true);
              return;
            }
            const f = rows.find((x) => x.id === key);
            if (f) {
              onApply(f.filter as FilterValue, f.name);
              void message.success(t('saved.applied', { name: f.name }));
            }
          },
        }}
      >
        <Button icon={<StarOutlined />}>{t('saved.button')}</Button>
      </Dropdown>
      <Modal
        open={saving} title={t('saved.saveTitle')} okText={tc('actions.save')} cancelText={tc('actions.cancel')}
        confirmLoading={busy} onOk={() => void save(false).catch(() => undefined)} onCancel={() => setSaving(false)} destroyOnHidden
      >
        <Form form={form} layout="vertical" onFinish={() => void save(false).catch(() => undefined)}>
          <Form.Item name="name" label={t('saved.name')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('saved.name') }) }]}>
            <Input maxLength={40} placeholder={t('saved.namePh')} autoFocus />
          </Form.Item>
        </Form>
      </Modal>
    </>
  );
}
