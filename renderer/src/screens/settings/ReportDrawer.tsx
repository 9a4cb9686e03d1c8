import { Col, DatePicker, Form, Input, Row, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { call } from '../../api/client.js';
import { DAY, fromDay, toDay } from '../../components/forms/dates.js';
import { FormShell } from '../../components/forms/FormShell.js';
import type { ReportKind } from './vocab.js';

type Report = Awaited<ResultOf<'reports:list'>>['items'][number];

interface Values {
  kind: ReportKind;
  title: string;
  docNumber?: string;
  reportDate?: Dayjs | null;
  receivedOn?: Dayjs | null;
  body?: string;
}

/** Create or edit one report. Kind and inspection are fixed once saved (the engine refuses a change). */
export function ReportDrawer({ inspectionId, kind, report, kinds, onClose, onSaved }: {
  inspectionId: string;
  kind: ReportKind;
  report: Report | null;
  kinds: readonly ReportKind[];
  onClose(): void;
  onSaved(): void;
}) {
  const { t } = useTranslation('reports');

  async function save(v: Values) {
    const body = {
      title: v.title, docNumber: v.docNumber ?? null, reportDate: toDay(v.reportDate),
      receivedOn: v.kind === 'review_opinion' ? toDay(v.receivedOn) : null, body: v.body ?? null,
    };
    if (report) await call('reports:update', { id: report.id, ...body });
    else await call('reports:create', { inspectionId, kind: v.kind, ...body });
    onSaved();
  }

  const required = (label: string) => [{ required: true, message: t('required', { field: label }) }];
  return (
    <FormShell<Values>
      kind="drawer" title={report ? t('editTitle') : t('newTitle', { kind: t(`kinds.${kind}`) })}
      onClose={onClose} onSubmit={save} size={620}
      initialValues={{
        kind, title: report?.title ?? '', docNumber: report?.docNumber ?? undefined,
        reportDate: fromDay(report?.reportDate), receivedOn: fromDay(report?.receivedOn), body: report?.body ?? undefined,
      }}
    >
      <Form.Item name="kind" label={t('kind')} rules={required(t('kind'))}>
        <Select disabled={report !== null} options={kinds.map((k) => ({ value: k, label: t(`kinds.${k}`) }))} />
      </Form.Item>
      <Form.Item name="title" label={t('reportTitle')} rules={required(t('reportTitle'))}>
        <Input maxLength={200} />
      </Form.Item>
      <Row gutter={12}>
        <Col span={12}>
          <Form.Item name="docNumber" label={t('docNumber')}><Input maxLength={100} /></Form.Item>
        </Col>
        <Col span={12}>
          <Form.Item name="reportDate" label={t('reportDate')} rules={required(t('reportDate'))}>
            <DatePicker format={DAY} style={{ width: '100%' }} />
          </Form.Item>
        </Col>
      </Row>
      <Form.Item noStyle shouldUpdate={(a, b) => a.kind !== b.kind}>
        {({ getFieldValue }) => getFieldValue('kind') === 'review_opinion' && (
          <Form.Item name="receivedOn" label={t('receivedOn')} extra={t('receivedOnHint')}>
            <DatePicker format={DAY} style={{ width: '100%' }} />
          </Form.Item>
        )}
      </Form.Item>
      <Form.Item name="body" label={t('body')}>
        <Input.TextArea autoSize={{ minRows: 6, maxRows: 16 }} />
      </Form.Item>
    </FormShell>
  );
}
