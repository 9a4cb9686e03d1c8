import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Row, Select, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';

interface MeasureValues { content: string; owner?: string | null }
interface StageValues { name: string; startOn: string | null; endOn: string | null; measures: MeasureValues[] }
interface ProgrammeValues {
  name: string;
  startOn: string | null;
  endOn: string | null;
  unitId: string | null;
  stages: StageValues[];
}

const emptyStage = (name = ''): StageValues => ({ name, startOn: null, endOn: null, measures: [{ content: '', owner: null }] });

/**
 * 新建监督方案: the programme, its stages in order and each stage's measures in one form
 * (Form.List inside Form.List). The engine names a faulty item as 'stages[1].endOn', which lands on
 * that very field.
 */
export function ProgrammeForm(p: {
  open: boolean;
  roundId: string;
  units: { id: string; name: string }[];
  onClose(): void;
  onSaved(id: string): void;
}) {
  const { t } = useTranslation('supervision');
  const [form] = Form.useForm<ProgrammeValues>();
  const f = (k: string) => t(`programmes.field.${k}`);
  const req = (field: string) => [{ required: true, whitespace: true, message: t('required', { field }) }];
  const dateReq = (field: string) => [{ required: true, message: t('requiredDate', { field }) }];

  /** The customary 4 stages (学习部署 → 集中整改落实 → 集中整改审核 → 持续整改), keeping what was typed. */
  const fillTemplate = () => {
    const cur = form.getFieldValue('stages') as StageValues[] | undefined;
    const names = (['s1', 's2', 's3', 's4'] as const).map((k) => t(`programmes.templateStages.${k}`));
    form.setFieldValue('stages', names.map((n, k) => ({ ...(cur?.[k] ?? emptyStage()), name: n })));
  };

  const submit = async (v: ProgrammeValues) => {
    const r = await call('programmes:create', {
      roundId: p.roundId, unitId: v.unitId ?? null, name: v.name, startOn: v.startOn ?? '', endOn: v.endOn ?? '',
      stages: (v.stages ?? []).map((s) => ({
        name: s.name, startOn: s.startOn ?? '', endOn: s.endOn ?? '',
        measures: (s.measures ?? []).map((m) => ({ content: m.content, owner: m.owner?.trim() || null })),
      })),
    });
    p.onSaved(r.id);
  };

  return (
    <FormShell<ProgrammeValues>
      kind="drawer" open={p.open} form={form} onClose={p.onClose} onSubmit={submit} size={860} testId="programme-form" doneText={t('created')}
      title={t('programmes.create')} initialValues={{ unitId: null, stages: [emptyStage()] }}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="name" label={f('name')} rules={req(f('name'))}><Input maxLength={200} /></Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="startOn" label={f('startOn')} rules={dateReq(f('startOn'))}><DateInput placeholder={t('dateHint')} /></Form.Item>
        </Col>
        <Col span={6}>
          <Form.Item name="endOn" label={f('endOn')} rules={dateReq(f('endOn'))}><DateInput placeholder={t('dateHint')} /></Form.Item>
        </Col>
      </Row>
      <Form.Item name="unitId" label={t('unit')}>
        <Select allowClear placeholder={t('unitNone')} showSearch={{ optionFilterProp: 'label' }} options={p.units.map((u) => ({ value: u.id, label: u.name }))} />
      </Form.Item>
      <Form.List
        name="stages"
        rules={[{ validator: (_r, v: unknown[]) => (v && v.length > 0 ? Promise.resolve() : Promise.reject(new Error(t('programmes.stagesRequired')))) }]}
      >
        {(stages, { add, remove }, { errors }) => (
          <>
            <Space style={{ marginBottom: 8 }}>
              <Button size="small" onClick={fillTemplate}>{t('programmes.template')}</Button>
            </Space>
            {stages.map((st, k) => (
              <div className="xz-form-stage" key={st.key} data-testid={`stage-${k}`}>
                <Row gutter={8} align="top">
                  <Col flex="90px"><Typography.Text strong style={{ lineHeight: '32px' }}>{t('programmes.stageNo', { n: k + 1 })}</Typography.Text></Col>
                  <Col flex="auto">
                    <Form.Item name={[st.name, 'name']} rules={req(f('stageName'))} style={{ marginBottom: 8 }}>
                      <Input placeholder={f('stageName')} aria-label={`${t('programmes.stageNo', { n: k + 1 })} ${f('stageName')}`} maxLength={200} />
                    </Form.Item>
                  </Col>
                  <Col flex="150px">
                    <Form.Item name={[st.name, 'startOn']} rules={dateReq(f('startOn'))} style={{ marginBottom: 8 }}>
                      <DateInput placeholder={f('startOn')} aria-label={`${t('programmes.stageNo', { n: k + 1 })} ${f('startOn')}`} />
                    </Form.Item>
                  </Col>
                  <Col flex="150px">
                    <Form.Item name={[st.name, 'endOn']} rules={dateReq(f('endOn'))} style={{ marginBottom: 8 }}>
                      <DateInput placeholder={f('endOn')} aria-label={`${t('programmes.stageNo', { n: k + 1 })} ${f('endOn')}`} />
                    </Form.Item>
                  </Col>
                  <Col flex="32px">
                    <Button type="text" danger icon={<DeleteOutlined />} aria-label={t('programmes.removeStage')} onClick={() => remove(st.name)} disabled={stages.length <= 1} />
                  </Col>
                </Row>
                <Form.List name={[st.name, 'measures']}>
                  {(ms, mops) => (
                    <div style={{ paddingLeft: 90 }}>
                      {ms.map((m, j) => (
                        <Row gutter={8} key={m.key} align="top">
                          <Col flex="24px"><span className="xz-muted" style={{ lineHeight: '32px' }}>{j + 1}.</span></Col>
                          <Col flex="auto">
                            <Form.Item name={[m.name, 'content']} rules={req(f('content'))} style={{ marginBottom: 8 }}>
                              <Input placeholder={f('content')} aria-label={`${t('programmes.stageNo', { n: k + 1 })} ${f('content')} ${j + 1}`} maxLength={4000} />
                            </Form.Item>
                          </Col>
                          <Col flex="180px">
                            <Form.Item name={[m.name, 'owner']} style={{ marginBottom: 8 }}>
                              <Input placeholder={f('owner')} aria-label={`${t('programmes.stageNo', { n: k + 1 })} ${f('owner')} ${j + 1}`} maxLength={200} />
                            </Form.Item>
                          </Col>
                          <Col flex="32px">
                            <Button type="text" icon={<DeleteOutlined />} aria-label={t('programmes.removeMeasure')} onClick={() => mops.remove(m.name)} />
                          </Col>
                        </Row>
                      ))}
                      <Button size="small" type="dashed" icon={<PlusOutlined />} onClick={() => mops.add({ content: '', owner: null })} style={{ marginBottom: 8 }}>
                        {t('programmes.addMeasure')}
                      </Button>
                    </div>
                  )}
                </Form.List>
              </div>
            ))}
            <Button type="dashed" icon={<PlusOutlined />} onClick={() => add(emptyStage())} block>{t('programmes.addStage')}</Button>
            <Form.ErrorList errors={errors} />
          </>
        )}
      </Form.List>
    </FormShell>
  );
}
