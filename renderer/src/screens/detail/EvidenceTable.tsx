/** 佐证材料 list: file name, 形成日期, upload date and SHA-256 (shortened, copyable). */
import { Button, Space, Table, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { EmptyState } from '../../components/States.js';
import { actionProps } from '../../components/a11y.js';
import { day, fileSize, shortHash } from './format.js';
import type { Evidence, Progress } from './types.js';

export function HashText({ sha256 }: { sha256: string }) {
  const { t } = useTranslation('tasks');
  return (
    <Tooltip title={sha256}>
      <Typography.Text code copyable={{ text: sha256, tooltips: [t('evidence.copyHash'), t('evidence.copied')] }} data-testid="sha256" data-sha256={sha256}>
        {shortHash(sha256)}
      </Typography.Text>
    </Tooltip>
  );
}

export function EvidenceTable(p: {
  evidence: Evidence[];
  progress: Progress[];
  canEdit: boolean;
  onPreview(e: Evidence): void;
  onRemove(e: Evidence): void;
  emptyHint: string;
}) {
  const { t } = useTranslation('tasks');
  const progressDate = new Map(p.progress.map((x) => [x.id, x.entryDate]));
  if (p.evidence.length === 0) return <EmptyState hint={p.emptyHint} />;
  return (
    <Table<Evidence>
      size="small" rowKey="id" pagination={false} dataSource={p.evidence} sticky data-testid="evidence-table"
      columns={[
        {
          title: t('fields.fileName'), dataIndex: 'fileName', ellipsis: true,
          render: (_: unknown, e) => (
            <div style={{ minWidth: 0 }}>
              <Typography.Link onClick={() => p.onPreview(e)} {...actionProps(() => p.onPreview(e))} ellipsis title={e.fileName}>{e.fileName}</Typography.Link>
              <div className="xz-muted" style={{ fontSize: 12 }}>
                {e.ownerType === 'progress' ? t('evidence.ofProgress', { date: progressDate.get(e.ownerId) ?? '—' }) : t('evidence.ofTask')}
                {' · '}{fileSize(e.size)}
              </div>
            </div>
          ),
        },
        { title: t('fields.formedOn'), dataIndex: 'formedOn', width: 96 },
        { title: t('evidence.uploadedOn'), dataIndex: 'createdAt', width: 96, render: (v: string) => day(v) },
        { title: 'SHA-256', dataIndex: 'sha256', width: 190, render: (v: string) => <HashText sha256={v} /> },
        {
          title: t('evidence.actions'), key: 'actions', width: p.canEdit ? 96 : 56,
          render: (_: unknown, e) => (
            <Space size={4}>
              <Button type="link" size="small" onClick={() => p.onPreview(e)}>{t('evidence.preview')}</Button>
              {p.canEdit && <Button type="link" size="small" danger onClick={() => p.onRemove(e)}>{t('evidence.remove')}</Button>}
            </Space>
          ),
        },
      ]}
    />
  );
}
