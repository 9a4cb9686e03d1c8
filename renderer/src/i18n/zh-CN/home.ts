/** 工作台 (zh-CN). */
export default {
  title: '工作台',
  noRound: '还没有巡视轮次。请先在“巡视轮次”中新建轮次并添加被巡视单位。',
  figures: { problems: '问题', tasks: '整改任务', closed: '已销号', closeRate: '销号率', overdue: '逾期任务', longTermOpen: '长期任务未完成' },
  clocksTitle: '各单位法定时限',
  unit: '被巡视单位',
  tasksByLight: '任务',
  byUnit: '各单位销号率',
  byCategory: '各类别销号率',
  byOrigin: '各来源单位销号率',
  origin: '来源单位',
  allOrigins: '全部来源单位',
  closeRateAxis: '销号率（%）',
  flags: {
    closed_without_evidence: '销号无佐证材料', evidence_reused: '同一佐证材料用于不相关任务', late_but_on_time: '超期完成却报按期完成',
    evidence_after_deadline: '报按期完成但佐证材料形成于时限之后', mass_closure: '报告截止前集中销号',
    rebound: '问题反弹（后续巡视再次出现）', repeated_returns: '销号多次被退回',
  },
  todo: {
    title: '待办：逾期与临期任务', review: '待审核销号 {{n}} 项', none: '没有逾期或 {{n}} 天内到期的任务。', more: '查看全部逾期任务', titleCount: '待办：逾期与临期任务（{{n}}）',
  },
  recent: {
    title: '最近动态', none: '台账还没有变动。', system: '系统',
    actions: {
      create: '新建', update: '修改', delete: '删除', restore: '恢复', start: '开始推进', submit: '提交销号', accept: '审核通过', return: '退回',
      extend: '延期', close: '销号', reopen: '重新打开', second_round: '转入二次整改', supersede: '撤回', other: '变动',
    },
    entities: {
      problems: '问题', tasks: '整改任务', progress_entries: '整改进展', evidence: '佐证材料', closeouts: '销号申请', extension_requests: '延期申请',
      feedbacks: '反馈意见', reports: '报告', rounds: '巡视轮次', units: '被巡视单位', inspections: '被巡视单位', evaluations: '整改评估',
      accountability: '问责', suggestions: '移交建议', supervision_activities: '监督举措', petitions: '信访件',
    },
  },
  redFlags: '虚假整改预警',
  redFlagsNone: '未发现虚假整改迹象。',
  dueTitle: '临期与逾期任务',
  dueNone: '没有临期或逾期的任务。',
  measures: '整改措施', department: '责任部门', deadline: '整改时限', light: '状态',
};
