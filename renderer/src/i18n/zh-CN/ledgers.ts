/** 法定台账打印 (zh-CN): the statutory printed ledgers, their columns and the screen. */
export default {
  nav: '法定台账',
  title: '法定台账',
  intro: '按法定格式打印巡视整改台账、整改监督台账、单位整改情况汇总表和问题线索处置台账：每页重复表头，页眉页脚带密级标识和“第N页 共M页”，末尾留填报人、审核人、负责人签字栏。可在系统打印对话框中选择打印机或“另存为PDF”。',
  form: {
    kind: '台账种类', round: '巡视轮次', allRounds: '全部轮次', unit: '被巡视单位', allUnits: '全部单位',
    paper: '纸张', marking: '密级标识', title: '标题',
    preview: '生成预览', print: '打印', printClues: '确认并打印',
  },
  kinds: {
    rectification: '巡视整改台账', supervision: '整改监督台账', summary: '单位整改情况汇总表', clues: '问题线索处置台账',
  },
  markings: { internal: '内部资料 注意保存', secret: '秘密 注意保密', confidential: '机密 注意保密' },
  clueMarking: '机密 严禁复制、外传',
  titles: {
    rectification: '{{who}}巡视整改台账', supervision: '{{who}}整改监督台账', summary: '{{who}}单位整改情况汇总表', clues: '{{who}}问题线索处置台账',
  },
  meta: { round: '巡视轮次：{{r}}', unit: '被巡视单位：{{u}}', allRounds: '全部轮次', allUnits: '全部单位', date: '填报日期：{{d}}', rows: '共 {{n}} 行' },
  cont: '（续）',
  contShort: '续',
  total: '合计',
  columns: {
    seq: '序号', category: '问题类别', description: '问题描述', measures: '整改措施', leader: '责任领导', department: '责任部门',
    person: '责任人', deadline: '整改时限', progress: '整改进展', completion: '完成情况', evidence: '佐证材料', closeout: '销号情况', remark: '备注',
    activityDate: '开展日期', activityKind: '举措类型', activityTitle: '监督事项', unitName: '被巡视单位', participants: '参加人员',
    findings: '发现的问题和意见', linked: '关联问题',
    problems: '问题数', tasks: '整改任务数', completed: '已完成', closed: '已销号', closeRate: '销号率', overdue: '逾期', longTermOpen: '长期坚持未销号',
    subjectName: '被反映人', subjectPost: '职务', summary: '线索摘要', receivedOn: '接收日期', receivingOrgan: '接收机关',
    disposition: '处置方式', steps: '处置过程', outcome: '处置结果', money: '追赃挽损（元）', concludedOn: '办结日期',
  },
  preview: {
    label: '打印预览', page: '第{{n}}页', pages: '共 {{m}} 页（{{paper}} 横向），{{rows}} 行', laying: '正在排版…',
    empty: '选择台账种类、巡视轮次和单位后点击“生成预览”，在这里查看排好的各页，再点击“打印”。',
    nothing: '所选范围内没有可打印的记录。', stale: '条件已改变，请重新生成预览。',
  },
  clueBanner: { title: '敏感信息 仅限授权人员查看', hint: '问题线索处置台账须经确认后打印，每次打印记入审计记录；打印件按机密件管理，严禁复制、外传。' },
  clueConfirm: {
    title: '打印问题线索处置台账',
    body: '问题线索属敏感信息，仅限有线索查看权限的人员按规定使用。本次打印将以您的名义记入审计记录（打印人、时间、范围和每条线索），打印件标注“{{m}}”。确定打印吗？',
    ok: '确认打印', refused: '您没有查看问题线索的权限，不能打印问题线索处置台账。',
    ctrlP: '问题线索处置台账须点击“确认并打印”，经确认后打印。',
    audited: '已记入审计记录：打印问题线索处置台账 {{n}} 条。',
  },
  printed: '已打开系统打印对话框（可选择打印机或“另存为PDF”）。',
};
