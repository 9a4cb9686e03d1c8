/**
 * An opened archive, read-only: what it holds (its manifest) and its problems, read through
 * archive:query from the archive file (never the working ledger), a window at a time. The banner
 * says so, and 关闭归档 goes back.
 */
import { CloseOutlined, LockOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Descriptions, Space, Table, Tag, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ApiError } from '../../api/client.js';
import { toApiError } from '../../components/hooks.js';
import { EmptyState, ErrorState } from '../../components/States.js';
import { PageTitle } from '../../components/PageTitle.js';
import { day } from '../detail/format.js';
import { archiveRead, type Opened } from './api.js';
import { CountsList } from './dialogs.js';
import { moment } from '../backup/format.js';
import type { ResultOf } from '../../../../db/bridge/contract.js';

type ProblemRow = Awaited<ResultOf<'problems:list'>>['rows'][number];
const PAGE = 100;

export function ArchiveViewer({ opened, onClose }: { opened: Opened; onClose(): void }) {
  const { t } = useTranslation('backup');
  const { t: tr } = useTranslation('rounds');
  const { t: tp } = useTranslation('problems');
  const m = opened.manifest;
  const fileName = opened.path.split(/[\\/]/).pop() ?? opened.path;
  const [rows, setRows] = useState<ProblemRow[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const seq = useRef(0);

  const load = useCallback(async (from: string | null) => {
    const mine = ++seq.current;
    setLoading(true);
    setError(null);
    try {
      const page = await archiveRead('problems:list', { roundId: m.round.id, sort: 'seq', order: 'asc', limit: PAGE, withTotal: from === null, cursor: from });
      if (mine !== seq.current) return;
      setRows((r) => (from === null ? page.rows : [...r, ...page.rows]));
      setCursor(page.nextCursor);
      if (page.total !== undefined) setCount(page.total);
    } catch (e) {
      if (mine === seq.current) setError(toApiError(e));
    } finally {
      if (mine === seq.current) setLoading(false);
    }
  }, [m.round.id]);

  useEffect(() => { void load(null); }, [load]);

  const round = m.round;
  return (
    <div className="xz-page" data-testid="archive-view">
      <Alert
        type="info" showIcon icon={<LockOutlined />} className="xz-archive-banner" data-testid="archive-banner"
        title={<strong>{t('viewBanner', { file: fileName })}</strong>}
        action={<Button icon={<CloseOutlined />} onClick={onClose} data-testid="archive-close">{t('closeArchive')}</Button>}
      />
      <Space align="center" style={{ margin: '12px 0' }}>
        <PageTitle style={{ margin: 0 }}>{round.name}</PageTitle>
        <Tag icon={<LockOutlined />}>{t('readOnly')}</Tag>
      </Space>
      <Card size="small" title={<h2 className="xz-card-h2">{t('manifestTitle')}</h2>} style={{ marginBottom: 12 }}>
        <Descriptions size="small" column={3} style={{ marginBottom: 12 }} data-testid="archive-manifest">
          <Descriptions.Item label={t('m.round')}>{round.name}</Descriptions.Item>
          <Descriptions.Item label={t('m.level')}>
            {tr(`levels.${round.level}`, { defaultValue: round.level })} · {tr(`forms.${round.form}`, { defaultValue: round.form })}
          </Descriptions.Item>
          <Descriptions.Item label={t('m.kind')}>{tr(`kinds.${round.kind}`, { defaultValue: round.kind })}</Descriptions.Item>
          <Descriptions.Item label={t('m.mobilisedOn')}>{day(round.mobilisedOn)}</Descriptions.Item>
          <Descriptions.Item label={t('m.enteredOn')}>{day(round.enteredOn)}</Descriptions.Item>
          <Descriptions.Item label={t('m.feedbackOn')}>{day(round.feedbackOn)}</Descriptions.Item>
          <Descriptions.Item label={t('m.office')}>{m.sourceOfficeName ?? '—'}</Descriptions.Item>
          <Descriptions.Item label={t('m.createdAt')}>{moment(m.createdAt)}</Descriptions.Item>
          <Descriptions.Item label={t('m.createdBy')}>{m.createdBy.displayName || '—'}</Descriptions.Item>
          <Descriptions.Item label={t('m.sha256')} span={3}>
            <Typography.Text className="xz-mono xz-break" copyable>{opened.sha256}</Typography.Text>
          </Descriptions.Item>
        </Descriptions>
        <CountsList counts={m.counts} testId="archive-counts" />
      </Card>
      <Card
        size="small" title={<h2 className="xz-card-h2">{t('problemsTitle')}</h2>}
        extra={count !== null && <Typography.Text type="secondary" data-testid="archive-problem-count">{t('shownOf', { shown: rows.length, total: count })}</Typography.Text>}
      >
        {error ? <ErrorState error={error} onRetry={() => void load(null)} /> : (
          <>
            <Table<ProblemRow>
              size="small" rowKey="id" sticky pagination={false} loading={loading} dataSource={rows} data-testid="archive-problems"
              locale={{ emptyText: <EmptyState hint={t('noProblems')} /> }}
              columns={[
                { title: t('pcol.seq'), dataIndex: 'seq', width: 60, align: 'right' },
                { title: t('pcol.unit'), dataIndex: 'unitName', width: 180, ellipsis: true },
                { title: t('pcol.category'), dataIndex: 'categoryName', width: 140, ellipsis: true },
                { title: t('pcol.description'), dataIndex: 'description', render: (d: string) => <span className="xz-pre">{d}</span> },
                { title: t('pcol.status'), dataIndex: 'status', width: 90, render: (s: string) => <Tag>{tp(`problemStatus.${s}`, { defaultValue: s })}</Tag> },
                { title: t('pcol.tasks'), key: 'tasks', width: 130, align: 'right', render: (_, r) => `${r.closedTaskCount}/${r.taskCount}` },
              ]}
            />
            {cursor && (
              <div style={{ textAlign: 'center', marginTop: 8 }}>
                <Button onClick={() => void load(cursor)} loading={loading}>{t('loadMore')}</Button>
              </div>
            )}
          </>
        )}
      </Card>
    </div>
  );
}
