import { PlusOutlined, ReloadOutlined } from '@ant-design/icons';
import { Button, Col, Form, Input, Row, Select, Space, Table, Tag, Tooltip } from 'antd';
import type { ColumnsType } from 'antd/es/table';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { useQuery, useWindowEvent } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { today } from '../../components/forms/dates.js';
import { DateInput } from '../../components/forms/DateInput.js';
import { FormShell } from '../../components/forms/FormShell.js';
import { ReasonPrompt } from '../../components/forms/ReasonPrompt.js';
import { useDialog } from '../../components/forms/useDialog.js';
import { EmptyWithNew } from './EmptyWithNew.js';
import { ProblemPicker } from './ProblemPicker.js';
import { conflictTagOf } from '../exchange/ConflictFlag.js';
import { useExchangeFilter } from '../../components/lists/ExchangeFilter.js';

type ActivityRow = Awaited<ResultOf<'activities:list'>>['items'][number];
type ActivityDetail = Awaited<ResultOf<'activities:get'>>;

export const ACTIVITY_KINDS = [
  'feedback_meeting', 'plan_guidance', 'plan_review', 'dlm_attendance', 'progress_meeting', 'field_research',
  'site_inspection', 'talk_inquiry', 'supervision_advice', 'consultation', 'effect_evaluation',
] as const;

const PAGE = 50;

type Dialog = { kind: 'new'; row: null } | { kind: 'edit' | 'delete'; row: ActivityDetail };

/** 监督举措: what the supervising office did, when, with whom, what it found, which problems it concerns. */
export function ActivitiesTab(p: { roundId: string; canWrite: boolean; active: boolean; units: { id: string; name: string }[] }) {
  const { t } = useTranslation('supervision');
  const { t: tc } = useTranslation();
  const [kind, setKind] = useState<ActivityDetail['kind'] | null>(null);
  const [page, setPage] = useState(1);
  useEffect(() => setPage(1), [p.roundId]);
  const [tick, setTick] = useState(0);
  const xf = useExchangeFilter(() => setPage(1));
  const { dialog, shown, show, hide } = useDialog<Dialog>();

  const list = useQuery(
    () => call('activities:list', { roundId: p.roundId, kind: kind ?? undefined, ...xf.args, limit: PAGE, offset: (page - 1) * PAGE }),
    [p.roundId, kind, xf.args.originOfficeId, xf.args.conflicted, page, tick],
  );
  const unitName = (id: string | null) => (id ? p.units.find((u) => u.id === id)?.name ?? t('none') : t('none'));

  useWindowEvent('xz:new', () => {
    if (p.active && p.canWrite && !shown) show({ kind: 'new', row: null });
  });
  const reload = () => setTick((x) => x + 1);
  const saved = () => { hide(); reload(); };

  const columns: ColumnsType<ActivityRow> = [
    { title: t('activities.col.date'), dataIndex: 'activityDate', width: 104 },
    { title: t('activities.col.kind'), dataIndex: 'kind', width: 130, render: (v: string) => <Tag>{t(`activities.kinds.${v}`)}</Tag> },
    { title: t('activities.col.title'), dataIndex: 'title', width: 200, ellipsis: { showTitle: true }, render: (v: string, r) => <>{conflictTagOf(r)}{v}</> },
    { title: t('activities.col.unit'), dataIndex: 'unitId', width: 130, ellipsis: true, render: (v: string | null) => unitName(v) },
    ...xf.columns<ActivityRow>(),
    { title: t('activities.col.participants'), dataIndex: 'participants', width: 120, ellipsis: { showTitle: true }, render: (v: string | null) => v ?? t('none') },
    { title: t('activities.col.findings'), dataIndex: 'findings', ellipsis: { showTitle: true }, render: (v: string | null) => v ?? t('none') },
    {
      title: t('activities.col.problems'), key: 'problems', width: 120,
      render: (_v, r) => {
        if (r.problems.length === 0) return t('none');
        return (
          <Space size={2} wrap>
            {r.problems.map((x) => <Tooltip key={x.id} title={x.description}><Tag style={{ marginInlineEnd: 0 }}>{t('activities.problemNo', { n: x.seq })}</Tag></Tooltip>)}
          </Space>
        );
      },
    },
    ...(p.canWrite ? [{
      title: tc('a11y.actions'), key: 'actions', width: 110, fixed: 'right' as const,
      render: (_v: unknown, r: ActivityRow) => (
        <Space size={0}>
          <Button size="small" type="link" onClick={() => show({ kind: 'edit', row: r })}>{tc('actions.edit')}</Button>
          <Button size="small" type="link" danger onClick={() => show({ kind: 'delete', row: r })}>{tc('actions.delete')}</Button>
        </Space>
      ),
    }] : []),
  ];

  const total = list.data?.total ?? 0;
  let content;
  if (list.error) content = <ErrorState error={list.error} onRetry={list.reload} />;
  else if (list.data && total === 0 && kind === null && !xf.active) {
    content = (
      <EmptyWithNew
        hint={t('activities.empty')} newLabel={t('activities.newActivity')} onNew={p.canWrite ? () => show({ kind: 'new', row: null }) : null}
      />
    );
  } else {
    content = (
      <Table<ActivityRow>
        size="small" rowKey="id" bordered sticky loading={list.loading} dataSource={list.data?.items ?? []} columns={columns}
        scroll={{ x: 1100, y: 'calc(100vh - 300px)' }} locale={{ emptyText: <EmptyState hint={t('activities.emptyFiltered')} /> }}
        pagination={total > PAGE ? { current: page, pageSize: PAGE, total, onChange: setPage, showSizeChanger: false, size: 'small' } : false}
        data-testid="activity-table"
      />
    );
  }

  return (
    <div data-testid="activities">
      <div className="xz-toolbar">
        <Select
          size="small" style={{ width: 170 }} allowClear placeholder={t('activities.allKinds')} aria-label={t('activities.col.kind')}
          value={kind ?? undefined} onChange={(v: ActivityDetail['kind'] | undefined) => { setKind(v ?? null); setPage(1); }}
          options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activities.kinds.${k}`) }))}
        />
        {xf.controls}
        <span className="xz-count">{tc('units.rows', { n: total })} · {t('filterSummary', { what: xf.summary([kind && t(`activities.kinds.${kind}`)], t('noFilter')) })}</span>
        <span className="xz-grow" />
        <Button size="small" icon={<ReloadOutlined />} onClick={reload}>{tc('actions.refresh')}</Button>
        {p.canWrite && (
          <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => show({ kind: 'new', row: null })}>{t('activities.newActivity')}</Button>
        )}
      </div>
      {content}
      <ActivityForm
        open={shown && dialog?.kind !== 'delete'} roundId={p.roundId} units={p.units}
        record={dialog?.row ?? null} onClose={hide} onSaved={saved}
      />
      <ReasonPrompt
        open={shown && dialog?.kind === 'delete'} title={t('activities.deleteTitle')} hint={t('deleteHint')} label={t('deleteReason')}
        testId="delete-form" doneText={t('deleted')} onClose={hide}
        onSubmit={async (reason) => {
          await call('activities:delete', { id: dialog?.row?.id ?? null, reason });
          saved();
        }}
      />
    </div>
  );
}

interface ActivityValues {
  kind: ActivityDetail['kind'];
  activityDate: string | null;
  title: string;
  unitId: string | null;
  participants: string | null;
  findings: string | null;
  problemIds: string[];
}

function ActivityForm(p: {
  open: boolean;
  roundId: string;
  units: { id: string; name: string }[];
  record: ActivityDetail | null;
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('supervision');
  const [form] = Form.useForm<ActivityValues>();
  const unitId = Form.useWatch('unitId', form);
  const r = p.record;
  const f = (k: string) => t(`activities.field.${k}`);

  const submit = async (v: ActivityValues) => {
    const body = {
      kind: v.kind, activityDate: v.activityDate ?? '', title: v.title, unitId: v.unitId ?? null,
      participants: v.participants?.trim() || null, findings: v.findings?.trim() || null, problemIds: v.problemIds ?? [],
    };
    if (r) await call('activities:update', { id: r.id, ...body });
    else await call('activities:create', { ...body, roundId: p.roundId });
    p.onSaved();
  };

  return (
    <FormShell<ActivityValues>
      kind="drawer" open={p.open} form={form} onClose={p.onClose} onSubmit={submit} size={640} testId="activity-form"
      doneText={r ? t('saved') : t('created')}
      title={r ? t('activities.edit') : t('activities.create')}
      initialValues={r
        ? { kind: r.kind, activityDate: r.activityDate, title: r.title, unitId: r.unitId, participants: r.participants, findings: r.findings, problemIds: r.problemIds }
        : { activityDate: today(), unitId: null, problemIds: [] }}
    >
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="kind" label={f('kind')} rules={[{ required: true, message: t('requiredPick', { field: f('kind') }) }]}>
            <Select options={ACTIVITY_KINDS.map((k) => ({ value: k, label: t(`activities.kinds.${k}`) }))} />
          </Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="activityDate" label={f('activityDate')} rules={[{ required: true, message: t('requiredDate', { field: f('activityDate') }) }]}>
            <DateInput placeholder={t('dateHint')} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item name="title" label={f('title')} rules={[{ required: true, whitespace: true, message: t('required', { field: f('title') }) }]}>
        <Input maxLength={200} />
      </Form.Item>
      <Form.Item name="unitId" label={t('unit')}>
        <Select
          allowClear placeholder={t('unitNone')} showSearch={{ optionFilterProp: 'label' }} options={p.units.map((u) => ({ value: u.id, label: u.name }))}
          onChange={() => form.setFieldValue('problemIds', [])}
        />
      </Form.Item>
      <Form.Item name="participants" label={f('participants')}>
        <Input maxLength={4000} />
      </Form.Item>
      <Form.Item name="findings" label={f('findings')}>
        <Input.TextArea rows={4} maxLength={4000} />
      </Form.Item>
      <Form.Item name="problemIds" label={f('problemIds')}>
        <ProblemPicker roundId={p.roundId} unitId={unitId ?? null} known={r?.problems ?? []} />
      </Form.Item>
    </FormShell>
  );
}
