import { createHash } from 'node:crypto';
import type { ServiceContext } from '../core/context.js';
import { encodeHlc } from '../core/hlc.js';
import { DEFAULT_RULE_SETS } from '../domain/clock-rules.js';
import { OFFICIAL_CALENDAR } from '../clocks/calendar-data.js';
import { calendarDays, clockRuleSets, problemCategories } from '../schema/index.js';
import { insertRow } from '../core/write.js';

/** Problem categories seen in feedback (DOMAIN.md); offices edit them in 设置. */
export const DEFAULT_CATEGORIES: readonly { name: string; children: readonly string[] }[] = [
  { name: '贯彻落实党中央决策部署', children: ['推动高质量发展', '服务国家战略', '防范化解重大风险'] },
  { name: '履行全面从严治党责任', children: ['廉洁风险', '违反中央八项规定精神', '"四风"问题', '"靠企吃企"'] },
  { name: '领导班子和干部队伍建设', children: ['选人用人', '干部监督管理'] },
  { name: '基层党组织建设', children: [] },
  { name: '上轮巡视整改落实', children: [] },
];

/**
 * The office every ledger's seeded reference data comes from: nobody's (EXCHANGE.md 1: ids are
 * minted where a record is created; seeded records are created identically everywhere).
 */
export const SEED_OFFICE = '00000000-0000-7000-8000-000000000000';
/** The creation stamp of seeded records, older than any real stamp, from SEED_OFFICE. */
export const SEED_HLC = encodeHlc({ wall: 0, counter: 0 }, SEED_OFFICE);
/** 2024-01-01T00:00:00Z: the time part of seeded ids (they sort before any record made later). */
const SEED_MS = 1_704_067_200_000;

/**
 * The id of a seeded record, the same in every ledger: a UUIDv7 with a fixed time and 74 bits of
 * SHA-256 over the table and a stable key. So a problem filed under a default category, a round
 * under a default rule set, refers to a record the partner office has under the same id, and a
 * change to one (a category renamed by the inspection office) merges instead of duplicating.
 */
export function seedId(table: string, key: string): string {
  const h = createHash('sha256').update(`xz-seed-v1|${table}|${key}`).digest();
  const b = Buffer.alloc(16);
  b.writeUIntBE(SEED_MS, 0, 6);
  h.copy(b, 6, 0, 10);
  b[6] = 0x70 | (b[6]! & 0x0f);
  b[8] = 0x80 | (b[8]! & 0x3f);
  const x = b.toString('hex');
  return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20, 32)}`;
}

const seeded = (table: string, key: string) => ({ id: seedId(table, key), originOfficeId: SEED_OFFICE, hlc: SEED_HLC });

/**
 * Reference data every new ledger starts with: rule sets, holiday calendar, categories. Rule sets
 * and categories travel between offices, so they have the same ids and creation stamp everywhere
 * (seedId, SEED_HLC); the calendar is each ledger's own (never exchanged).
 */
export function seedReferenceData(ctx: ServiceContext): void {
  for (const rs of DEFAULT_RULE_SETS) {
    insertRow(ctx, clockRuleSets, {
      code: rs.code, name: rs.name, ruleVersion: rs.ruleVersion, basis: rs.basis, rules: JSON.stringify(rs.rules),
    }, seeded('clock_rule_sets', `${rs.code}@${rs.ruleVersion}`));
  }
  for (const d of OFFICIAL_CALENDAR) insertRow(ctx, calendarDays, { day: d.day, kind: d.kind, name: d.name });
  let order = 0;
  for (const c of DEFAULT_CATEGORIES) {
    const parent = insertRow(ctx, problemCategories, { name: c.name, parentId: null, sortOrder: order++, active: true }, seeded('problem_categories', c.name));
    for (const child of c.children) {
      insertRow(ctx, problemCategories, { name: child, parentId: parent.id, sortOrder: order++, active: true }, seeded('problem_categories', `${c.name}/${child}`));
    }
  }
}
