/**
 * Wording of the demo ledger that db/seed/vocabulary.ts does not cover (progress entries, review
 * comments, clues, suggestions, reports…). Same rule as there (DOMAIN.md "Demo and test data"):
 * only the *wording* is borrowed from the public seeds (中央巡视反馈通报, 巡视整改监督专题培训会,
 * 《关于加强巡视整改和成果运用的意见》答记者问); every organisation and person is invented in the
 * anonymised style (某某集团有限公司, 某省某市某区, 张某某, 李某).
 */
import type { Random } from './random.js';

// ---------------------------------------------------------------- units of a provincial round

/** Provincial departments (被巡视的省直机关), filed under the sector 'other'. */
export const PROVINCIAL_DEPARTMENTS = ['教育厅', '财政厅', '交通运输厅', '水利厅', '农业农村厅', '卫生健康委员会'] as const;

/** Other leaders (责任领导, 领办领导) by sector; 中管企业/金融 use vocabulary.ts LEADER_POSTS. */
export const SECTOR_LEADER_POSTS: Readonly<Record<string, readonly string[]>> = {
  central_soe: ['党委副书记、总经理', '党委常委、副总经理', '纪委书记', '总会计师', '副总经理', '总法律顾问', '工会主席'],
  central_finance: ['党委副书记、行长', '党委委员、副行长', '纪委书记', '首席风险官', '副总经理'],
  university: ['党委副书记、校长', '副校长', '纪委书记', '党委副书记', '总会计师'],
  city_county: ['区委副书记、区长', '副区长', '区委常委、纪委书记', '区委常委、组织部部长', '区委常委、办公室主任'],
  other: ['党组成员、副厅长', '副厅长', '驻厅纪检监察组组长', '机关党委书记'],
};

/** 责任部门 by sector; enterprises use vocabulary.ts DEPARTMENTS. */
export const SECTOR_DEPARTMENTS: Readonly<Record<string, readonly string[]>> = {
  university: ['党委办公室', '党委组织部', '纪委办公室', '财务处', '人事处', '基建处', '资产管理处', '招标采购中心', '科学技术处'],
  city_county: ['区委办公室', '区委组织部', '区纪委监委', '区财政局', '区住房和城乡建设局', '区发展和改革局', '区审计局', '区农业农村局'],
  other: ['办公室', '机关党委', '人事处', '财务处', '规划处', '审计处', '政策法规处'],
};

/** 主要负责人's post by sector. */
export const PRINCIPAL_POSTS: Record<string, string> = {
  central_soe: '党委书记、董事长',
  central_finance: '党委书记、董事长',
  university: '校党委书记',
  city_county: '区委书记',
  other: '党组书记、厅长',
};

// ---------------------------------------------------------------- feedback

/** 反馈意见正文: who fed back to whom, the problems in outline, and the demand to rectify. */
export function feedbackBody(teamName: string, unitName: string, headlines: readonly string[]): string {
  const ord = ['一是', '二是', '三是', '四是', '五是'];
  const points = headlines.slice(0, 5).map((h, k) => `${ord[k]}${h}`).join('；');
  return `根据省委统一部署，省委${teamName}对${unitName}党组织进行了常规巡视，现将巡视情况反馈如下。`
    + `巡视发现的主要问题：${points}。`
    + '巡视组要求，要切实扛起巡视整改政治责任，建立问题清单、任务清单、责任清单，逐一对账销号，'
    + '做到件件有着落、事事有回音；对敷衍整改、虚假整改的严肃追究责任。'
    + '巡视中还收到反映一些领导干部的问题线索，已按规定转有关方面处理。';
}

// ---------------------------------------------------------------- tasks

/** 分阶段目标 of a 长期坚持 task, in order. */
export const STAGE_GOALS = [
  '完成问题全面排查，建立问题台账',
  '修订完善相关制度，印发实施',
  '开展专项检查，形成检查报告',
  '完成阶段性整改任务，开展“回头看”',
  '建立常态化监督机制并持续运行',
] as const;

/** 整改进展, with figures filled in. */
const PROGRESS: readonly ((r: Random) => string)[] = [
  () => '召开党委（党组）会议专题研究部署，制定整改工作方案，明确责任领导、责任部门和完成时限。',
  (r) => `开展全面排查，共梳理出同类问题${r.int(3, 40)}个，已建立台账逐项整改。`,
  (r) => `修订完善管理办法、实施细则等制度${r.int(1, 6)}项，已印发执行。`,
  (r) => `追缴违规发放款项${r.int(2, 90)}.${r.int(0, 9)}万元，已全部退缴到位。`,
  (r) => `对${r.int(1, 9)}名相关责任人进行批评教育，对${r.int(1, 3)}人进行诫勉谈话。`,
  (r) => `组织开展专项检查${r.int(1, 5)}次，发现并督促整改问题${r.int(2, 30)}个。`,
  () => '召开警示教育大会，通报典型案例，深刻汲取教训，举一反三。',
  () => '完成阶段性整改目标，相关佐证材料已整理归档。',
  () => '责任部门按月报送整改进展，整改办逐项跟踪督办。',
  (r) => `对${r.int(2, 20)}个基层党组织开展督导，推动问题整改落实。`,
];

export function progressText(r: Random): string {
  return r.pick(PROGRESS)(r);
}

/** Evidence file names (佐证材料) and their kinds. */
export const EVIDENCE_FILES: readonly { name: string; kind: 'pdf' | 'png' }[] = [
  { name: '整改工作方案', kind: 'pdf' },
  { name: '专题会议纪要', kind: 'pdf' },
  { name: '制度修订印发通知', kind: 'pdf' },
  { name: '专项检查报告', kind: 'pdf' },
  { name: '整改完成情况说明', kind: 'pdf' },
  { name: '问责处理决定', kind: 'pdf' },
  { name: '款项退缴凭证', kind: 'png' },
  { name: '现场整改照片', kind: 'png' },
  { name: '警示教育会议照片', kind: 'png' },
  { name: '培训签到表', kind: 'png' },
];

export const CLOSEOUT_NOTES = [
  '整改措施已全部落实，佐证材料齐全，申请销号。',
  '已按整改方案完成整改，制度文件已印发，申请销号。',
  '问题已整改到位，并建立长效机制，申请销号。',
] as const;

export const ACCEPT_COMMENTS = [
  '经审核，整改措施落实到位，佐证材料齐全，同意销号。',
  '经核查佐证材料和现场情况，整改到位，同意销号。',
  '整改完成，长效机制已建立，同意销号，请持续巩固整改成果。',
] as const;

export const RETURN_REASONS = [
  '佐证材料不足以证明整改到位，请补充制度印发文件和执行情况。',
  '整改措施与问题不对应，未触及问题根源，请深化整改后重新申请。',
  '款项追缴凭证不完整，请补充后重新提交。',
  '整改仍停留在纸面，请提供实际执行情况的材料。',
] as const;

export const EXTENSION_REASONS = [
  '涉及历史遗留问题，需协调多个部门共同处理，申请延期。',
  '相关司法程序尚未终结，款项追缴须待判决生效后执行，申请延期。',
  '整改项目须履行招投标程序，所需时间较长，申请延期。',
  '涉及下属企业股权调整，须报上级审批，申请延期。',
] as const;

export const EXTENSION_APPROVALS = ['理由充分，同意延期，请按新时限完成整改。', '同意延期，请每月报告整改进展。'] as const;
export const EXTENSION_REFUSALS = ['延期理由不充分，应按原定时限完成整改。', '该问题属立行立改事项，不同意延期。'] as const;

// ---------------------------------------------------------------- reports

export function reportTitle(kind: string, unitName: string): string {
  switch (kind) {
    case 'plan': return `${unitName}关于落实省委巡视反馈意见的整改方案`;
    case 'dlm': return `${unitName}领导班子巡视整改专题民主生活会`;
    case 'progress': return `${unitName}关于巡视集中整改进展情况的报告`;
    case 'review_opinion': return `关于${unitName}巡视集中整改进展情况的审核意见`;
    case 'disclosure': return `${unitName}关于巡视整改进展情况的通报`;
    case 'supervision_discipline': return `关于${unitName}巡视整改监督情况的报告`;
    default: return `${unitName}后续整改情况报告`;
  }
}

export const REPORT_BODIES: Record<string, string> = {
  plan: '坚持问题导向，对照巡视反馈意见逐条制定整改措施，建立问题清单、任务清单、责任清单，明确责任领导、责任部门和整改时限。',
  dlm: '班子成员聚焦巡视反馈问题，逐一认领、深刻剖析，开展严肃认真的批评和自我批评，明确整改方向。',
  progress: '集中整改期内，已完成大部分整改任务，需要长期坚持的任务已制定阶段性目标，持续推进。',
  review_opinion: '整改方案总体可行，集中整改取得阶段性成效；部分问题整改不够彻底，长效机制有待健全，请持续推进。',
  disclosure: '按照巡视工作有关规定，现将巡视集中整改进展情况予以公布，涉及国家秘密、正在审查调查案件等事项不予公开。',
  supervision_discipline: '通过审核整改方案、列席专题民主生活会、现场检查等方式开展整改监督，对整改不力的问题督促整改。',
};

// ---------------------------------------------------------------- clues

export const CLUE_POSTS = [
  '原副总经理', '所属分公司原总经理', '财务部原部长', '党委委员、副总经理', '工程管理部部长', '所属子公司党委书记',
  '原副局长', '处长', '副院长', '街道党工委书记',
] as const;

export const CLUE_SUMMARIES = [
  '反映其利用职务便利，在工程项目招投标中为他人谋取利益。',
  '反映其违规收受管理服务对象礼品礼金。',
  '反映其违规插手干预工程项目和物资采购。',
  '反映其在干部选拔任用中搞任人唯亲。',
  '反映其亲属违规经营与本单位业务相关的企业。',
  '反映其违规公款吃喝、公车私用。',
] as const;

// ---------------------------------------------------------------- suggestions, petitions

export const FUNCTIONAL_DEPARTMENTS = [
  '某省财政厅', '某省国有资产监督管理委员会', '某省审计厅', '某省人力资源和社会保障厅', '某省住房和城乡建设厅',
  '某省自然资源厅', '某省委组织部', '某省地方金融管理局', '某省发展和改革委员会',
] as const;

export const SUGGESTION_CONTENTS = [
  '巡视发现部分省属企业对下属企业管控不到位，建议完善国有企业投资监管制度，加强对境外投资和参股企业的监管。',
  '巡视发现多个单位违规发放津贴补贴问题，建议开展专项治理，健全财经纪律执行情况的日常监督机制。',
  '巡视发现部分工程项目规避招标、围标串标问题多发，建议完善招投标监管制度，推行电子化招标。',
  '巡视发现选人用人把关不严、干部人事档案管理不规范等共性问题，建议开展专项检查。',
  '巡视发现部分专项资金闲置、项目推进缓慢，建议加强资金绩效管理，盘活存量资金。',
  '巡视发现地方金融风险防控不够有力，建议完善风险监测预警机制。',
] as const;

export const SUGGESTION_REPLIES = [
  '已研究制定专项工作方案，相关制度正在修订，预计年内印发。',
  '已开展专项治理，督促相关单位完成整改，并建立常态化监督机制。',
  '已印发通知部署专项检查，检查结果将按规定通报。',
] as const;

export const PETITION_SUMMARIES = [
  '反映某某项目拆迁补偿款发放不到位。',
  '反映所在单位违规发放福利。',
  '反映某某街道办事处在惠民资金发放中优亲厚友。',
  '反映某某公司拖欠工程款。',
  '反映某某学院招生工作不规范。',
] as const;

export const PETITION_RESULTS = [
  '经核查，反映问题部分属实，已督促整改到位并向信访人反馈。',
  '经核查，反映问题不属实，已向信访人说明情况。',
  '已督促相关单位依法依规处理，信访人表示满意。',
] as const;

// ---------------------------------------------------------------- supervision

export const ACTIVITY_FINDINGS = [
  '整改方案措施较为具体，但部分措施针对性不强，已提出修改意见。',
  '部分整改任务进展缓慢，佐证材料不完整，已要求限期补充。',
  '专题民主生活会准备充分，批评和自我批评辣味较浓。',
  '现场检查发现个别问题存在反弹风险，已督促举一反三。',
  '整改总体有序推进，长期坚持的任务需细化阶段性目标。',
] as const;

/** 二十届中央第一轮巡视整改监督的做法（6个月、4个阶段、15项具体举措）, as a provincial programme. */
export const PROGRAMME_STAGES: readonly { name: string; months: number; measures: readonly string[] }[] = [
  {
    name: '学习部署', months: 1, measures: [
      '召开巡视整改监督专题培训会', '参加巡视反馈会议', '建立巡视整改监督台账',
    ],
  },
  {
    name: '集中整改落实', months: 2, measures: [
      '指导被巡视单位制定整改方案', '审核整改方案', '列席专题民主生活会', '开展调研督导', '认真处置巡视移交问题线索',
    ],
  },
  {
    name: '集中整改审核', months: 1, measures: [
      '审核集中整改进展情况报告', '出具审核意见', '赴被巡视单位开展现场检查', '开展整改会商',
    ],
  },
  {
    name: '持续整改', months: 2, measures: [
      '督促做好整改情况公开', '开展整改成效评估', '对整改不力的典型问题追责问责',
    ],
  },
];

export const ESCALATION_REASONS = [
  '集中整改期满，仍有多项整改任务未完成且未申请延期。',
  '经通知督促，整改进展仍然缓慢，部分任务已超期。',
  '经提醒督促仍未整改到位，整改工作敷衍应付。',
  '经告诫仍整改不力，按规定启动问责程序。',
] as const;

export const ACCOUNTABILITY_NOTES = [
  '对巡视反馈问题整改不力，经督促仍未整改到位。',
  '以文件代替整改，存在纸面整改问题。',
  '虚报整改完成情况，搞虚假整改。',
] as const;

/** Reasons a problem or task may be left out of 整改情况公开. */
export const NOT_FOR_DISCLOSURE_REASONS = ['涉及正在审查调查的案件', '涉及国家秘密', '涉及个人隐私'] as const;

// ---------------------------------------------------------------- problems by category

/**
 * Headlines per (sub)category of the default tree (db/services/reference-data.ts) plus the
 * demo's own 形式主义、官僚主义, in the wording of published feedback (首轮巡视反馈"违反中央八项规定精神问题
 * 仍有发生", 第二轮"推动高质量发展有差距，聚焦主业发展不够…").
 */
export const CATEGORY_HEADLINES: Readonly<Record<string, readonly string[]>> = {
  推动高质量发展: ['贯彻落实党中央决策部署不够到位', '推动高质量发展有差距', '聚焦主业发展不够', '科技创新能力不强'],
  服务国家战略: ['服务国家战略不够有力', '落实区域协调发展战略有差距', '贯彻新发展理念有偏差'],
  防范化解重大风险: ['防范化解风险不够有力', '对下属企业管控不到位', '债务风险防控不够到位'],
  廉洁风险: ['“一把手”等关键岗位廉洁风险比较突出', '重点领域廉洁风险突出', '工程建设领域廉洁风险突出'],
  违反中央八项规定精神: ['违反中央八项规定精神问题仍有发生', '违规发放津贴补贴问题仍有发生', '违规公务接待问题仍有发生'],
  '"四风"问题': ['“四风”问题突出', '享乐主义、奢靡之风禁而未绝'],
  '"靠企吃企"': ['“靠企吃企”问题多发', '关联交易管理不规范，存在利益输送风险'],
  '形式主义、官僚主义': ['形式主义、官僚主义问题依然存在', '文山会海问题反弹，基层负担较重'],
  选人用人: ['选人用人把关不严', '选人用人不够规范', '干部人事档案管理不规范'],
  干部监督管理: ['干部监督管理不严', '领导干部违规兼职取酬问题整改不到位', '贯彻执行民主集中制不够到位'],
  基层党组织建设: ['基层党组织建设比较薄弱', '党内政治生活不够严肃', '“三会一课”制度落实不到位'],
  上轮巡视整改落实: ['上轮巡视整改不到位', '落实巡视整改要求走过场', '存在纸面整改、虚假整改现象', '整改长效机制不健全'],
};

/** Concrete findings (具体表现) per top-level category, with figures filled in. */
const DETAILS: Readonly<Record<string, readonly ((r: Random, y: number) => string)[]>> = {
  贯彻落实党中央决策部署: [
    (r, y) => `${y}年以来${r.int(2, 12)}个重点项目推进缓慢，专项资金闲置${r.int(100, 9000)}万元`,
    (r) => `所属某某公司偏离主责主业，开展非主业投资${r.int(2, 9)}项`,
    (r) => `对下属${r.int(2, 15)}家企业“三重一大”决策监督不到位`,
    () => '投资项目论证不充分，造成国有资产损失风险',
    (r) => `研发投入强度低于行业平均水平，${r.int(2, 8)}项关键核心技术攻关进展缓慢`,
  ],
  履行全面从严治党责任: [
    (r, y) => `所属某某分公司${y}年违规发放津贴补贴${r.int(3, 95)}.${r.int(0, 9)}万元`,
    (r, y) => `下属某子公司${y}年以来超标准公务接待${r.int(2, 40)}次`,
    (r) => `个别领导干部违规使用公务用车${r.int(2, 30)}次`,
    (r, y) => `${y}年${r.int(2, 18)}个工程项目未按规定公开招标，存在规避招标、围标串标风险`,
    () => '外包业务管理不严，存在“靠企吃企”风险',
    (r) => `会议多、文件多，全年发文${r.int(300, 900)}件，基层负担较重`,
  ],
  领导班子和干部队伍建设: [
    (r, y) => `${y}年选拔任用的${r.int(2, 12)}名干部未严格履行考察程序`,
    (r) => `干部人事档案专项审核发现问题${r.int(3, 60)}处`,
    (r) => `${r.int(2, 9)}名领导人员违规兼职取酬`,
    () => '重大事项集体决策执行不到位，存在个人说了算现象',
  ],
  基层党组织建设: [
    (r) => `${r.int(2, 20)}个党支部超期未换届`,
    (r) => `${r.int(3, 25)}个党支部“三会一课”记录不全`,
    () => '党员教育管理不够严格，发展党员程序不规范',
  ],
  上轮巡视整改落实: [
    (r) => `上轮巡视指出的${r.int(2, 9)}个问题仍未整改到位`,
    () => '部分整改措施停留在发文件、提要求层面',
    () => '已整改的违规发放津贴补贴问题出现反弹',
  ],
};

/** 问题描述: a headline of the (sub)category, then one or two concrete findings of its top category. */
export function problemText(r: Random, category: string, top: string, year: number): string {
  const heads = CATEGORY_HEADLINES[category] ?? CATEGORY_HEADLINES[top] ?? CATEGORY_HEADLINES['推动高质量发展']!;
  const details = DETAILS[top] ?? DETAILS['贯彻落实党中央决策部署']!;
  const head = r.pick(heads);
  const found = r.sample(details, r.chance(0.35) ? 2 : 1).map((d) => d(r, year));
  return `${head}。${found.join('；')}。`;
}

/** Measures that answer a top category's problems; other tasks use vocabulary.ts measureText. */
export const CATEGORY_MEASURES: Readonly<Record<string, readonly string[]>> = {
  贯彻落实党中央决策部署: [
    '制定专项工作方案，加快推进重点项目建设，盘活闲置资金',
    '清理退出非主业投资，聚焦主责主业',
    '完善对下属企业的管控制度，规范“三重一大”决策程序',
  ],
  履行全面从严治党责任: [
    '开展违反中央八项规定精神问题专项整治，追缴违规发放款项',
    '规范招投标管理，推行集中采购和电子化招标',
    '修订公务接待、公务用车管理办法，严格执行标准',
    '精简会议文件，切实为基层减负',
  ],
  领导班子和干部队伍建设: [
    '加强干部选拔任用全过程监督，严格执行考察程序',
    '开展干部人事档案专项审核，逐人整改问题',
    '清理规范违规兼职取酬，建立常态化排查机制',
  ],
  基层党组织建设: ['推动基层党组织按期换届，落实“三会一课”制度', '开展党员教育管理专项检查'],
  上轮巡视整改落实: ['对上轮巡视问题逐项“回头看”，建立长效机制', '对整改不到位的问题重新制定措施，明确责任人'],
};

/** The problems a 反馈意见 lists in outline, in the order feedback documents use. */
export const FEEDBACK_HEADS = [
  '贯彻落实党中央决策部署不够到位', '推动高质量发展有差距', '防范化解风险不够有力', '履行全面从严治党责任不到位',
  '违反中央八项规定精神问题仍有发生', '“靠企吃企”问题多发', '选人用人把关不严', '基层党组织建设比较薄弱', '上轮巡视整改不到位',
] as const;
