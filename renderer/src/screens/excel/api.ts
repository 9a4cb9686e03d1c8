/** The Excel screen's engine types and the column mapping as the screen edits and saves it. */
import type { ResultOf } from '../../../../db/bridge/contract.js';
import { SHEET_FIELDS, type SheetField } from '../../../../db/domain/sheet-columns.js';

export type Preview = Awaited<ResultOf<'excel:preview'>>;
export type SheetInfo = Preview['sheets'][number];
export type PlannedProblem = Preview['problems'][number];
export type RowError = Preview['errors'][number];
export type ImportDone = Awaited<ResultOf<'excel:import'>>;
export type Exported = NonNullable<Awaited<ResultOf<'excel:export'>>>;

export type Columns = Partial<Record<SheetField, number>>;

/** A sheet's mapping as the engine takes it (excel:preview / excel:import `mappings`). */
export interface SheetMapping { sheet: string; headerRow?: number | null; columns: Columns }

/** The first MAX_SIG characters of a header's titles: how a saved mapping recognises its sheets. */
const MAX_SIG = 200;
export function headerSignature(titles: readonly string[]): string {
  return titles.map((x) => x.replace(/\s+/g, '')).join('|').slice(0, MAX_SIG);
}

/** A mapping saved as a saved filter of list 'excel' (flat scalars: the columns, the header row and the signature). */
export function mappingToFilter(m: SheetMapping, titles: readonly string[]): Record<string, string | number> {
  const out: Record<string, string | number> = { header: headerSignature(titles) };
  for (const k of SHEET_FIELDS) if (typeof m.columns[k] === 'number') out[k] = m.columns[k];
  if (typeof m.headerRow === 'number') out.headerRow = m.headerRow;
  return out;
}

export function filterToColumns(f: Record<string, string | number | boolean | null>): { columns: Columns; headerRow: number | null; header: string } {
  const columns: Columns = {};
  for (const k of SHEET_FIELDS) if (typeof f[k] === 'number') columns[k] = f[k];
  return { columns, headerRow: typeof f.headerRow === 'number' ? f.headerRow : null, header: typeof f.header === 'string' ? f.header : '' };
}
