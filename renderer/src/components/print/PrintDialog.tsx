/**
 * 打印 (toolbar button, Ctrl+P, the 文件 menu): the user names the printed ledger, the rows of the
 * current filters and sort are fetched page by page with a progress bar (cancellable), the printed
 * form is laid out (PrintLedger) and the system print dialog opens. Above MAX_PRINTED_ROWS rows the
 * user is asked to narrow the filters first: a ledger cut short on paper would look complete.
 */
import { PrinterOutlined } from '@ant-design/icons';
import { MAX_PRINTED_ROWS } from '../../../../db/domain/exports.js';
import { Alert, Button, Form, Input, Modal, Progress, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { toApiError, useQuery } from '../hooks.js';
import { fetchAllRows } from '../lists/fetchAll.js';
import type { KeysetPage } from '../lists/useKeysetPages.js';
import { ErrorState } from '../States.js';
import { PrintLedger, type PrintColumn, type PrintDoc } from './PrintLedger.js';

const PAGE = 200;

export interface PrintJob<R> {
  defaultTitle: string;
  /** The round the list shows (null: all rounds). */
  roundId: string | null;
  /** The filters in words, as the list's summary line shows them. */
  filters: string[];
  /** Rows the list has (undefined while counting). */
  total: number | null | undefined;
  columns: PrintColumn<R>[];
  fetchPage(cursor: string | null, limit: number): Promise<KeysetPage<R>>;
}

type Phase = { step: 'setup' } | { step: 'fetching'; got: number } | { step: 'ready' } | { step: 'failed'; error: ApiError };

export function PrintDialog<R extends { id: string }>({ open, onClose, job }: { open: boolean; onClose(): void; job: PrintJob<R> }) {
  const { t } = useTranslation();
  const s = useSession();
  const rounds = useQuery(() => (open ? call('rounds:list', {}) : Promise.resolve([])), [open]);
  const [form] = Form.useForm<{ title: string }>();
  const [phase, setPhase] = useState<Phase>({ step: 'setup' });
  const [doc, setDoc] = useState<PrintDoc<R> | null>(null);
  /** Counts print runs; a run whose number is no longer current (closed, or started again) stops. */
  const run = useRef(0);

  useEffect(() => {
    if (!open) return;
    setPhase({ step: 'setup' });
    setDoc(null);
    form.setFieldsValue({ title: job.defaultTitle });
    // Only when the dialog opens: the job's fields follow the list underneath.
  }, [open]);

  // While the printed form is laid out, printing shows only it (print.css).
  useEffect(() => {
    if (!doc) return;
    document.body.classList.add('xz-printing');
    const id = requestAnimationFrame(() => window.print());
    return () => {
      cancelAnimationFrame(id);
      document.body.classList.remove('xz-printing');
    };
  }, [doc]);

  const tooMany = typeof job.total === 'number' && job.total > MAX_PRINTED_ROWS;
  const roundName = job.roundId === null ? t('print.allRounds') : rounds.data?.find((r) => r.id === job.roundId)?.name ?? '';

  async function build() {
    const { title } = await form.validateFields();
    const mine = ++run.current;
    setPhase({ step: 'fetching', got: 0 });
    let rows: R[] | null;
    try {
      rows = await fetchAllRows(job.fetchPage, {
        pageSize: PAGE, max: MAX_PRINTED_ROWS, current: () => mine === run.current, onPage: (got) => setPhase({ step: 'fetching', got }),
        tooMany: (n) => new Error(t('print.tooMany', { max: MAX_PRINTED_ROWS.toLocaleString('zh-CN'), n: n.toLocaleString('zh-CN') })),
      });
    } catch (e) {
      if (mine === run.current) setPhase({ step: 'failed', error: toApiError(e) });
      return;
    }
    if (!rows) return;
    setDoc({
      title: title.trim(),
      meta: [t('print.round', { r: roundName }), ...(job.filters.length > 0 ? [t('print.filters', { f: job.filters.join('；') })] : [])],
      date: dayjs(s.today).format(t('print.dateFormat')),
      columns: job.columns,
      rows,
      rowKey: (r) => r.id,
    });
    setPhase({ step: 'ready' });
  }

  function close() {
    run.current += 1;
    setDoc(null);
    onClose();
  }

  const fetching = phase.step === 'fetching';
  const footer = phase.step === 'ready'
    ? [
        <Button key="close" onClick={close}>{t('actions.close')}</Button>,
        <Button key="again" type="primary" icon={<PrinterOutlined />} onClick={() => window.print()} data-testid="print-again">{t('print.again')}</Button>,
      ]
    : [
        <Button key="cancel" onClick={close}>{t('actions.cancel')}</Button>,
        <Button key="go" type="primary" icon={<PrinterOutlined />} loading={fetching} disabled={tooMany || phase.step === 'failed'} onClick={() => void build()} data-testid="print-go">
          {t('print.go')}
        </Button>,
      ];

  return (
    <Modal open={open} title={t('print.dialogTitle')} onCancel={close} footer={footer} maskClosable={!fetching} destroyOnHidden width={560} data-testid="print-dialog">
      <Form form={form} layout="vertical" disabled={fetching || phase.step === 'ready'}>
        <Form.Item name="title" label={t('print.title')} rules={[{ required: true, whitespace: true, message: t('print.titleRequired') }]}>
          <Input maxLength={60} />
        </Form.Item>
      </Form>
      <Typography.Paragraph type="secondary" data-testid="print-what">
        {t('print.what', { r: roundName, n: typeof job.total === 'number' ? job.total.toLocaleString('zh-CN') : '…' })}
        {job.filters.length > 0 && <><br />{t('print.filters', { f: job.filters.join('；') })}</>}
        <br />{t('print.layout')}
      </Typography.Paragraph>
      {tooMany && <Alert type="warning" showIcon title={t('print.tooMany', { max: MAX_PRINTED_ROWS.toLocaleString('zh-CN'), n: job.total!.toLocaleString('zh-CN') })} data-testid="print-too-many" />}
      {fetching && (
        <Progress
          percent={typeof job.total === 'number' && job.total > 0 ? Math.min(99, Math.floor((phase.got / job.total) * 100)) : 0}
          format={() => t('print.progress', { n: phase.got.toLocaleString('zh-CN') })}
          data-testid="print-progress"
        />
      )}
      {phase.step === 'ready' && <Alert type="success" showIcon title={t('print.ready', { n: doc?.rows.length.toLocaleString('zh-CN') ?? 0 })} data-testid="print-ready" />}
      {phase.step === 'failed' && <ErrorState error={phase.error} onRetry={() => setPhase({ step: 'setup' })} />}
      {doc && <PrintLedger doc={doc} />}
    </Modal>
  );
}
