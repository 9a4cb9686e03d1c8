/**
 * 导出 of a list (问题清单, 任务清单): the rows of the current filters and sort, fetched page by page
 * with a progress bar (cancellable), in the columns of the list's printed form, written by the
 * engine as an .xlsx (files:saveTable: the system's save dialog in the app, a download in the
 * browser preview). Above MAX_TABLE_ROWS rows the user is asked to narrow the filters first.
 */
import { ExportOutlined } from '@ant-design/icons';
import { Alert, Button, Form, Input, Modal, Progress, Typography } from 'antd';
import dayjs from 'dayjs';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_TABLE_ROWS } from '../../../../db/domain/exports.js';
import type { ApiError } from '../../api/client.js';
import { call } from '../../api/client.js';
import { useSession } from '../../core/session.js';
import { WrittenFile } from '../../screens/exchange/WrittenFile.js';
import { toApiError, useQuery } from '../hooks.js';
import type { PrintJob } from '../print/PrintDialog.js';
import { ErrorState } from '../States.js';
import { fetchAllRows } from './fetchAll.js';

const PAGE = 200; // the list queries' largest page

type Saved = NonNullable<Awaited<ReturnType<typeof call<'files:saveTable'>>>>;
type Phase = { step: 'setup' } | { step: 'fetching'; got: number } | { step: 'saving' } | { step: 'done'; saved: Saved } | { step: 'cancelled' } | { step: 'failed'; error: ApiError };

export function ExportDialog<R extends { id: string }>({ open, onClose, job }: { open: boolean; onClose(): void; job: PrintJob<R> }) {
  const { t } = useTranslation();
  const s = useSession();
  const rounds = useQuery(() => (open ? call('rounds:list', {}) : Promise.resolve([])), [open]);
  const [form] = Form.useForm<{ title: string }>();
  const [phase, setPhase] = useState<Phase>({ step: 'setup' });
  /** Counts runs; a run whose number is no longer current (closed, or started again) stops. */
  const run = useRef(0);

  useEffect(() => {
    if (!open) return;
    setPhase({ step: 'setup' });
    form.setFieldsValue({ title: job.defaultTitle });
  }, [open]);

  const tooMany = typeof job.total === 'number' && job.total > MAX_TABLE_ROWS;
  const roundName = job.roundId === null ? t('print.allRounds') : rounds.data?.find((r) => r.id === job.roundId)?.name ?? '';
  const fmt = (n: number) => n.toLocaleString('zh-CN');

  async function go() {
    const { title } = await form.validateFields();
    const mine = ++run.current;
    setPhase({ step: 'fetching', got: 0 });
    try {
      const rows = await fetchAllRows(job.fetchPage, {
        pageSize: PAGE, max: MAX_TABLE_ROWS, current: () => mine === run.current, onPage: (got) => setPhase({ step: 'fetching', got }),
        tooMany: (n) => new Error(t('listExport.tooMany', { max: fmt(MAX_TABLE_ROWS), n: fmt(n) })),
      });
      if (!rows) return;
      setPhase({ step: 'saving' });
      const saved = await call('files:saveTable', {
        name: title.trim(), title: title.trim(),
        meta: [t('print.round', { r: roundName }), ...(job.filters.length ? [t('print.filters', { f: job.filters.join('；') })] : []), t('listExport.date', { d: dayjs(s.today).format(t('print.dateFormat')) })],
        columns: job.columns.map((c) => c.title),
        rows: rows.map((r) => job.columns.map((c) => c.text(r))),
      });
      if (mine !== run.current) return;
      setPhase(saved ? { step: 'done', saved } : { step: 'cancelled' });
    } catch (e) {
      if (mine === run.current) setPhase({ step: 'failed', error: toApiError(e) });
    }
  }

  function close() {
    run.current += 1;
    onClose();
  }

  const busy = phase.step === 'fetching' || phase.step === 'saving';
  const footer = phase.step === 'done'
    ? [<Button key="close" type="primary" onClick={close}>{t('actions.close')}</Button>]
    : [
        <Button key="cancel" onClick={close}>{t('actions.cancel')}</Button>,
        <Button key="go" type="primary" icon={<ExportOutlined />} loading={busy} disabled={tooMany || phase.step === 'failed'} onClick={() => void go()} data-testid="export-go">
          {t('listExport.go')}
        </Button>,
      ];

  return (
    <Modal open={open} title={t('listExport.dialogTitle')} onCancel={close} footer={footer} maskClosable={!busy} destroyOnHidden width={560}>
      <div data-testid="export-dialog">
        <Form form={form} layout="vertical" disabled={busy || phase.step === 'done'}>
          <Form.Item name="title" label={t('print.title')} rules={[{ required: true, whitespace: true, message: t('print.titleRequired') }]}>
            <Input maxLength={60} />
          </Form.Item>
        </Form>
        <Typography.Paragraph type="secondary">
          {t('listExport.what', { r: roundName, n: typeof job.total === 'number' ? fmt(job.total) : '…' })}
          {job.filters.length > 0 && <><br />{t('print.filters', { f: job.filters.join('；') })}</>}
        </Typography.Paragraph>
        {tooMany && <Alert type="warning" showIcon title={t('listExport.tooMany', { max: fmt(MAX_TABLE_ROWS), n: fmt(job.total!) })} data-testid="export-too-many" />}
        {busy && (
          <Progress
            percent={phase.step === 'saving' ? 99 : typeof job.total === 'number' && job.total > 0 ? Math.min(98, Math.floor(((phase as { got: number }).got / job.total) * 100)) : 0}
            format={() => (phase.step === 'fetching' ? t('print.progress', { n: fmt(phase.got) }) : '…')}
          />
        )}
        {phase.step === 'cancelled' && <Typography.Paragraph type="secondary">{t('listExport.cancelled')}</Typography.Paragraph>}
        {phase.step === 'done' && (
          <div data-testid="export-done">
            <Alert type="success" showIcon title={t('listExport.done', { n: fmt(phase.saved.rows) })} role="status" style={{ marginBottom: 8 }} />
            <WrittenFile path={phase.saved.path} fileName={phase.saved.fileName} bytes={phase.saved.bytes} download={t('listExport.download')} />
          </div>
        )}
        {phase.step === 'failed' && <ErrorState error={phase.error} onRetry={() => setPhase({ step: 'setup' })} />}
      </div>
    </Modal>
  );
}
