/**
 * 回执与交换记录: 导入回执 (the partner confirms a package this office sent), and per partner the
 * packages sent, how many are confirmed (已确认 when all are), received, and the ones missing; and
 * each first-contact package (首次联络包) whose receipt has not come back, under the recipient's name.
 */
import { Alert, App, Button, Card, Table, Tag, Tooltip, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call, type UploadedFile } from '../../api/client.js';
import type { Query } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { minute, useExchangeError, type Delivery } from './api.js';
import { useMissingList } from './PackagePreview.js';
import { PickFile } from './PickFile.js';

type Outcome = { ok: true; text: string } | { ok: false; text: string };

/** `onReceipt`: the log changed (a receipt imported, a first-contact package withdrawn): read it again. */
export function HistoryTab({ history, onReceipt }: { history: Query<Delivery[]>; onReceipt(): void }) {
  const { t } = useTranslation('exchange');
  const explain = useExchangeError();
  const { modal, message } = App.useApp();
  const missingList = useMissingList();
  const [reading, setReading] = useState(false);
  const [outcome, setOutcome] = useState<Outcome | null>(null);

  async function picked(file: UploadedFile) {
    setReading(true);
    setOutcome(null);
    try {
      const r = await call('exchange:importReceipt', { path: file.path });
      const words = { name: r.partnerName ?? '', seq: r.seq ?? '' };
      setOutcome({ ok: true, text: r.alreadyConfirmed ? t('receipt.already', words) : t('receipt.done', words) });
      onReceipt();
    } catch (e) {
      setOutcome({ ok: false, text: explain(e).text });
    } finally {
      setReading(false);
    }
  }

  // 撤回 a first-contact package whose receipt has not come: after a confirmation, then the log again.
  function withdraw(packageId: string) {
    modal.confirm({
      title: t('history.withdrawTitle'), content: t('history.withdrawBody'), okText: t('history.withdraw'), okButtonProps: { danger: true },
      onOk: async () => {
        try {
          await call('exchange:withdrawFirstContact', { packageId });
          void message.success(t('history.withdrawn'));
          onReceipt();
        } catch (e) {
          void message.error(explain(e).text);
        }
      },
    });
  }

  const rows = history.data ?? [];
  return (
    <div data-testid="history-tab">
      <Card size="small" className="xz-exchange-card" title={<h2 className="xz-card-h2">{t('receipt.title')}</h2>} data-testid="receipt-card">
        <Typography.Paragraph type="secondary">{t('receipt.intro')}</Typography.Paragraph>
        <PickFile kind="receipt" pick={t('receipt.pick')} button={t('receipt.pickButton')} compact disabled={reading} testId="receipt-pick"
          onPicked={(f) => void picked(f)} onError={(e) => setOutcome({ ok: false, text: explain(e).text })} />
        {reading && <Typography.Paragraph role="status" className="xz-exchange-status">{t('receipt.reading')}</Typography.Paragraph>}
        {outcome && (
          <Alert type={outcome.ok ? 'success' : 'error'} showIcon role={outcome.ok ? 'status' : 'alert'} title={outcome.text}
            className="xz-exchange-status" data-testid="receipt-outcome" />
        )}
      </Card>
      <Card size="small" className="xz-exchange-card" title={<h2 className="xz-card-h2">{t('history.title')}</h2>}>
        <Typography.Paragraph type="secondary">{t('history.intro')}</Typography.Paragraph>
        {history.error ? <ErrorState error={history.error} onRetry={history.reload} /> : (
          <Table<Delivery>
            size="small" rowKey={(d) => d.firstContact?.packageId ?? d.officeId} pagination={false} loading={history.loading && !history.data} dataSource={rows} data-testid="history"
            locale={{ emptyText: <EmptyState hint={t('history.empty')} /> }}
            columns={[
              {
                title: t('history.col.partner'), key: 'name', render: (_, d) => (d.firstContact ? (
                  <>
                    <Tooltip title={t('history.firstContactHint')}>
                      <span data-testid="history-first-contact">{d.name} <Tag>{t('history.firstContact')}</Tag></span>
                    </Tooltip>
                    <Button type="link" size="small" onClick={() => withdraw(d.firstContact!.packageId)} data-testid="history-withdraw">{t('history.withdraw')}</Button>
                  </>
                ) : d.name),
              },
              { title: t('history.col.sent'), dataIndex: 'sent', width: 70, align: 'right' },
              { title: t('history.col.confirmed'), dataIndex: 'confirmed', width: 70, align: 'right' },
              {
                title: t('history.col.state'), key: 'state', width: 110, render: (_, d) => (
                  d.sent === 0 ? <Typography.Text type="secondary">{t('history.noneSent')}</Typography.Text>
                    : d.confirmed >= d.sent ? <Tag color="success" data-state="confirmed">{t('history.allConfirmed')}</Tag>
                      : <Tag color="warning" data-state="waiting">{t('history.waiting', { n: d.sent - d.confirmed })}</Tag>
                ),
              },
              { title: t('history.col.received'), dataIndex: 'received', width: 70, align: 'right' },
              {
                title: t('history.col.missing'), key: 'missing', width: 150, render: (_, d) => (d.missing.length === 0 ? '—'
                  : <Typography.Text type="warning" data-testid="history-missing">{t('history.missingList', { list: missingList(d.missing) })}</Typography.Text>),
              },
              { title: t('history.col.lastSent'), key: 'lastSent', width: 130, render: (_, d) => <span className="xz-nowrap">{minute(d.lastSentAt)}</span> },
              { title: t('history.col.lastReceived'), key: 'lastReceived', width: 130, render: (_, d) => <span className="xz-nowrap">{minute(d.lastReceivedAt)}</span> },
            ]}
          />
        )}
      </Card>
    </div>
  );
}
