/**
 * The columns of the Excel/WPS ledgers offices keep today, found by the words people use for them
 * (issue 11). Pure (shared layer): the importer suggests a mapping with it and the import screen
 * lets the user correct it, so both read the same list.
 *
 * A header cell is normalised (spaces, line breaks, full-width brackets and anything in brackets
 * dropped: "整改时限\n（完成时间）" → "整改时限") and matched exactly against each field's words;
 * failing that, the longest word it contains wins ("存在的主要问题" → 问题描述). The header row is
 * the first of the top rows where at least three columns match and one of them is the problem
 * (title rows above it, "填报单位：…" and the like, match fewer). A header split over two rows
 * ("责任主体" over 责任领导 | 责任部门 | 责任人) is read from both: a column takes the lower
 * row's field when it has one, else the upper row's.
 */

export const SHEET_FIELDS = [
  'seq', 'unit', 'category', 'description', 'measures', 'leader', 'department', 'person', 'deadline',
  'progress', 'completion', 'evidence', 'closeout', 'remark',
] as const;
export type SheetField = (typeof SHEET_FIELDS)[number];

/** The zh-CN name of each field (the statutory ledger's column titles). */
export const SHEET_FIELD_LABELS: Record<SheetField, string> = {
  seq: '序号', unit: '被巡视单位', category: '问题类别', description: '问题描述', measures: '整改措施', leader: '责任领导',
  department: '责任部门', person: '责任人', deadline: '整改时限', progress: '整改进展', completion: '完成情况',
  evidence: '佐证材料', closeout: '销号情况', remark: '备注',
};

/** The words seen in real sheets, per field (after normalisation). */
export const SHEET_FIELD_WORDS: Record<SheetField, readonly string[]> = {
  seq: ['序号', '编号', '问题序号', '问题编号', '序'],
  unit: ['被巡视单位', '单位', '单位名称', '被巡视党组织', '巡视对象', '所属单位', '填报单位'],
  category: ['问题类别', '类别', '问题类型', '问题分类', '类型', '方面', '所属方面', '反馈问题类别'],
  description: ['问题描述', '问题', '存在问题', '反馈问题', '具体问题', '问题表现', '主要问题', '存在的问题', '存在的主要问题', '巡视反馈问题', '反馈意见指出的问题', '问题具体表现', '问题内容'],
  measures: ['整改措施', '整改举措', '措施', '具体措施', '整改具体措施', '整改目标和措施', '整改任务', '主要措施'],
  leader: ['责任领导', '牵头领导', '分管领导', '领导', '牵头领导同志', '责任校领导', '责任领导同志', '督办领导'],
  department: ['责任单位', '责任部门', '牵头部门', '牵头单位', '责任处室', '牵头处室', '配合部门', '责任主体'],
  person: ['责任人', '具体责任人', '经办人', '联系人', '承办人'],
  deadline: ['整改时限', '完成时限', '时间节点', '完成时间', '整改期限', '时限', '整改时间', '时限要求', '计划完成时间'],
  progress: ['整改进展', '进展情况', '整改进展情况', '进展', '推进情况', '工作进展'],
  completion: ['完成情况', '整改情况', '整改完成情况', '整改落实情况', '落实情况', '是否完成', '完成状态'],
  evidence: ['佐证材料', '佐证材料清单', '支撑材料', '证明材料', '附件', '佐证'],
  closeout: ['销号情况', '是否销号', '销号', '销号时间', '销号意见'],
  remark: ['备注', '说明', '其他'],
};

/** 0 → A, 25 → Z, 26 → AA. */
export function columnLetter(i: number): string {
  let s = '';
  for (let n = i + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** A → 0, Z → 25, AA → 26 (letters of either case). */
export function columnIndex(letters: string): number {
  return [...letters.toUpperCase()].reduce((n, ch) => n * 26 + ch.charCodeAt(0) - 64, 0) - 1;
}

/** A header cell's text as the matcher compares it. */
export function normaliseHeader(text: string): string {
  return text
    .replace(/[（(【[].*?[）)】\]]/g, '')
    .replace(/[\s\u3000:：*＊、]/g, '')
    .trim();
}

const EXACT = new Map<string, SheetField>();
for (const f of SHEET_FIELDS) for (const w of SHEET_FIELD_WORDS[f]) if (!EXACT.has(w)) EXACT.set(w, f);
const BY_LENGTH = [...EXACT.entries()].sort((a, b) => b[0].length - a[0].length);

/** The field a header cell names, or null. Longer cells than 20 characters are text, not headers. */
export function fieldOfHeader(text: string): SheetField | null {
  const s = normaliseHeader(text);
  if (s === '' || s.length > 20) return null;
  const exact = EXACT.get(s);
  if (exact) return exact;
  for (const [w, f] of BY_LENGTH) if (w.length >= 2 && s.includes(w)) return f;
  return null;
}

/** Column index → field; a field taken by an earlier column is not given to a later one. */
export type ColumnMapping = Partial<Record<SheetField, number>>;

export interface FoundHeader {
  /** 0-based index of the (last) header row; data starts below it. */
  row: number;
  /** 1 or 2 rows. */
  rows: 1 | 2;
  mapping: ColumnMapping;
  /** Each column's header text as read (two rows joined with "/"). */
  titles: string[];
}

function mapRow(cells: readonly string[]): ColumnMapping {
  const m: ColumnMapping = {};
  cells.forEach((c, i) => {
    const f = fieldOfHeader(c);
    if (f && m[f] === undefined) m[f] = i;
  });
  return m;
}

const size = (m: ColumnMapping) => Object.keys(m).length;

/** The header among the first `scan` rows (each row: its cells' text), or null if none is there. */
export function findHeader(rows: readonly (readonly string[])[], scan = 30): FoundHeader | null {
  const top = rows.slice(0, scan);
  for (let r = 0; r < top.length; r++) {
    const m = mapRow(top[r]!);
    if (size(m) < 3 || m.description === undefined && m.measures === undefined) continue;
    // Two rows: the next one names fields the first did not (the first then holds group titles).
    const next = top[r + 1];
    if (next) {
      const below = mapRow(next);
      const added = Object.keys(below).filter((f) => m[f as SheetField] === undefined || m[f as SheetField] !== below[f as SheetField]);
      if (size(below) >= 2 && added.length >= 2) {
        const width = Math.max(top[r]!.length, next.length);
        const joined: ColumnMapping = {};
        const titles: string[] = [];
        for (let i = 0; i < width; i++) {
          const up = top[r]![i] ?? '';
          const low = next[i] ?? '';
          titles.push(low && up && low !== up ? `${up}/${low}` : low || up);
          const f = fieldOfHeader(low) ?? fieldOfHeader(up);
          if (f && joined[f] === undefined) joined[f] = i;
        }
        return { row: r + 1, rows: 2, mapping: joined, titles };
      }
    }
    return { row: r, rows: 1, mapping: m, titles: [...top[r]!] };
  }
  return null;
}

/** Rows that are not data: notes (注：…), signatures (填表人/审核人/负责人…), sums. */
export function isNonDataRow(cells: readonly string[]): 'blank' | 'note' | 'signature' | null {
  const texts = cells.map((c) => c.replace(/[\s\u3000]/g, '')).filter((c) => c !== '');
  if (texts.length === 0) return 'blank';
  const first = texts[0]!;
  if (/^(注|备注|说明)[:：]/.test(first) || /^注\d*[:：.、]/.test(first)) return 'note';
  const joined = texts.join('');
  if (/(填表人|填报人|审核人|负责人|制表人|联系人|联系电话|单位负责人|主要负责人|签字|签名|盖章)[:：]/.test(joined) && texts.length <= 6) return 'signature';
  if (/^(合计|总计|小计)$/.test(first)) return 'note';
  return null;
}
