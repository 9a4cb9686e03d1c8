/**
 * 数据交换: the names of the exchanged tables and fields, as the import preview and the conflicts
 * and proposals lists show them (zh-CN). Table names follow db/exchange/ownership.ts; a field keeps
 * one name across tables (the table is shown beside it).
 */
export default {
  tables: {
    clock_rule_sets: '时限规则', rounds: '巡视轮次', teams: '巡视组', units: '被巡视单位', inspections: '巡视对象',
    unit_leaders: '单位主要负责人', handovers: '整改责任交接', feedbacks: '反馈意见', problem_categories: '问题类别',
    problems: '问题', tasks: '整改任务', task_stages: '阶段目标', extension_requests: '延期申请', progress_entries: '整改进展',
    evidence: '佐证材料', closeouts: '销号申请', clues: '问题线索', clue_dispositions: '线索处置', suggestions: '移交建议',
    petitions: '信访件', supervision_activities: '监督举措', activity_problems: '监督举措所涉问题', supervision_programmes: '监督方案',
    programme_stages: '监督方案阶段', programme_measures: '监督方案措施', reports: '报告', evaluations: '整改评估',
    escalation_notices: '督办文书', accountability: '问责', accountability_links: '问责所涉问题',
  },
  fields: {
    deleted: '删除状态',
    accountabilityId: '问责记录', active: '启用', activityDate: '开展日期', activityId: '监督举措', basis: '依据', body: '正文',
    categoryId: '问题类别', clueId: '问题线索', code: '代码', comment: '意见', completedOn: '完成日期', concludedOn: '办结日期',
    content: '内容', deadline: '整改时限', decidedAt: '决定时间', decidedBy: '决定人', decidedOn: '决定日期', decision: '结论',
    decisionComment: '审批意见', department: '职能部门', description: '描述', docNumber: '文号', doneOn: '完成日期', dueDate: '计划完成日期',
    endOn: '结束日期', enteredOn: '进驻日期', entryDate: '进展日期', evaluatedOn: '评估日期', feedbackDate: '反馈日期',
    feedbackId: '反馈意见', feedbackOn: '反馈日期', fileName: '文件名', findings: '发现的问题', form: '形式', formedOn: '形成日期',
    fromDate: '任职起始', fromLeaderId: '原负责人', fromWay: '原处置方式', goal: '阶段目标', grade: '评估等次', handedOn: '移交日期',
    handedTo: '移交单位', handoverDate: '交接日期', inspectionId: '巡视对象', isKey: '重点难点问题', isLookback: '回头看',
    isReactivation: '重新启用', kind: '类别', leadLeader: '领办领导', leaderName: '组长', letterSentOn: '函询发出日期', level: '级别',
    materialRevision: '材料版次', measures: '整改措施', mergedIntoId: '并入任务', mimeType: '文件类型', mobilisedOn: '动员日期',
    moneyRecoveredFen: '挽回经济损失', name: '名称', notForDisclosure: '不予公开', notForDisclosureReason: '不予公开的理由', note: '说明',
    notes: '说明', number: '组别', openTaskCount: '未完成任务数', outcome: '办理结果', overhaulNote: '整顿说明', owner: '责任单位',
    ownerId: '所属记录', ownerType: '材料所属', parentId: '上级类别', parentUnitId: '上级单位', participants: '参加人员',
    personName: '姓名', post: '职务', previousDeadline: '原时限', problemId: '问题', programmeId: '监督方案', reason: '理由',
    reboundOfId: '反弹自', receivedOn: '收到日期', receivingOrgan: '接收机关', remark: '备注', repliedOn: '回复日期', reply: '回复',
    reportDate: '报告日期', reportedOnTime: '按期完成', requestedBy: '申请人', requestedDeadline: '申请延期至', responsibleDepartment: '责任部门',
    responsibleLeader: '责任领导', responsiblePerson: '责任人', result: '办理结果', reviewerId: '审核人', roundId: '巡视轮次',
    ruleSetId: '时限规则', ruleVersion: '规则版本', rules: '规则', score: '得分', sector: '行业领域', seq: '序号', sha256: '文件校验值',
    snapshot: '销号快照', snapshotHash: '销号快照校验值', sortOrder: '排序', source: '问题来源', stageId: '方案阶段', startOn: '开始日期',
    status: '状态', subjectName: '反映对象', subjectPost: '反映对象职务', submittedAt: '提交时间', submittedBy: '提交人', summary: '摘要',
    supersededAt: '失效时间', supersededReason: '失效原因', targetId: '对象', targetType: '对象类型', taskId: '整改任务', teamId: '巡视组',
    term: '整改类型', title: '标题', toDate: '任职截止', toLeaderId: '新负责人', underOverhaul: '列为整顿对象', unitId: '被巡视单位',
    way: '处置方式',
  },
};
