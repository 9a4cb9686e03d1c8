import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { getTableColumns, getTableName, is } from 'drizzle-orm';
import { getTableConfig, SQLiteTable } from 'drizzle-orm/sqlite-core';
import { describe, expect, it } from 'vitest';
import { OFFICE_KINDS, REPORT_KINDS, type OfficeKind } from '../../db/domain/enums.js';
import { REPORT_WRITER } from '../../db/domain/report-rules.js';
import {
  CLUE_HOLDERS, NOT_REPLICATED, OWNERSHIP, exchangedFields, isExchanged, mayCreate, mayDelete, mayReceive, mayWrite, ownerOf,
  ownershipMarkdown, policyOf, type RowHint,
} from '../../db/exchange/ownership.js';
import { SYNC_KEYS } from '../../db/schema/common.js';
import * as schema from '../../db/schema/index.js';

const tables = (Object.values(schema) as unknown[]).filter((t): t is SQLiteTable => is(t, SQLiteTable));
const isSync = (t: SQLiteTable) => SYNC_KEYS.every((k) => k in getTableColumns(t));
const syncTables = tables.filter(isSync);
const exchanged = syncTables.filter((t) => isExchanged(getTableName(t)));
const KINDS = OFFICE_KINDS.codes;

type Spec = (typeof OWNERSHIP)[keyof typeof OWNERSHIP];
const specOf = (name: string) => OWNERSHIP[name as keyof typeof OWNERSHIP] as Spec;

/** One row of each case of a table that decides per row (evidence of a report: one per report kind); [] otherwise. */
function casesOf(name: string): RowHint[] {
  const spec = specOf(name);
  if (!spec.exchanged || !('byRow' in spec)) return [];
  const { column, cases } = spec.byRow;
  return Object.entries(cases).flatMap(([value, c]): RowHint[] => {
    const parents = 'follows' in c ? casesOf(c.follows) : [];
    return parents.length ? parents.map((parent) => ({ [column]: value, parent })) : [{ [column]: value }];
  });
}
/** The rows to ask about: each case, or the table as a whole when it has none. */
const rowsOf = (name: string): (RowHint | undefined)[] => (casesOf(name).length ? casesOf(name) : [undefined]);

describe('the ownership table covers the schema', () => {
  it('classifies every replicated table as exchanged or local, and names every other table', () => {
    const names = new Set(syncTables.map(getTableName));
    const missing = [...names].filter((n) => !Object.hasOwn(OWNERSHIP, n));
    expect(missing, 'replicated tables missing from OWNERSHIP in db/exchange/ownership.ts: say whether they travel').toEqual([]);
    expect(Object.keys(OWNERSHIP).filter((n) => !names.has(n)), 'OWNERSHIP names tables that are not replicated').toEqual([]);
    const others = tables.filter((t) => !isSync(t)).map(getTableName).sort();
    expect(Object.keys(NOT_REPLICATED).sort(), 'tables without sync columns belong in NOT_REPLICATED').toEqual(others);
  });

  it('gives every column of every exchanged table an owner, or marks it derived or sync bookkeeping', () => {
    const undecided = exchanged.flatMap((t) => Object.keys(getTableColumns(t))
      .filter((c) => ownerOf(getTableName(t), c).type === 'unknown')
      .map((c) => `${getTableName(t)}.${c}`));
    expect(undecided, 'decide the owner of these columns in db/exchange/ownership.ts (fields, overrides or derived)').toEqual([]);
  });

  it('names each field once, and only fields that exist and are not sync bookkeeping', () => {
    for (const t of exchanged) {
      const name = getTableName(t);
      const spec = specOf(name);
      if (!spec.exchanged) continue;
      const named: string[] = [...spec.fields, ...(spec.overrides ?? []).flatMap((g) => g.fields), ...(spec.derived ?? []).flatMap((g) => g.fields)];
      const columns = Object.keys(getTableColumns(t));
      expect(named.filter((f, i) => named.indexOf(f) !== i), `${name}: fields named twice`).toEqual([]);
      expect(named.filter((f) => !columns.includes(f) || (SYNC_KEYS as readonly string[]).includes(f)), `${name}: not a field`).toEqual([]);
    }
  });

  it('leaves no owned field without an owner and no exchanged table without a creator', () => {
    for (const t of exchanged) {
      const name = getTableName(t);
      for (const row of rowsOf(name)) {
        const where = `${name} ${JSON.stringify(row ?? {})}`;
        expect(policyOf(name, row).create.length, `${where}: nobody may create it`).toBeGreaterThan(0);
        for (const f of exchangedFields(name)) {
          const o = ownerOf(name, f, row);
          expect(o.type === 'owned' && o.owners.length > 0, `${where}.${f}: no owner`).toBe(true);
        }
      }
    }
  });

  it('sends only owned fields: derived fields and bookkeeping stay behind', () => {
    expect(exchangedFields('tasks')).toContain('measures');
    expect(exchangedFields('tasks')).not.toContain('status');
    expect(exchangedFields('problems')).not.toContain('taskCount');
    expect(exchangedFields('tasks')).not.toContain('id');
    expect(exchangedFields('saved_filters')).toEqual([]);
    expect(ownerOf('tasks', 'deletedAt').type).toBe('sync');
    expect(ownerOf('problems', 'status').type).toBe('derived');
    expect(ownerOf('users', 'role').type).toBe('local');
    expect(ownerOf('tasks', 'noSuchColumn').type).toBe('unknown');
  });
});

describe('data minimisation', () => {
  it('never sends clue data to an inspected unit or a functional department, whatever the flags', () => {
    for (const t of syncTables) {
      for (const row of [undefined, ...casesOf(getTableName(t))]) {
        for (const includeClues of [false, true]) {
          const p = policyOf(getTableName(t), row);
          if (!p.sensitive) continue;
          for (const kind of ['inspected_unit', 'functional_dept'] as const) {
            expect(mayReceive(kind, getTableName(t), { includeClues, row }), `${getTableName(t)} ${JSON.stringify(row)} → ${kind}`).toBe(false);
          }
        }
      }
    }
    expect(mayReceive('inspected_unit', 'clues', { includeClues: true })).toBe(false);
    expect(mayReceive('inspected_unit', 'evidence', { includeClues: true, row: { ownerType: 'clue' } })).toBe(false);
  });

  it('sends clues, their dispositions and their evidence only when the sender includes clues', () => {
    for (const table of ['clues', 'clue_dispositions']) {
      expect(mayReceive('discipline', table, { includeClues: false })).toBe(false);
      expect(mayReceive('discipline', table, { includeClues: true })).toBe(true);
    }
    expect(mayReceive('inspection_office', 'evidence', { includeClues: false, row: { ownerType: 'clue' } })).toBe(false);
    expect(mayReceive('inspection_office', 'evidence', { includeClues: true, row: { ownerType: 'clue' } })).toBe(true);
    expect(mayReceive('inspected_unit', 'evidence', { includeClues: false, row: { ownerType: 'task' } })).toBe(true);
    // Without the row, evidence could be a clue's: refused (fail-closed).
    expect(mayReceive('inspected_unit', 'evidence', { includeClues: true })).toBe(false);
  });

  it('declares sensitive tables for clue holders only', () => {
    for (const t of exchanged) {
      for (const row of rowsOf(getTableName(t))) {
        const p = policyOf(getTableName(t), row);
        if (p.sensitive) expect(p.recipients.filter((k) => !CLUE_HOLDERS.includes(k)), getTableName(t)).toEqual([]);
      }
    }
  });

  it('sends a record only where the records it references may go too, so nothing arrives dangling', () => {
    const dangling: string[] = [];
    for (const t of exchanged) {
      const name = getTableName(t);
      for (const fk of getTableConfig(t).foreignKeys) {
        const parent = getTableName(fk.reference().foreignTable);
        if (parent === 'evidence_blobs') continue; // the bytes travel beside the record (EXCHANGE.md 9)
        if (parent === name) continue;
        if (!isExchanged(parent)) dangling.push(`${name} → ${parent} (local)`);
        for (const kind of KINDS) {
          const child = mayReceive(kind, name, { includeClues: true });
          if (child && !mayReceive(kind, parent, { includeClues: true })) dangling.push(`${name} → ${parent} at ${kind}`);
        }
      }
    }
    expect(dangling).toEqual([]);
  });
});

describe('the functions agree with the domain', () => {
  const cases: [string, boolean, boolean][] = [
    ['an inspected unit writes a task\'s measures', mayWrite('inspected_unit', 'tasks', 'measures'), true],
    ['an inspected unit writes a close-out decision', mayWrite('inspected_unit', 'closeouts', 'decision'), false],
    ['the discipline office writes a close-out decision', mayWrite('discipline', 'closeouts', 'decision'), true],
    ['the discipline office writes a task\'s measures (a proposal)', mayWrite('discipline', 'tasks', 'measures'), false],
    ['the discipline office decides an extension', mayWrite('discipline', 'extension_requests', 'status'), true],
    ['the inspection office creates a round', mayCreate('inspection_office', 'rounds'), true],
    ['an inspected unit creates a round', mayCreate('inspected_unit', 'rounds'), false],
    ['an inspected unit deletes its problem', mayDelete('inspected_unit', 'problems'), true],
    ['nobody deletes a close-out', KINDS.some((k) => mayDelete(k, 'closeouts')), false],
    ['a functional department replies to a suggestion', mayWrite('functional_dept', 'suggestions', 'reply'), true],
    ['a functional department receives problems', mayReceive('functional_dept', 'problems', { includeClues: true }), false],
    ['an inspected unit receives petitions', mayReceive('inspected_unit', 'petitions', { includeClues: true }), false],
    ['the organisation department writes a review opinion', mayWrite('organisation', 'reports', 'body', { kind: 'review_opinion' }), true],
    ['an inspected unit writes a review opinion', mayWrite('inspected_unit', 'reports', 'body', { kind: 'review_opinion' }), false],
    ['an inspected unit records when it received the review opinion', mayWrite('inspected_unit', 'reports', 'receivedOn'), true],
    ['an unknown report kind: nobody (fail-closed)', KINDS.some((k) => mayCreate(k, 'reports', { kind: 'x' })), false],
    ['a row naming an inherited key: nobody', KINDS.some((k) => mayCreate(k, 'reports', { kind: 'constructor' })), false],
    ['an inspected unit attaches evidence to its task', mayCreate('inspected_unit', 'evidence', { ownerType: 'task' }), true],
    ['an inspected unit attaches evidence to its plan', mayCreate('inspected_unit', 'evidence', { ownerType: 'report', parent: { kind: 'plan' } }), true],
    ['the discipline office attaches evidence to a unit\'s task', mayCreate('discipline', 'evidence', { ownerType: 'task' }), false],
  ];
  it.each(cases)('%s', (_what, actual, expected) => expect(actual).toBe(expected));

  it('lets the unit write exactly the report kinds it writes in its own ledger (REPORT_WRITER)', () => {
    for (const kind of REPORT_KINDS.codes) {
      const unit = mayWrite('inspected_unit', 'reports', 'title', { kind });
      expect(unit, kind).toBe(REPORT_WRITER[kind] === 'ledger.write');
    }
  });

  it('never lets anyone write a derived field or bookkeeping', () => {
    for (const kind of KINDS as readonly OfficeKind[]) {
      expect(mayWrite(kind, 'tasks', 'status')).toBe(false);
      expect(mayWrite(kind, 'tasks', 'hlc')).toBe(false);
      expect(mayWrite(kind, 'users', 'role')).toBe(false);
    }
  });
});

describe('docs/exchange-ownership.md', () => {
  it('is the current rendering of the table', () => {
    const file = fileURLToPath(new URL('../../docs/exchange-ownership.md', import.meta.url));
    expect(readFileSync(file, 'utf8'), 'docs/exchange-ownership.md is stale: run `npx tsx scripts/gen-ownership-doc.ts`').toBe(ownershipMarkdown());
  });
});
