/**
 * The dry run's lists as tabs: problems to be created (with each task's deadline as read from its
 * cell), bad rows (sheet, row, column, reason), rows already in the ledger, rows skipped. The
 * engine sends the first items of each list (db/bridge/file-calls.ts PREVIEW_LIMIT) and the whole
 * counts; a cut list says so.
 */
import { Table, Tag, Typography } from 'antd';
import type { TabsProps } from 'antd';
import type { TFunction } from 'i18next';
import type { Preview } from './api.js';

const PAGE = { pageSize: 20, showSizeChanger: false, hideOnSinglePage: true } as const;

function Shown({ shown, total, t }: { shown: number; total: number; t: TFunction<'excel'> }) {
  return shown < total ? <Typography.Paragraph type="secondary">{t('preview.shown', { shown, total })}</Typography.Paragraph> : null;
}

export function previewTabs(p: Preview, t: TFunction<'excel'>): TabsProps['items'] {
  const where = (r: { sheet: string; row: number }) => t('preview.rowAt', r);
  return [
    {
      key: 'problems', label: t('preview.tabs.problems', { n: p.counts.problems }),
      children: (
        <>
          <Shown shown={p.problems.length} total={p.counts.problems} t={t} />
          <Table
            size="small" rowKey={(r) => `${r.sheet}:${r.row}`} dataSource={p.problems} pagination={PAGE} data-testid="excel-problems"
            columns={[
              { key: 'where', title: t('preview.cols.where'), width: 150, render: (_, r) => where(r) },
              { key: 'unit', title: t('preview.cols.unit'), width: 140, render: (_, r) => <>{r.unit}{!r.unitId && <Tag color="blue" style={{ marginLeft: 4 }}>{t('preview.newMark')}</Tag>}</> },
              { key: 'category', title: t('preview.cols.category'), width: 120, render: (_, r) => <>{r.category ?? ''}{r.category && !r.categoryId && <Tag color="blue" style={{ marginLeft: 4 }}>{t('preview.newMark')}</Tag>}</> },
              { key: 'description', title: t('preview.cols.description'), render: (_, r) => <span className="xz-break">{r.description}</span> },
              {
                key: 'tasks', title: t('preview.cols.deadline'), width: 260,
                render: (_, r) => (
                  <ul className="xz-excel-tasks">
                    {r.tasks.map((k) => (
                      <li key={k.row} title={k.deadlineNote ?? undefined}>
                        {k.deadline}
                        {k.term !== 'concentrated' && <Tag style={{ marginLeft: 4 }}>{t(`preview.termOf.${k.term}`)}</Tag>}
                        {k.deadlineText && k.deadlineText !== k.deadline && <Typography.Text type="secondary">（{k.deadlineText}）</Typography.Text>}
                      </li>
                    ))}
                  </ul>
                ),
              },
            ]}
          />
        </>
      ),
    },
    {
      key: 'errors', label: <span className={p.counts.errors > 0 ? 'xz-excel-bad' : undefined}>{t('preview.tabs.errors', { n: p.counts.errors })}</span>,
      children: (
        <>
          <Shown shown={p.errors.length} total={p.counts.errors} t={t} />
          <Table
            size="small" rowKey={(r) => `${r.sheet}:${r.row}:${r.column ?? ''}:${r.reason}`} dataSource={p.errors} pagination={PAGE} data-testid="excel-errors"
            columns={[
              { key: 'sheet', title: t('preview.cols.sheet'), dataIndex: 'sheet', width: 160 },
              { key: 'row', title: t('preview.cols.row'), dataIndex: 'row', width: 70 },
              { key: 'column', title: t('preview.cols.column'), dataIndex: 'column', width: 70 },
              { key: 'reason', title: t('preview.cols.reason'), dataIndex: 'reason' },
            ]}
          />
        </>
      ),
    },
    {
      key: 'existing', label: t('preview.tabs.existing', { n: p.counts.existing }),
      children: (
        <>
          <Shown shown={p.existing.length} total={p.counts.existing} t={t} />
          <Table
            size="small" rowKey={(r) => `${r.sheet}:${r.row}`} dataSource={p.existing} pagination={PAGE} data-testid="excel-existing"
            columns={[
              { key: 'where', title: t('preview.cols.where'), width: 160, render: (_, r) => where(r) },
              { key: 'description', title: t('preview.cols.description'), render: (_, r) => <span className="xz-break">{r.description}</span> },
            ]}
          />
        </>
      ),
    },
    {
      key: 'skipped', label: t('preview.tabs.skipped', { n: p.counts.skipped }),
      children: (
        <>
          <Shown shown={p.skipped.length} total={p.counts.skipped} t={t} />
          <Table
            size="small" rowKey={(r) => `${r.sheet}:${r.row}`} dataSource={p.skipped} pagination={PAGE} data-testid="excel-skipped"
            columns={[
              { key: 'sheet', title: t('preview.cols.sheet'), dataIndex: 'sheet', width: 160 },
              { key: 'row', title: t('preview.cols.row'), dataIndex: 'row', width: 70 },
              { key: 'why', title: t('preview.cols.why'), render: (_, r) => t(`preview.skippedWhy.${r.why}`) },
            ]}
          />
        </>
      ),
    },
  ];
}
