/** 编辑问题: category, description, source, key flag with 领办领导, not-for-disclosure flag with its reason. */
import { Col, Form, Input, Row, Select, Switch } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { PROBLEM_SOURCES, type ProblemBundle } from './types.js';

interface ProblemValues {
  categoryId: string;
  description: string;
  source: ProblemBundle['source'];
  isKey: boolean;
  leadLeader?: string;
  notForDisclosure: boolean;
  notForDisclosureReason?: string;
  remark?: string;
}

export function ProblemForm({ open, problem, onClose, onSaved }: { open: boolean; problem: ProblemBundle; onClose(): void; onSaved(): void }) {
  const { t } = useTranslation('tasks');
  const cats = useQuery(() => call('categories:list', { activeOnly: true }), []);
  // Two levels: a parent as an option group of its children, or as an option when it has none.
  const options = (cats.data ?? []).map((c) => (c.children.length
    ? { label: c.name, options: [{ value: c.id, label: c.name }, ...c.children.map((x) => ({ value: x.id, label: `${c.name} / ${x.name}` }))] }
    : { value: c.id, label: c.name }));
  const known = (cats.data ?? []).some((c) => c.id === problem.categoryId || c.children.some((x) => x.id === problem.categoryId));

  const initial: ProblemValues = {
    categoryId: problem.categoryId, description: problem.description, source: problem.source, isKey: problem.isKey,
    leadLeader: problem.leadLeader ?? '', notForDisclosure: problem.notForDisclosure,
    notForDisclosureReason: problem.notForDisclosureReason ?? '', remark: problem.remark ?? '',
  };

  async function save(v: ProblemValues) {
    await call('problems:update', {
      id: problem.id, categoryId: v.categoryId, description: v.description, source: v.source, isKey: v.isKey,
      leadLeader: v.leadLeader ?? null, notForDisclosure: v.notForDisclosure, notForDisclosureReason: v.notForDisclosureReason ?? null,
      remark: v.remark ?? null,
    });
    onSaved();
  }

  return (
    <FormShell<ProblemValues>
      kind="drawer" open={open} size={620} testId="problem-form" initialValues={initial}
      title={t('problem.editTitle')} onClose={onClose} onSubmit={save}
    >
      <Row gutter={12}>
        <Col span={14}>
          <Form.Item name="categoryId" label={t('problem.category')} rules={[{ required: true, message: t('problem.categoryRequired') }]}
            extra={!known && cats.data ? t('problem.categoryInactive') : undefined}>
            <Select options={options} loading={cats.loading} showSearch={{ optionFilterProp: 'label' }} />
          </Form.Item>
        </Col>
        <Col span={10}>
          <Form.Item name="source" label={t('problem.source')} rules={[{ required: true }]}>
            <Select options={PROBLEM_SOURCES.map((s) => ({ value: s, label: t(`sources.${s}`) }))} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="description" label={t('problem.description')} rules={[{ required: true, whitespace: true, message: t('problem.descriptionRequired') }]}>
        <Input.TextArea rows={5} maxLength={4000} showCount />
      </Form.Item>
      <SwitchWithText
        name="isKey" label={t('problem.isKey')}
        text="leadLeader" textLabel={t('problem.leadLeader')} required={t('problem.leadLeaderRequired')} maxLength={100}
      />
      <SwitchWithText
        name="notForDisclosure" label={t('problem.notForDisclosure')}
        text="notForDisclosureReason" textLabel={t('problem.disclosureReason')} required={t('problem.disclosureReasonRequired')} maxLength={200}
      />
      <Form.Item name="remark" label={t('problem.remark')}>
        <Input.TextArea rows={2} maxLength={4000} />
      </Form.Item>
    </FormShell>
  );
}

/** A yes/no switch that, when on, asks for the words it needs (领办领导, the reason it is not for disclosure). */
function SwitchWithText(p: { name: string; label: string; text: string; textLabel: string; required: string; maxLength: number }) {
  const on = Form.useWatch(p.name) === true;
  return (
    <Row gutter={12}>
      <Col span={8}>
        <Form.Item name={p.name} label={p.label} valuePropName="checked"><Switch /></Form.Item>
      </Col>
      <Col span={16}>
        {on && (
          <Form.Item name={p.text} label={p.textLabel} rules={[{ required: true, whitespace: true, message: p.required }]}>
            <Input maxLength={p.maxLength} />
          </Form.Item>
        )}
      </Col>
    </Row>
  );
}
