/** The row count and what the list is filtered by, always visible above the table. */
import { Button, Spin, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';

export interface SummaryItem {
  key: string;
  label: string;
  /** Not removable from here (e.g. the group a 责任清单 is showing). */
  fixed?: boolean;
}

export function FilterSummary({ count, items, onRemove, onClear, status }: {
  /** undefined while counting; null when the count failed. */
  count: number | null | undefined;
  items: SummaryItem[];
  onRemove(key: string): void;
  onClear(): void;
  status?: ReactNode;
}) {
  const { t } = useTranslation('problems');
  const removable = items.filter((x) => !x.fixed);
  return (
    <div className="xz-list-summary" data-testid="list-summary">
      <span className="xz-count" data-testid="list-count">
        {count === undefined ? <><Spin size="small" /> {t('counting')}</> : t('count', { n: count === null ? '—' : count.toLocaleString('zh-CN') })}
      </span>
      <Typography.Text type="secondary">{t('filter.summary')}</Typography.Text>
      {items.length === 0 && <Typography.Text type="secondary" data-testid="filter-none">{t('filter.none')}</Typography.Text>}
      {items.map((x) => (
        <Tag key={x.key} closable={!x.fixed} onClose={(e) => { e.preventDefault(); onRemove(x.key); }} data-testid={`filter-tag-${x.key}`}>
          {x.label}
        </Tag>
      ))}
      {removable.length > 0 && <Button size="small" type="link" onClick={onClear}>{t('filter.clear')}</Button>}
      <span className="xz-grow" />
      {status}
    </div>
  );
}
