/**
 * Chinese wording for generated (synthetic) ledgers: bench data, demo data, scale tests.
 *
 * DOMAIN.md "Demo and test data": generated data must never attach invented problems to real
 * organisations or people. Every name here is in the customary anonymised style (某某集团有限公司,
 * 某省A市B区, 张某某, 李某); only the *wording* of problems and measures is borrowed from the
 * public source texts in /work/shared/seeds (中央巡视反馈通报, 《关于加强巡视整改和成果运用的意见》答记者问).
 */
import type { SECTORS, TASK_TERMS } from '../domain/enums.js';

type Sector = (typeof SECTORS.codes)[number];
type Term = (typeof TASK_TERMS.codes)[number];

/** A deterministic pseudo-random number source in [0, 1) (mulberry32). */
export type Rng = () => number;

export function makeRng(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function pick<T>(rng: Rng, list: readonly T[]): T {
  return list[Math.floor(rng() * list.length)]!;
}

export function intBetween(rng: Rng, min: number, max: number): number {
  return min + Math.floor(rng() * (max - min + 1));
}

// ---------------------------------------------------------------- people

const SURNAMES = [
  '王', '李', '张', '刘', '陈', '杨', '赵', '黄', '周', '吴', '徐', '孙', '胡', '朱', '高', '林', '何', '郭', '马', '罗',
  '梁', '宋', '郑', '谢', '韩', '唐', '冯', '于', '董', '萧', '程', '曹', '袁', '邓', '许', '傅', '沈', '曾', '彭', '吕',
] as const;

/** 张某某 / 李某: the anonymised form used in published cases. */
export function personName(rng: Rng): string {
  return `${pick(rng, SURNAMES)}${rng() < 0.7 ? '某某' : '某'}`;
}

/** Leader posts inside an inspected organisation (责任领导, 领办领导). */
export const LEADER_POSTS = [
  '党委书记、董事长', '党委副书记、总经理', '党委副书记', '纪委书记', '党委常委、副总经理', '副总经理', '总会计师',
  '总法律顾问', '工会主席', '党组书记', '党组成员、副局长', '校党委书记', '副校长', '区委书记', '区长', '副区长',
] as const;

/** "张某某（党委副书记）": the 责任领导 column as offices fill it in. */
export function leaderWithPost(rng: Rng): string {
  return `${personName(rng)}（${pick(rng, LEADER_POSTS)}）`;
}

/** 责任部门. */
export const DEPARTMENTS = [
  '党委办公室', '党委组织部（人力资源部）', '党委宣传部', '纪委办公室', '巡视整改办公室', '财务部', '审计部', '法律合规部',
  '战略规划部', '党建工作部', '工会', '采购管理中心', '安全生产监督部', '投资管理部', '资产管理部', '科技创新部',
  '运营管理部', '信息化管理部', '行政办公室', '基建管理处',
] as const;

// ---------------------------------------------------------------- units

const INDUSTRIES = [
  '能源', '电力', '建设', '建筑工程', '交通投资', '水利', '港口', '航运', '化工', '钢铁', '有色金属', '煤炭', '机械',
  '汽车', '航空', '电子信息', '通信', '粮食', '医药', '旅游', '文化', '城市建设', '农业发展', '林业', '矿业', '物流',
  '商贸', '环保', '燃气', '地产',
] as const;
const SOE_FORMS = ['集团有限公司', '控股集团有限公司', '投资集团有限公司', '发展集团有限公司', '股份有限公司'] as const;
const FINANCE_KINDS = ['银行', '保险', '证券', '信托', '资产管理', '金融控股', '融资担保', '期货'] as const;
const FINANCE_FORMS = ['股份有限公司', '集团有限公司', '有限责任公司'] as const;
const ORGAN_FORMS = ['局', '管理局', '监督管理局', '委员会', '总局', '办公室'] as const;
const UNIVERSITY_FORMS = ['大学', '理工大学', '师范大学', '农业大学', '医科大学', '财经大学'] as const;
const LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

function letter(i: number): string {
  return LETTERS[i % LETTERS.length]!;
}

/**
 * The i-th unit name of a sector, distinct for the first few hundred i of every sector (an
 * aggregating office holds hundreds of units; distinct names keep lists and print-outs readable).
 */
export function unitName(sector: Sector, i: number): string {
  const k = Math.floor(i / LETTERS.length);
  switch (sector) {
    case 'central_soe': {
      const ind = INDUSTRIES[i % INDUSTRIES.length]!;
      const form = SOE_FORMS[Math.floor(i / INDUSTRIES.length) % SOE_FORMS.length]!;
      const round = Math.floor(i / (INDUSTRIES.length * SOE_FORMS.length));
      return round === 0 ? `某某${ind}${form}` : `某某${ind}${form}（${letter(round - 1)}）`;
    }
    case 'central_finance': {
      const kind = FINANCE_KINDS[i % FINANCE_KINDS.length]!;
      const form = FINANCE_FORMS[Math.floor(i / FINANCE_KINDS.length) % FINANCE_FORMS.length]!;
      const round = Math.floor(i / (FINANCE_KINDS.length * FINANCE_FORMS.length));
      return round === 0 ? `某某${kind}${form}` : `${letter(round - 1)}${kind}${form}`;
    }
    case 'central_organ':
      return `国家某某${ORGAN_FORMS[i % ORGAN_FORMS.length]}${k > 0 || i >= ORGAN_FORMS.length ? `（${letter(Math.floor(i / ORGAN_FORMS.length))}）` : ''}`;
    case 'province':
      return `${letter(i)}省${k > 0 ? `（${k + 1}）` : ''}`;
    case 'university':
      return `某某${UNIVERSITY_FORMS[i % UNIVERSITY_FORMS.length]}（${letter(Math.floor(i / UNIVERSITY_FORMS.length))}${Math.floor(i / (UNIVERSITY_FORMS.length * LETTERS.length)) || ''}）`;
    case 'city_county':
      return `某省${letter(k)}市${letter(i)}区`;
    case 'village':
      return `某省某市${letter(k)}县某镇${letter(i)}村党支部`;
    default:
      return `某某单位${i + 1}`;
  }
}

/** How often each sector appears among inspected units (a mixed aggregating office). */
export const SECTOR_WEIGHTS: readonly (readonly [Sector, number])[] = [
  ['central_soe', 30], ['central_finance', 6], ['central_organ', 8], ['province', 4], ['university', 7],
  ['city_county', 30], ['village', 15],
];

/** Subsidiaries named inside problem descriptions ("所属某某分公司…"). */
const SUBUNITS = [
  '所属某某分公司', '下属某子公司', '所属某某工程公司', '二级单位某某公司', '所属某研究院', '下属某某项目部', '某省分公司',
  '所属某某中心', '机关某部门', '下属某某街道', '所属某某学院', '某某村',
] as const;

// ---------------------------------------------------------------- problems

/**
 * Problem headlines per top-level default category (db/services/reference-data.ts), in the
 * wording of published feedback: 首轮巡视反馈"'一把手'等关键岗位廉洁风险比较突出，'靠企吃企'问题多发，
 * '四风'问题突出，违反中央八项规定精神问题仍有发生"; 答记者问"有的搞纸面整改、虚假整改" etc.
 */
export const PROBLEM_HEADLINES: Readonly<Record<string, readonly string[]>> = {
  贯彻落实党中央决策部署: [
    '落实党中央决策部署不够到位', '推动高质量发展有差距', '聚焦主业发展不够', '防范化解风险不够有力',
    '服务国家战略不够有力', '对下属企业管控不到位', '深化国资国企改革推进较慢', '落实区域协调发展战略有差距',
    '科技创新投入不足、关键核心技术攻关进展慢', '贯彻新发展理念有偏差',
  ],
  履行全面从严治党责任: [
    '“一把手”等关键岗位廉洁风险比较突出', '“靠企吃企”问题多发', '“四风”问题突出', '违反中央八项规定精神问题仍有发生',
    '履行全面从严治党责任不到位', '监督责任落实不到位', '形式主义、官僚主义问题依然存在', '重点领域廉洁风险突出',
    '财经纪律执行不严', '内控制度执行不严格',
  ],
  领导班子和干部队伍建设: [
    '领导班子和干部人才队伍建设存在短板', '选人用人不够规范', '干部监督管理不严', '贯彻执行民主集中制不够到位',
    '干部担当作为不够', '年轻干部培养使用统筹不够',
  ],
  基层党组织建设: [
    '基层党组织建设比较薄弱', '党内政治生活不够严肃', '基层党组织“三会一课”制度落实不到位', '党员教育管理不够严格',
  ],
  上轮巡视整改落实: [
    '落实巡视整改要求走过场、不到位', '上轮巡视反馈问题整改不彻底', '存在纸面整改、虚假整改现象', '整改长效机制不健全',
    '持续整改不够到位、部分问题反弹',
  ],
};

/** Concrete findings appended to a headline ("具体表现"), with numbers filled in. */
const DETAILS: readonly ((rng: Rng, year: number) => string)[] = [
  (r, y) => `${pick(r, SUBUNITS)}${y}年违规发放津贴补贴${intBetween(r, 3, 95)}.${intBetween(r, 0, 9)}万元`,
  (r, y) => `${pick(r, SUBUNITS)}${y}年以来超标准公务接待${intBetween(r, 2, 40)}次`,
  (r) => `个别领导干部违规使用公务用车${intBetween(r, 2, 30)}次`,
  (r, y) => `${y}年${intBetween(r, 2, 18)}个工程项目未按规定公开招标`,
  () => `招投标管理不规范，存在规避招标、围标串标风险`,
  (r) => `${pick(r, SUBUNITS)}关联交易审批不严，存在利益输送风险`,
  (r, y) => `${y}年选拔任用的${intBetween(r, 2, 12)}名干部未严格履行考察程序`,
  (r) => `干部人事档案专项审核发现问题${intBetween(r, 3, 60)}处`,
  () => `对下属企业“三重一大”决策监督不到位`,
  (r) => `${pick(r, SUBUNITS)}会议多、文件多，基层负担较重`,
  (r, y) => `${y}年专项资金闲置${intBetween(r, 100, 9000)}万元`,
  (r) => `巡视移交的${intBetween(r, 2, 15)}件问题线索处置进展缓慢`,
  (r) => `党支部换届不及时，${intBetween(r, 2, 20)}个党支部超期未换届`,
  () => `投资项目论证不充分，造成国有资产损失风险`,
  () => `违规兼职取酬问题整改不到位`,
  (r) => `资产出租出借管理混乱，${intBetween(r, 5, 80)}处房产未纳入台账管理`,
  () => `外包业务管理不严，存在“靠企吃企”风险`,
  (r) => `上轮巡视指出的${intBetween(r, 2, 9)}个问题仍未整改到位`,
];

/** A problem description: headline of its category plus one or two concrete findings. */
export function problemDescription(rng: Rng, topCategory: string, year: number): string {
  const heads = PROBLEM_HEADLINES[topCategory] ?? PROBLEM_HEADLINES['贯彻落实党中央决策部署']!;
  const head = pick(rng, heads);
  const d1 = pick(rng, DETAILS)(rng, year);
  if (rng() < 0.35) return `${head}。${d1}；${pick(rng, DETAILS)(rng, year)}。`;
  return `${head}。${d1}。`;
}

// ---------------------------------------------------------------- tasks

/**
 * 整改措施, in the wording of 《关于加强巡视整改和成果运用的意见》and the 2025 summary
 * (压实整改主体责任, 健全整改责任交接机制, 建立巡视整改长效机制, 严格问责追责…).
 */
export const MEASURES: readonly string[] = [
  '制定专项整改方案，逐项明确责任领导、责任部门和整改时限',
  '压实整改主体责任，党委书记履行第一责任人责任',
  '开展专项治理，全面排查同类问题',
  '健全制度机制，修订完善相关管理办法',
  '对相关责任人严肃追责问责',
  '建立巡视整改长效机制，定期开展“回头看”',
  '加强日常监管，纳入年度考核重要内容',
  '组织开展全面自查自纠，建立问题台账逐一对账销号',
  '完善内控制度，强化制度执行和监督检查',
  '健全整改责任交接机制，防止脱节、断档',
  '追缴违规发放款项，及时上缴',
  '召开专题民主生活会，深刻剖析问题根源',
  '规范招投标管理，推行集中采购和电子化招标',
  '开展违反中央八项规定精神问题专项整治',
  '加强干部选拔任用全过程监督，严格执行考察程序',
  '推动基层党组织按期换届，落实“三会一课”制度',
  '清理规范违规兼职取酬，建立常态化排查机制',
  '盘活闲置资金资产，加快项目建设进度',
];

const MEASURE_TAILS = [
  '', '', '，形成制度成果', '，确保整改到位', '，举一反三堵塞漏洞', '，按月报告整改进展', '，切实做到件件有着落、事事有回音',
] as const;

export function measureText(rng: Rng): string {
  return `${pick(rng, MEASURES)}${pick(rng, MEASURE_TAILS)}。`;
}

/** Term mix: most tasks within the concentrated period, some immediate, some long-term. */
export function taskTerm(rng: Rng): Term {
  const x = rng();
  if (x < 0.2) return 'immediate';
  if (x < 0.8) return 'concentrated';
  return 'long_term';
}

// ---------------------------------------------------------------- rounds

const CN_NUMS = ['一', '二', '三', '四', '五', '六', '七', '八', '九', '十', '十一', '十二', '十三', '十四', '十五'] as const;

/** "某省委第三轮巡视" / "某市委第二轮巡察": invented parties, ordinary round naming. */
export function roundName(level: 'province' | 'city', year: number, n: number): string {
  const no = CN_NUMS[(n - 1) % CN_NUMS.length]!;
  return level === 'province' ? `某省委${year}年第${no}轮巡视` : `某市委${year}年第${no}轮巡察`;
}

export function teamName(n: number): string {
  return `第${CN_NUMS[(n - 1) % CN_NUMS.length]!}巡视组`;
}

/** 文号 of a feedback document. */
export function docNumber(year: number, n: number): string {
  return `某巡反〔${year}〕${n}号`;
}

/** Reasons offices give for a tombstone (nothing is deleted silently). */
export const DELETE_REASONS = ['重复录入，已与同一问题合并', '录入错误，经核对不属于本轮反馈问题'] as const;
