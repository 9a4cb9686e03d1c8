/**
 * A few words naming a record for people (the import preview, the conflicts and proposals lists):
 * a round or unit by its name, a problem by its description, a task by its measures… A record with
 * no words of its own (an inspection, a link between two records) is named after the record it
 * refers to (an inspection by its unit); failing that it has no label and the screen shows the
 * table and a short id.
 */
import type { ServiceContext } from '../core/context.js';
import type { RecordChange } from './changes.js';
import { exchangeTables } from './tables.js';

/** Fields that name a record, best first (TS keys; the first non-empty one wins). */
const NAMING = ['name', 'title', 'subjectName', 'personName', 'description', 'measures', 'goal', 'content', 'summary', 'docNumber', 'fileName', 'reason', 'findings', 'body', 'notes'] as const;
/** References that name a record without words of its own, best first. */
const NAMED_BY = ['unitId', 'problemId', 'taskId', 'activityId', 'accountabilityId', 'programmeId', 'inspectionId', 'roundId'] as const;
const MAX = 40;

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return [...one].length > MAX ? `${[...one].slice(0, MAX - 1).join('')}…` : one;
}

/** The label of a record from its own exchanged fields (TS keys → values), or null. */
export function labelOf(row: Readonly<Record<string, unknown>>): string | null {
  for (const k of NAMING) {
    const v = row[k];
    if (typeof v === 'string' && v.trim()) return shorten(v);
  }
  return null;
}

/** The record `row` (of `table`) refers to that can name it: [table, id], or null. */
function namer(table: string, row: Readonly<Record<string, unknown>>): [string, string] | null {
  const t = exchangeTables().get(table);
  for (const k of NAMED_BY) {
    const ref = t?.byKey.get(k)?.references;
    const v = row[k];
    if (ref && typeof v === 'string') return [ref, v];
  }
  return null;
}

/** The label of a record in this ledger (deleted ones too), or null. */
export function localLabel(ctx: ServiceContext, table: string, id: string, depth = 0): string | null {
  const t = exchangeTables().get(table);
  if (!t) return null;
  const cols = [...NAMING, ...NAMED_BY].map((k) => t.byKey.get(k)).filter((c) => c !== undefined);
  if (cols.length === 0) return null;
  const row = ctx.ledger.prepare(`SELECT ${cols.map((c) => `"${c.name}" AS "${c.key}"`).join(', ')} FROM "${t.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  if (!row) return null;
  const own = labelOf(row);
  if (own || depth > 0) return own;
  const by = namer(table, row);
  return by ? localLabel(ctx, by[0], by[1], depth + 1) : null;
}

/**
 * Labels of the `wanted` records of a package, by id: from the package's own rows, else (a record
 * naming itself after another) from the record it refers to, in the package or in this ledger.
 */
export function packageLabels(
  ctx: ServiceContext, changes: readonly RecordChange[], wanted: ReadonlySet<string>,
  /** The own labels of every record of the package, when `changes` are a batch of it. */
  own: ReadonlyMap<string, string | null> = new Map(changes.map((c) => [c.id, labelOf(c.row)])),
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const c of changes) {
    if (!wanted.has(c.id)) continue;
    let l = own.get(c.id) ?? null;
    if (!l) {
      const by = namer(c.table, c.row);
      l = by ? (own.get(by[1]) ?? localLabel(ctx, by[0], by[1], 1)) : null;
    }
    if (l) out[c.id] = l;
  }
  return out;
}
