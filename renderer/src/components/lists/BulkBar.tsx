/**
 * 批量操作 on the selected task rows: assign a responsible department, set a deadline. The
 * confirmation says how many tasks change; the result lists, task by task, what was refused and
 * the rule's reason (e.g. a started task's deadline moves only through a 延期申请).
 */
import { CalendarOutlined, TeamOutlined } from '@ant-design/icons';
import { App, Button, DatePicker, Form, Modal, Space, Table, Typography } from 'antd';
import type { Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { toApiError } from '../hooks.js';
import { errorText } from '../States.js';
import { DutyNameInput } from './Pickers.js';

type BulkResult = Awaited<ResultOf<'tasks:bulkAssignDepartment'>>;

export function BulkBar({ ids, describe, onDone, onClear }: {
  ids: string[];
  /** A short label of a selected task for the result list (序号 and measures). */
  describe(id: string): string;
  onDone(): void;
  onClear(): void;
}) {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const { modal, message } = App.useApp();
  const [which, setWhich] = useState<'department' | 'deadline' | null>(null);
  const [form] = Form.useForm<{ department?: string; deadline?: Dayjs }>();

  function showResult(r: BulkResult) {
    modal.info({
      title: t('bulk.resultTitle'),
      width: 640,
      content: (
        <div data-testid="bulk-result">
          <Space size="large" style={{ marginBottom: 8 }}>
            <Typography.Text type="success" data-testid="bulk-changed">{t('bulk.changed', { n: r.changed.length })}</Typography.Text>
            <Typography.Text>{t('bulk.unchanged', { n: r.unchanged.length })}</Typography.Text>
            <Typography.Text type={r.refused.length ? 'danger' : undefined} data-testid="bulk-refused">{t('bulk.refused', { n: r.refused.length })}</Typography.Text>
          </Space>
          {r.refused.length > 0 && (
            <Table
              className="xz-result-list" size="small" pagination={false} rowKey="id" scroll={{ y: 260 }}
              dataSource={r.refused}
              columns={[
                { key: 'task', title: t('bulk.task'), width: 220, ellipsis: true, render: (_: unknown, x) => describe(x.id) },
                { key: 'why', title: t('bulk.reason'), dataIndex: 'message' },
              ]}
            />
          )}
        </div>
      ),
    });
  }

  async function run(kind: 'department' | 'deadline', value: string) {
    const hide = message.loading(t('bulk.running'), 0);
    try {
      const r = kind === 'department'
        ? await call('tasks:bulkAssignDepartment', { taskIds: ids, responsibleDepartment: value })
        : await call('tasks:bulkSetDeadline', { taskIds: ids, deadline: value });
      setWhich(null);
      form.resetFields();
      onDone();
      showResult(r);
    } catch (e) {
      const err = toApiError(e);
      const field = err.field === 'responsibleDepartment' ? 'department' : err.field === 'deadline' ? 'deadline' : null;
      if (field) form.setFields([{ name: field, errors: [err.message] }]);
      else void message.error(errorText(err, tc));
    } finally {
      hide();
    }
  }

  async function ask() {
    if (!which) return;
    const v = await form.validateFields().catch(() => null);
    if (!v) return;
    const value = which === 'department' ? (v.department ?? '').trim() : v.deadline!.format('YYYY-MM-DD');
    modal.confirm({
      title: t('bulk.confirmTitle'),
      content: <span data-testid="bulk-confirm-text">{t(which === 'department' ? 'bulk.confirmDepartment' : 'bulk.confirmDeadline', { n: ids.length, v: value })}</span>,
      okText: tc('actions.confirm'),
      cancelText: tc('actions.cancel'),
      onOk: () => run(which, value),
    });
  }

  return (
    <div className="xz-bulk-bar" data-testid="bulk-bar">
      <Typography.Text strong>{t('bulk.selected', { n: ids.length })}</Typography.Text>
      <Button size="small" icon={<TeamOutlined />} onClick={() => setWhich('department')}>{t('bulk.department')}</Button>
      <Button size="small" icon={<CalendarOutlined />} onClick={() => setWhich('deadline')}>{t('bulk.deadline')}</Button>
      <Button size="small" type="link" onClick={onClear}>{t('bulk.clear')}</Button>
      <Modal
        open={which !== null} destroyOnHidden
        title={which === 'deadline' ? t('bulk.deadline') : t('bulk.department')}
        okText={tc('actions.confirm')} cancelText={tc('actions.cancel')}
        onOk={() => void ask()} onCancel={() => { setWhich(null); form.resetFields(); }}
      >
        <Typography.Paragraph type="secondary">{which === 'deadline' ? t('bulk.deadlineNote') : t('bulk.departmentNote')}</Typography.Paragraph>
        <Form form={form} layout="vertical">
          {which === 'department' ? (
            <Form.Item name="department" label={t('bulk.departmentLabel')} rules={[{ required: true, whitespace: true, message: t('form.required', { field: t('bulk.departmentLabel') }) }]}>
              <DutyNameInput by="department" />
            </Form.Item>
          ) : (
            <Form.Item name="deadline" label={t('bulk.deadlineLabel')} rules={[{ required: true, message: t('form.requiredSelect', { field: t('bulk.deadlineLabel') }) }]}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          )}
        </Form>
      </Modal>
    </div>
  );
}
