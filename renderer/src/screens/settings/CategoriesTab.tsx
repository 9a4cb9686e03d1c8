import { ArrowDownOutlined, ArrowUpOutlined, PlusOutlined } from '@ant-design/icons';
import { App, Button, Form, Input, Space, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { useErrorReport } from '../../components/forms/engine-error.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { ErrorState } from '../../components/States.js';

type CategoryNode = Awaited<ResultOf<'categories:list'>>[number];
/** A table row: antd draws an expander on any `children` array, so a leaf has none. */
type Node = Omit<CategoryNode, 'children'> & { children?: Node[] };

const toRow = (n: CategoryNode): Node => {
  const { children, ...rest } = n;
  return children.length > 0 ? { ...rest, children: children.map(toRow) } : rest;
};
type Naming = { mode: 'create'; parent: Node | null } | { mode: 'rename'; node: Node };

/**
 * 问题类别: a two-level tree (大类 → 小类). A category problems cite is deactivated, not deleted,
 * so old problem lists keep their labels; order within a level is explicit.
 */
export function CategoriesTab() {
  const { t } = useTranslation('settings');
  const { t: tc } = useTranslation();
  const { message, modal } = App.useApp();
  const report = useErrorReport();
  const tree = useQuery(() => call('categories:list', {}), []);
  const [naming, setNaming] = useState<Naming | null>(null);
  const [ask, reasonHolder] = useReasonPrompt();
  const [collapsed, setCollapsed] = useState<Set<string>>(new Set());

  useWindowEvent('xz:new', () => { if (!naming) setNaming({ mode: 'create', parent: null }); });

  async function run(p: Promise<unknown>) {
    try {
      await p;
      void message.success(tc('states.saved'));
    } catch (e) {
      report(e);
    }
    tree.reload();
  }

  async function saveName(n: Naming, v: { name: string }) {
    if (n.mode === 'create') await call('categories:create', { name: v.name, parentId: n.parent?.id ?? null });
    else await call('categories:rename', { id: n.node.id, name: v.name });
    tree.reload();
  }

  function siblingsOf(n: Node): CategoryNode[] {
    const roots = tree.data ?? [];
    if (!n.parentId) return roots;
    return roots.find((r) => r.id === n.parentId)?.children ?? [];
  }

  function move(n: Node, by: -1 | 1) {
    const ids = siblingsOf(n).map((x) => x.id);
    const k = ids.indexOf(n.id);
    const j = k + by;
    if (j < 0 || j >= ids.length) return;
    [ids[k], ids[j]] = [ids[j]!, ids[k]!];
    void run(call('categories:reorder', { parentId: n.parentId, orderedIds: ids }));
  }

  function toggle(n: Node) {
    if (!n.active) return void run(call('categories:activate', { id: n.id }));
    modal.confirm({
      title: t('deactivateTitle', { name: n.name }),
      content: n.children?.length ? t('deactivateWithChildren') : t('deactivateContent'),
      okText: t('deactivate'), okButtonProps: { danger: true }, cancelText: tc('actions.cancel'),
      onOk: () => run(call('categories:deactivate', { id: n.id })),
    });
  }

  function remove(n: Node) {
    ask({
      title: t('deleteCategoryTitle', { name: n.name }), label: t('deleteReason'), doneText: tc('states.saved'),
      onSubmit: async (reason) => {
        await call('categories:delete', { id: n.id, reason });
        tree.reload();
      },
    });
  }

  const rows: Node[] = (tree.data ?? []).map(toRow);
  return (
    <div>
      <Space style={{ marginBottom: 8 }}>
        <Button type="primary" size="small" icon={<PlusOutlined />} onClick={() => setNaming({ mode: 'create', parent: null })}>{t('newTopCategory')}</Button>
        <Typography.Text type="secondary">{t('categoriesHint')}</Typography.Text>
      </Space>
      {tree.error ? <ErrorState error={tree.error} onRetry={tree.reload} /> : (
        <Table<Node>
          size="small" rowKey="id" sticky pagination={false} loading={tree.loading} dataSource={rows} data-testid="categories"
          expandable={{
            expandedRowKeys: rows.filter((r) => r.children && !collapsed.has(r.id)).map((r) => r.id),
            onExpand: (open, r) => setCollapsed((c) => { const n = new Set(c); if (open) n.delete(r.id); else n.add(r.id); return n; }),
          }}
          columns={[
            { title: t('categoryName'), dataIndex: 'name', ellipsis: true, render: (name: string, n) => (n.active ? name : <Typography.Text type="secondary">{name}</Typography.Text>) },
            { title: t('problemCount'), dataIndex: 'problemCount', width: 90, align: 'right' },
            { title: t('status'), dataIndex: 'active', width: 80, render: (a: boolean) => (a ? <Tag color="green">{t('enabled')}</Tag> : <Tag>{t('disabled')}</Tag>) },
            {
              title: t('order'), key: 'order', width: 80, render: (_, n) => {
                const sib = siblingsOf(n);
                const k = sib.findIndex((x) => x.id === n.id);
                return (
                  <Space size={0}>
                    <Tooltip title={t('moveUp')}><Button size="small" type="text" icon={<ArrowUpOutlined />} aria-label={t('moveUpOf', { name: n.name })} disabled={k <= 0} onClick={() => move(n, -1)} /></Tooltip>
                    <Tooltip title={t('moveDown')}><Button size="small" type="text" icon={<ArrowDownOutlined />} aria-label={t('moveDownOf', { name: n.name })} disabled={k >= sib.length - 1} onClick={() => move(n, 1)} /></Tooltip>
                  </Space>
                );
              },
            },
            {
              title: t('ops'), key: 'ops', width: 280, render: (_, n) => (
                <Space size={0} wrap>
                  {!n.parentId && n.active && (
                    <Button size="small" type="link" onClick={() => setNaming({ mode: 'create', parent: n })}>{t('addChild')}</Button>
                  )}
                  <Button size="small" type="link" onClick={() => setNaming({ mode: 'rename', node: n })}>{t('rename')}</Button>
                  <Button size="small" type="link" danger={n.active} onClick={() => toggle(n)}>{n.active ? t('deactivate') : t('activate')}</Button>
                  {n.problemCount === 0 && !n.children?.length && (
                    <Button size="small" type="link" danger onClick={() => remove(n)}>{tc('actions.delete')}</Button>
                  )}
                </Space>
              ),
            },
          ]}
        />
      )}
      {naming && (
        <FormShell<{ name: string }>
          title={naming.mode === 'rename' ? t('renameTitle', { name: naming.node.name })
            : naming.parent ? t('newChildTitle', { parent: naming.parent.name }) : t('newTopCategory')}
          initialValues={{ name: naming.mode === 'rename' ? naming.node.name : '' }} size={520}
          onClose={() => setNaming(null)} onSubmit={(v) => saveName(naming, v)}
        >
          <Form.Item name="name" label={t('categoryName')} rules={[{ required: true, message: t('required', { field: t('categoryName') }) }]}>
            <Input maxLength={100} autoFocus />
          </Form.Item>
        </FormShell>
      )}
      {reasonHolder}
    </div>
  );
}
