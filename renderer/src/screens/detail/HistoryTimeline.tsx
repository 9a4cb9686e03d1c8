/**
 * 修改历史: the audit trail of a task and of the records hanging off it (stages, progress,
 * evidence, extension requests, close-outs), merged into one readable timeline: who, when, what
 * (in words), and each changed field before → after.
 */
import { DownloadOutlined } from '@ant-design/icons';
import { Button, Timeline, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { call } from '../../api/client.js';
import { useQuery } from '../../components/hooks.js';
import { useSession } from '../../core/session.js';
import { EmptyState, ErrorState, Loading } from '../../components/States.js';
import { dateTime, shortHash } from './format.js';
import type { HistoryEntry } from './types.js';

/** Internal links and bulky columns that say nothing to a reader. */
const HIDDEN = new Set(['problemId', 'unitId', 'roundId', 'taskId', 'ownerId', 'snapshot', 'mergedIntoId', 'materialRevision', 'deletedBy']);
const USER_KEYS = new Set(['submittedBy', 'reviewerId', 'requestedBy', 'decidedBy', 'createdBy', 'updatedBy']);
const HASH_KEYS = new Set(['sha256', 'snapshotHash']);
/** Which vocabulary a coded value belongs to, per entity. */
const CODED: Record<string, string> = {
  'tasks.status': 'status', 'extension_requests.status': 'extStatus', 'closeouts.decision': 'decisions',
  term: 'terms', ownerType: 'owners', source: 'sources',
};
const KNOWN_PHRASES = new Set([
  'tasks.create', 'tasks.update', 'tasks.start', 'tasks.submit', 'tasks.return', 'tasks.close', 'tasks.reopen', 'tasks.extend',
  'tasks.delete', 'tasks.restore', 'tasks.second_round', 'task_stages.create', 'task_stages.update', 'task_stages.delete',
  'progress_entries.create', 'progress_entries.update', 'progress_entries.delete', 'evidence.create', 'evidence.delete',
  'extension_requests.create', 'extension_requests.approve', 'extension_requests.refuse',
  'closeouts.create', 'closeouts.accept', 'closeouts.return', 'closeouts.supersede',
  'problems.create', 'problems.update', 'problems.delete', 'problems.restore',
]);

/** The record whose own history an auditor may export as CSV (entity = its table name). */
export interface HistoryExport {
  entity: string;
  entityId: string;
  /** File name stem, e.g. the task's number. */
  label: string;
}

export function HistoryTimeline({ ids, reloadKey, userName, exportOf }: { ids: string[]; reloadKey: unknown; userName(id: string | null): string; exportOf?: HistoryExport }) {
  const { t } = useTranslation('tasks');
  const s = useSession();
  const [showAll, setShowAll] = useState(false);
  const [exporting, setExporting] = useState(false);
  const key = ids.join(',');
  const q = useQuery(async () => {
    const lists = await Promise.all(ids.map((entityId) => call('audit:history', { entityId })));
    return lists.flat().sort((a, b) => b.seq - a.seq);
  }, [key, reloadKey]);

  if (q.error) return <ErrorState error={q.error} onRetry={q.reload} />;
  if (q.loading && !q.data) return <Loading />;
  const entries = q.data ?? [];
  if (entries.length === 0) return <EmptyState hint={t('history.none')} />;

  const phrase = (h: HistoryEntry) => {
    const k = `${h.entity}.${h.action}`;
    if (KNOWN_PHRASES.has(k)) return t(`history.phrases.${k.replace('.', '_')}`);
    return t('history.generic', { action: t(`history.verbs.${h.action}`, { defaultValue: h.action }), entity: t(`history.entities.${h.entity}`, { defaultValue: h.entity }) });
  };

  const show = (h: HistoryEntry, field: string, v: unknown): string => {
    if (v === null || v === undefined || v === '') return '—';
    if (typeof v === 'boolean') return v ? t('yes') : t('no');
    const s = String(v);
    if (USER_KEYS.has(field)) return userName(s);
    if (HASH_KEYS.has(field)) return shortHash(s);
    const vocab = CODED[`${h.entity}.${field}`] ?? CODED[field];
    if (vocab) return t(`${vocab}.${s}`, { defaultValue: s });
    if (/^\d{4}-\d{2}-\d{2}T/.test(s)) return dateTime(s);
    return s;
  };

  const fieldLabel = (f: string) => t(`fields.${f}`, { defaultValue: f });
  const changes = (h: HistoryEntry) => {
    const keys = Object.keys(h.after ?? h.before ?? {}).filter((k) => !HIDDEN.has(k));
    return keys.map((k) => ({
      k,
      label: fieldLabel(k),
      before: h.before ? show(h, k, h.before[k]) : null,
      after: show(h, k, h.after?.[k]),
    }));
  };

  const visible = showAll ? entries : entries.slice(0, 30);
  // 导出修改历史: the engine writes the CSV (UTF-8 with BOM for Excel); the page saves it.
  const exportCsv = async () => {
    if (!exportOf) return;
    setExporting(true);
    try {
      const csv = await call('history:exportCsv', { entity: exportOf.entity, entityId: exportOf.entityId });
      const url = URL.createObjectURL(new Blob([csv], { type: 'text/csv;charset=utf-8' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = t('history.exportName', { label: exportOf.label });
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
    } finally {
      setExporting(false);
    }
  };
  return (
    <div data-testid="history">
      {exportOf && s.can('audit.read') && (
        <Button size="small" icon={<DownloadOutlined />} loading={exporting} onClick={() => void exportCsv()} data-testid="history-export" style={{ marginBottom: 12 }}>
          {t('history.export')}
        </Button>
      )}
      <Timeline
        items={visible.map((h) => ({
          key: h.seq,
          color: h.action === 'delete' || h.action === 'return' || h.action === 'refuse' ? 'red' : h.action === 'accept' || h.action === 'close' || h.action === 'approve' ? 'green' : 'gray',
          content: (
            <div data-testid="history-entry">
              <Typography.Text type="secondary" style={{ marginRight: 8 }}>{dateTime(h.at)}</Typography.Text>
              <Typography.Text strong>{h.userName ?? t('history.system')}</Typography.Text>{' '}
              <Typography.Text>{phrase(h)}</Typography.Text>
              <ul style={{ margin: '2px 0 0', paddingLeft: 18 }}>
                {changes(h).map((c) => (
                  <li key={c.k} style={{ wordBreak: 'break-word' }}>
                    <span className="xz-muted">{t('history.field', { label: c.label })}</span>
                    {c.before !== null && <><Typography.Text delete type="secondary">{c.before}</Typography.Text> → </>}
                    <span style={{ whiteSpace: 'pre-wrap' }}>{c.after}</span>
                  </li>
                ))}
              </ul>
            </div>
          ),
        }))}
      />
      {entries.length > visible.length && (
        <Button size="small" onClick={() => setShowAll(true)}>{t('history.more', { n: entries.length - visible.length })}</Button>
      )}
    </div>
  );
}
