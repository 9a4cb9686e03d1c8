/**
 * The tool row above a ledger list (问题清单, 任务清单, 责任清单): title, full-text search, the
 * filter panel's toggle with the number of active filters, saved filters, column chooser, 导出,
 * 打印, and the screen's own buttons on the right.
 */
import { ExportOutlined, FilterOutlined, PrinterOutlined } from '@ant-design/icons';
import { Badge, Button, Input } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ColumnChooser } from './ColumnChooser.js';
import { SavedFilters, type FilterValue } from './SavedFilters.js';

export interface ListHeadProps {
  list: 'problems' | 'tasks' | 'duty';
  title: ReactNode;
  searchPlaceholder: string;
  /** The text in the search box (the query applies on Enter). */
  qText: string;
  onQText(v: string): void;
  onSearch(q: string | null): void;
  activeFilters: number;
  panelOpen: boolean;
  onTogglePanel(): void;
  saveValue: FilterValue;
  onApplySaved(f: FilterValue): void;
  columns: { key: string; title: ReactNode }[];
  hidden: string[];
  onHidden(keys: string[]): void;
  locked: string[];
  /** 打印 (also Ctrl+P and the 文件 menu). */
  onPrint(): void;
  /** 导出 (the rows of the current filters and sort as .xlsx). */
  onExport?(): void;
  extra?: ReactNode;
}

export function ListHead(p: ListHeadProps) {
  const { t } = useTranslation('problems');
  const { t: tc } = useTranslation();
  return (
    <div className="xz-list-head">
      {p.title}
      <Input.Search
        className="xz-list-search" allowClear maxLength={100} value={p.qText} placeholder={p.searchPlaceholder} aria-label={p.searchPlaceholder}
        onChange={(e) => { p.onQText(e.target.value); if (!e.target.value) p.onSearch(null); }}
        onSearch={(v) => p.onSearch(v.trim() || null)}
        data-testid="list-search"
      />
      <Badge count={p.activeFilters} size="small" color="#a8071a">
        <Button icon={<FilterOutlined />} type={p.panelOpen ? 'primary' : 'default'} ghost={p.panelOpen} onClick={p.onTogglePanel} data-testid="filter-toggle">
          {t('filter.toggle')}
        </Button>
      </Badge>
      <SavedFilters list={p.list} current={p.saveValue} onApply={p.onApplySaved} />
      <ColumnChooser columns={p.columns} hidden={p.hidden} onChange={p.onHidden} locked={p.locked} />
      <span className="xz-grow" />
      {p.onExport && <Button icon={<ExportOutlined />} onClick={p.onExport} data-testid="export-list">{tc('actions.export')}</Button>}
      <Button icon={<PrinterOutlined />} onClick={p.onPrint} title={tc('actions.print') + ' (Ctrl+P)'} data-testid="print-list">{tc('actions.print')}</Button>
      {p.extra}
    </div>
  );
}
