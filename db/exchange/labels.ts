/**
 * A few words naming a record for people (the import preview, the conflicts and proposals lists):
 * a round or unit by its name, a problem by its description, a task by its measures… Records that
 * have no words of their own (an inspection, a link between two records) have no label; the screen
 * then shows the table and a short id.
 */
import type { ServiceContext } from '../core/context.js';
import { exchangeTables } from './tables.js';

/** Fields that name a record, best first (TS keys; the first non-empty one wins). */
const NAMING = ['name', 'title', 'subjectName', 'personName', 'description', 'measures', 'goal', 'content', 'summary', 'docNumber', 'fileName', 'reason', 'findings', 'body', 'notes'] as const;
const MAX = 40;

function shorten(s: string): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return [...one].length > MAX ? `${[...one].slice(0, MAX - 1).join('')}…` : one;
}

/** The label of a record given its exchanged fields (TS keys → values), or null. */
export function labelOf(row: Readonly<Record<string, unknown>>): string | null {
  for (const k of NAMING) {
    const v = row[k];
    if (typeof v === 'string' && v.trim()) return shorten(v);
  }
  return null;
}

/** The label of a record in this ledger (deleted ones too), or null. */
export function localLabel(ctx: ServiceContext, table: string, id: string): string | null {
  const t = exchangeTables().get(table);
  if (!t) return null;
  const cols = NAMING.map((k) => t.byKey.get(k)).filter((c) => c !== undefined);
  if (cols.length === 0) return null;
  const row = ctx.ledger.prepare(`SELECT ${cols.map((c) => `"${c.name}" AS "${c.key}"`).join(', ')} FROM "${t.name}" WHERE id = ?`).get(id) as Record<string, unknown> | undefined;
  return row ? labelOf(row) : null;
}
