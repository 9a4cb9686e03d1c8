import type { ServiceContext } from '../core/context.js';
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

/** Reference data every new ledger starts with: rule sets, holiday calendar, categories. */
export function seedReferenceData(ctx: ServiceContext): void {
  for (const rs of DEFAULT_RULE_SETS) {
    insertRow(ctx, clockRuleSets, {
      code: rs.code, name: rs.name, ruleVersion: rs.ruleVersion, basis: rs.basis, rules: JSON.stringify(rs.rules),
    });
  }
  for (const d of OFFICIAL_CALENDAR) insertRow(ctx, calendarDays, { day: d.day, kind: d.kind, name: d.name });
  let order = 0;
  for (const c of DEFAULT_CATEGORIES) {
    const parent = insertRow(ctx, problemCategories, { name: c.name, parentId: null, sortOrder: order++, active: true });
    for (const child of c.children) {
      insertRow(ctx, problemCategories, { name: child, parentId: parent.id, sortOrder: order++, active: true });
    }
  }
}
