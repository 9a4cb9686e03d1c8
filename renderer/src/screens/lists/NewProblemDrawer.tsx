/**
 * 新建问题 (Ctrl+N on the problem list; Ctrl+S saves): unit within a round (or a unit outside any
 * round), category, description, 重点难点 with its 领办领导, source → problems:create. The engine's
 * refusals are shown on the field they name.
 */
import { App, Col, Form, Input, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { useQuery } from '../../components/hooks.js';
import { CategoryPicker, RoundPicker, UnitPicker } from '../../components/lists/Pickers.js';
import { SOURCES } from './ListFilter.js';


interface Values {
  roundId: string | null;
  inspectionId?: string;
  unitId?: string;
  categoryId?: string;
  description?: string;
  isKey: boolean;
  leadLeader?: string;
  source: (typeof SOURCES)[number];
  remark?: string;
}

export function NewProblemDrawer({ open, onClose, onCreated }: { open: boolean; onClose(): void; onCreated(): void }) {
  const { t } = useTranslation('problems');
  const s = useSession();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const roundId = Form.useWatch('roundId', form) ?? null;
  const isKey = Form.useWatch('isKey', form) ?? false;
  const inspections = useQuery(() => (roundId ? call('inspections:list', { roundId }) : Promise.resolve([])), [roundId]);

  async function submit(v: Values) {
    const created = await call('problems:create', {
      roundId: null, inspectionId: v.roundId ? v.inspectionId ?? null : null, unitId: v.roundId ? null : v.unitId ?? null, feedbackId: null,
      categoryId: v.categoryId ?? null, description: v.description ?? null, isKey: !!v.isKey,
      leadLeader: v.isKey ? v.leadLeader ?? null : null, source: v.source, remark: v.remark ?? null, reboundOfId: null,
      notForDisclosureReason: null,
    });
    void message.success(t('form.created', { seq: created.seq }));
    onCreated();
  }

  const required = (field: string, select = false) => [{ required: true, whitespace: true, message: t(select ? 'form.requiredSelect' : 'form.required', { field }) }];
  return (
    // Each opening starts in the current round; within a round the unit is picked through the
    // round's inspection, so the engine's unitId error belongs on that field.
    <FormShell<Values>
      open={open} kind="drawer" title={t('form.title')} form={form} testId="problem-form" onClose={onClose} onSubmit={submit}
      initialValues={{ roundId: s.roundId, isKey: false, source: 'inspection_feedback' }} doneText={null}
      alias={roundId ? { unitId: 'inspectionId' } : undefined}
      onValuesChange={(ch) => {
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
    </FormShell>
  );
}
