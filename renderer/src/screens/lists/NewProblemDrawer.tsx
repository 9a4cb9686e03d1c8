/**
 * 新建问题 (Ctrl+N on the problem list; Ctrl+S saves): unit within a round (or a unit outside any
 * round), category, description, 重点难点 with its 领办领导, source → problems:create. The engine's
 * refusals are shown on the field they name.
 */
import { App, Button, Col, Drawer, Form, Input, Row, Select, Space, Switch, Typography } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../app/session.js';
import { toApiError, useQuery, useWindowEvent } from '../../components/hooks.js';
import { CategoryPicker, RoundPicker, UnitPicker } from '../../components/lists/pickers.js';
import { errorText } from '../../components/states.js';

const SOURCES = ['inspection_feedback', 'personnel_check', 'transferred_suggestion', 'petition', 'lookback', 'daily_supervision'] as const;

interface Values {
  roundId: string | null;
  inspectionId?: string;
  unitId?: string;
  categoryId?: string;
  description?: string;
  isKey: boolean;
  leadLeader?: string;
  source: string;
  remark?: string;
}

const FIELDS = new Set(['roundId', 'inspectionId', 'unitId', 'categoryId', 'description', 'isKey', 'leadLeader', 'source', 'remark']);

export function NewProblemDrawer({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  const s = useSession();
  const { message, modal } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [busy, setBusy] = useState(false);
  const roundId = Form.useWatch('roundId', form) ?? null;
  const isKey = Form.useWatch('isKey', form) ?? false;
  const inspections = useQuery(() => (roundId ? call('inspections:list', { roundId }) : Promise.resolve([])), [roundId]);

  // Each time the form opens it starts in the current round.
  useEffect(() => {
    if (open) form.setFieldsValue({ roundId: s.roundId, isKey: false, source: 'inspection_feedback' });
  }, [open, form, s.roundId]);

  async function submit() {
    let v: Values;
    try {
      v = await form.validateFields();
    } catch {
      return; // the form shows what is missing
    }
    setBusy(true);
    try {
      const created = await call('problems:create', {
        ...(v.roundId ? { inspectionId: v.inspectionId } : { unitId: v.unitId }),
        categoryId: v.categoryId, description: v.description, isKey: !!v.isKey,
        leadLeader: v.isKey ? v.leadLeader : undefined, source: v.source, remark: v.remark,
      });
      void message.success(t('form.created', { seq: created.seq }));
      form.resetFields();
      onCreated();
    } catch (e) {
      const err = toApiError(e);
      // Without a round the unit is picked directly; within one, through the round's inspection.
      const field = err.field === 'unitId' && roundId ? 'inspectionId' : err.field;
      if (field && FIELDS.has(field)) form.setFields([{ name: field as keyof Values, errors: [err.message] }]);
      else void message.error(errorText(err, tc));
    } finally {
      setBusy(false);
    }
  }

  function close() {
    if (!form.isFieldsTouched()) {
      form.resetFields();
      onClose();
      return;
    }
    modal.confirm({
      title: t('form.discardTitle'),
      content: tc('states.unsaved'),
      okText: t('form.discard'),
      okButtonProps: { danger: true },
      onOk: () => {
        form.resetFields();
        onClose();
      },
    });
  }

  useWindowEvent('xz:save', () => {
    if (open && !busy) void submit();
  });

  const required = (field: string, select = false) => [{ required: true, whitespace: true, message: t(select ? 'form.requiredSelect' : 'form.required', { field }) }];
  return (
    <Drawer
      open={open} title={t('form.title')} size={560} onClose={close} destroyOnHidden maskClosable={false}
      extra={<Typography.Text type="secondary">{t('form.saveHint')}</Typography.Text>}
      footer={(
        <Space style={{ float: 'right' }}>
          <Button onClick={close}>{tc('actions.cancel')}</Button>
          <Button type="primary" loading={busy} onClick={() => void submit()} data-testid="problem-form-save">{tc('actions.save')}</Button>
        </Space>
      )}
    >
      <Form
        form={form} layout="vertical" data-testid="problem-form"
        onValuesChange={(ch: Partial<Values>) => {
          if ('roundId' in ch) form.setFieldsValue({ inspectionId: undefined, unitId: undefined });
        }}
      >
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="roundId" label={t('form.round')}>
              <RoundPicker allLabel={t('form.noRound')} />
            </Form.Item>
          </Col>
          <Col span={12}>
            {roundId ? (
              <Form.Item
                name="inspectionId" label={t('form.unit')} rules={required(t('form.unit'), true)}
                extra={inspections.data && inspections.data.length === 0 ? t('form.noInspections') : undefined}
              >
                <Select
                  placeholder={t('form.unitPh')} loading={inspections.loading} showSearch={{ optionFilterProp: 'label' }}
                  options={(inspections.data ?? []).filter((i) => !i.deletedAt).map((i) => ({ value: i.id, label: i.unitName }))}
                />
              </Form.Item>
            ) : (
              <Form.Item name="unitId" label={t('form.unit')} rules={required(t('form.unit'), true)}>
                <UnitPicker placeholder={t('form.unitPh')} />
              </Form.Item>
            )}
          </Col>
        </Row>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="categoryId" label={t('form.category')} rules={required(t('form.category'), true)}>
              <CategoryPicker activeOnly />
            </Form.Item>
          </Col>
          <Col span={12}>
            <Form.Item name="source" label={t('form.source')} rules={required(t('form.source'), true)}>
              <Select options={SOURCES.map((x) => ({ value: x, label: t(`sources.${x}`) }))} />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="description" label={t('form.description')} rules={required(t('form.description'))}>
          <Input.TextArea rows={5} maxLength={4000} showCount placeholder={t('form.descriptionPh')} />
        </Form.Item>
        <Row gutter={12}>
          <Col span={12}>
            <Form.Item name="isKey" label={t('form.isKey')} valuePropName="checked" extra={t('form.isKeyHint')}>
              <Switch />
            </Form.Item>
          </Col>
          <Col span={12}>
            {isKey && (
              <Form.Item name="leadLeader" label={t('form.leadLeader')}>
                <Input maxLength={100} />
              </Form.Item>
            )}
          </Col>
        </Row>
        <Form.Item name="remark" label={t('form.remark')}>
          <Input.TextArea rows={2} maxLength={4000} />
        </Form.Item>
      </Form>
    </Drawer>
  );
}
