/**
 * A dense, virtualised ledger table over a keyset-paged list (useKeysetPages): antd Table in
 * `virtual` mode, sticky header, sortable columns mapped to the engine's sort keys, columns
 * resizable by dragging their header's right edge (kept per list on this workstation; a
 * double-click on the edge restores the width), optional row selection, and placeholder rows that
 * fetch their page when they scroll into view.
 */
import { Skeleton, Spin, Table } from 'antd';
import type { TableProps } from 'antd';
import type { ColumnType } from 'antd/es/table';
import { memo, useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { isMore, isPlaceholder, isRow, type KeysetList, type ListItem } from './useKeysetPages.js';

export type SortOrder = 'asc' | 'desc';
export interface SortState {
  field: string;
  order: SortOrder;
}

export interface ListColumn<R> {
  key: string;
  title: ReactNode;
  /** Default width in px; the column named by `flexKey` takes what is left (at least this). */
  width: number;
  /** The engine's sort key when the column is sortable. */
  sortField?: string;
  align?: 'left' | 'right' | 'center';
  render(row: R): ReactNode;
  /** Plain text for the cell's tooltip (long text is cut with an ellipsis). */
  title_?(row: R): string | undefined;
}

export interface ListTableProps<R> {
  list: KeysetList<R>;
  columns: ListColumn<R>[];
  flexKey: string;
  rowKey(row: R): string;
  sort: SortState;
  onSort(s: SortState): void;
  onOpen(row: R): void;
  selection?: { keys: string[]; onChange(keys: string[], rows: R[]): void; max: number; onTooMany(): void };
  empty: ReactNode;
  testId: string;
  /** Where the user's column widths are kept (localStorage key suffix). */
  widthsKey: string;
}

const MIN_WIDTH = 40;
const WIDTHS = 'xz.widths.';

function readWidths(key: string): Record<string, number> {
  try {
    const v: unknown = JSON.parse(localStorage.getItem(WIDTHS + key) ?? '{}');
    if (typeof v !== 'object' || v === null) return {};
    return Object.fromEntries(Object.entries(v).filter(([, w]) => typeof w === 'number' && w >= MIN_WIDTH && w <= 2000)) as Record<string, number>;
  } catch {
    return {};
  }
}

type ResizeProps = React.ThHTMLAttributes<HTMLTableCellElement> & { onResize?: (w: number | null) => void; resizeLabel?: string };

/** A header cell with a drag handle on its right edge. */
function ResizableTitle({ onResize, resizeLabel, children, ...rest }: ResizeProps) {
  if (!onResize) return <th {...rest}>{children}</th>;
  const start = (e: React.MouseEvent<HTMLSpanElement>) => {
    e.preventDefault();
    e.stopPropagation();
    const th = (e.currentTarget.parentElement as HTMLElement);
    const x0 = e.clientX;
    const w0 = th.getBoundingClientRect().width;
    let frame = 0;
    const move = (m: MouseEvent) => {
      cancelAnimationFrame(frame);
      frame = requestAnimationFrame(() => onResize(Math.max(MIN_WIDTH, Math.round(w0 + m.clientX - x0))));
    };
    const up = () => {
      document.removeEventListener('mousemove', move);
      document.removeEventListener('mouseup', up);
      document.body.classList.remove('xz-resizing');
    };
    document.addEventListener('mousemove', move);
    document.addEventListener('mouseup', up);
    document.body.classList.add('xz-resizing');
  };
  return (
    <th {...rest}>
      {children}
      <span
        className="xz-col-resize" role="separator" aria-orientation="vertical" aria-label={resizeLabel} title={resizeLabel}
        onMouseDown={start} onClick={(e) => e.stopPropagation()} onDoubleClick={(e) => { e.stopPropagation(); onResize(null); }}
      />
    </th>
  );
}
const HEADER_COMPONENTS = { header: { cell: ResizableTitle } };

/** Mounted only when its row is rendered, i.e. scrolled into view: then it asks for its page. */
function Sentinel({ onShow, more }: { onShow(): void; more: boolean }) {
  const ref = useRef(onShow);
  ref.current = onShow;
  useEffect(() => {
    ref.current();
  }, []);
  return more ? <Spin size="small" /> : <Skeleton.Input active size="small" className="xz-ph" />;
}

const SELECTION_WIDTH = 36;
const SCROLLBAR = 10;

/** Rows are keyed by their id in every list. */
export const rowId = (r: { id: string }): string => r.id;

/**
 * Memoised: a parent's re-render (the count arriving, the session's round changing) does not
 * re-render the rows unless the table's own props changed; callers pass stable props.
 */
export const ListTable = memo(ListTableImpl, sameTableProps) as typeof ListTableImpl;

/** The list object changes with every page fetch and status; the table needs only these of it. */
function sameTableProps<R>(a: ListTableProps<R>, b: ListTableProps<R>): boolean {
  for (const k of Object.keys(b) as (keyof ListTableProps<R>)[]) {
    if (k !== 'list' && a[k] !== b[k]) return false;
  }
  return Object.keys(a).length === Object.keys(b).length
    && a.list.items === b.list.items && a.list.loading === b.list.loading && a.list.epoch === b.list.epoch
    && a.list.loadPage === b.list.loadPage && a.list.loadMore === b.list.loadMore && a.list.setScrollTop === b.list.setScrollTop;
}

function ListTableImpl<R>(p: ListTableProps<R>) {
  const box = useRef<HTMLDivElement>(null);
  const [size, setSize] = useState({ width: 1000, height: 400 });
  const [headerH, setHeaderH] = useState(33);
  const tableRef = useRef<{ scrollTo(c: { top?: number; index?: number }): void } | null>(null);
  const { t } = useTranslation();
  const [widths, setWidths] = useState(() => readWidths(p.widthsKey));
  const resize = useCallback((key: string, w: number | null) => {
    setWidths((old) => {
      const next = { ...old };
      if (w === null) delete next[key];
      else next[key] = w;
      localStorage.setItem(WIDTHS + p.widthsKey, JSON.stringify(next));
      return next;
    });
  }, [p.widthsKey]);

  useLayoutEffect(() => {
    const el = box.current;
    if (!el) return;
    const measure = () => {
      setSize({ width: el.clientWidth, height: el.clientHeight });
      const th = el.querySelector('.ant-table-header');
      if (th) setHeaderH(th.getBoundingClientRect().height || 33);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  // Back to the top when the list started over; back where the user was when the list is restored.
  const firstReset = useRef(true);
  useEffect(() => {
    if (firstReset.current) {
      firstReset.current = false;
      if (p.list.scrollTop > 0) {
        const y = p.list.scrollTop;
        requestAnimationFrame(() => tableRef.current?.scrollTo({ top: y }));
      }
      return;
    }
    tableRef.current?.scrollTo({ top: 0 });
  }, [p.list.epoch]);

  const widthOf = (c: ListColumn<R>) => widths[c.key] ?? c.width;
  const fixed = p.columns.filter((c) => c.key !== p.flexKey).reduce((n, c) => n + widthOf(c), 0);
  const flexCol = p.columns.find((c) => c.key === p.flexKey);
  const flexMin = flexCol ? widthOf(flexCol) : 200;
  const avail = size.width - fixed - (p.selection ? SELECTION_WIDTH : 0) - SCROLLBAR;
  const flexWidth = Math.max(flexMin, avail);
  const totalWidth = fixed + flexWidth + (p.selection ? SELECTION_WIDTH : 0);

  const columns = useMemo<ColumnType<ListItem<R>>[]>(() => p.columns.map((c, idx) => ({
    key: c.key,
    title: c.title,
    width: c.key === p.flexKey ? flexWidth : widths[c.key] ?? c.width,
    align: c.align,
    onHeaderCell: () => ({ onResize: (w: number | null) => resize(c.key, w), resizeLabel: t('table.resize') }) as React.HTMLAttributes<HTMLElement>,
    ellipsis: true,
    sorter: c.sortField ? true : undefined,
    sortDirections: c.sortField ? ['ascend', 'descend', 'ascend'] : undefined,
    sortOrder: c.sortField && c.sortField === p.sort.field ? (p.sort.order === 'asc' ? 'ascend' : 'descend') : null,
    showSorterTooltip: false,
    onCell: (r: ListItem<R>) => ({ title: isRow(r) ? c.title_?.(r) : undefined }) as React.HTMLAttributes<HTMLElement>,
    render: (_: unknown, r: ListItem<R>) => {
      if (isRow(r)) return c.render(r);
      if (idx !== 0) return null;
      if (isPlaceholder(r)) return <Sentinel more={false} onShow={() => p.list.loadPage(r.page)} />;
      if (isMore(r)) return <Sentinel more onShow={p.list.loadMore} />;
      return null;
    },
  })), [p.columns, p.flexKey, flexWidth, widths, resize, t, p.sort, p.list.loadPage, p.list.loadMore]);

  const onChange: TableProps<ListItem<R>>['onChange'] = (_pg, _f, sorter) => {
    const s = Array.isArray(sorter) ? sorter[0] : sorter;
    const col = p.columns.find((c) => c.key === s?.columnKey);
    if (!col?.sortField) return;
    p.onSort({ field: col.sortField, order: s?.order === 'descend' ? 'desc' : 'asc' });
  };

  const rowSelection: TableProps<ListItem<R>>['rowSelection'] = p.selection ? {
    columnWidth: SELECTION_WIDTH,
    selectedRowKeys: p.selection.keys,
    preserveSelectedRowKeys: true,
    getCheckboxProps: (r) => ({ disabled: !isRow(r), style: isRow(r) ? undefined : { display: 'none' } }),
    onChange: (keys, rows) => {
      const sel = p.selection!;
      const real = rows.filter((r): r is R => !!r && isRow(r));
      const ids = keys.map(String).filter((k) => !k.startsWith('__'));
      if (ids.length > sel.max) {
        sel.onTooMany();
        return;
      }
      sel.onChange(ids, real);
    },
  } : undefined;

  return (
    <div ref={box} className="xz-list-box" data-testid={p.testId}>
      <Table<ListItem<R>>
        ref={tableRef as never}
        virtual
        components={HEADER_COMPONENTS}
        size="small"
        bordered
        tableLayout="fixed"
        columns={columns}
        dataSource={p.list.items}
        rowKey={(r) => (isRow(r) ? p.rowKey(r) : (r as { key: string }).key)}
        pagination={false}
        loading={p.list.loading}
        scroll={{ x: totalWidth, y: Math.max(120, size.height - headerH - 2) }}
        onChange={onChange}
        rowSelection={rowSelection}
        onScroll={(e) => p.list.setScrollTop((e.currentTarget as HTMLElement).scrollTop)}
        locale={{ emptyText: p.list.loading ? ' ' : p.empty }}
        rowClassName={(r) => (isRow(r) ? 'xz-row' : 'xz-row-ph')}
        onRow={(r) => ({
          onClick: (e) => {
            if (!isRow(r)) return;
            if ((e.target as HTMLElement).closest('.ant-table-selection-column')) return;
            p.onOpen(r);
          },
          onKeyDown: (e) => {
            if (e.key === 'Enter' && isRow(r)) p.onOpen(r);
          },
          tabIndex: isRow(r) ? 0 : -1,
        })}
      />
    </div>
  );
}
