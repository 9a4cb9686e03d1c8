/** Shared words, navigation, the top bar, error codes and states (zh-CN, the default). */
export default {
  appName: '巡视整改监督台账',
  marking: '内部资料 注意保存',
  nav: {
    home: '工作台', rounds: '巡视轮次', problems: '问题清单', tasks: '任务清单', duty: '责任清单', clues: '问题线索',
    suggestions: '移交建议', supervision: '监督举措', reports: '报告', ratings: '评估与问责', exchange: '数据交换', settings: '设置',
  },
  top: {
    round: '当前轮次', allRounds: '全部轮次', search: '搜索问题、任务（Ctrl+F）', user: '当前用户', logout: '退出登录',
    switchUser: '切换用户', ownPassword: '修改我的密码', language: 'English', lock: '锁定', lockHint: '锁定台账（Ctrl+L）',
  },
  a11y: { nav: '功能导航', actions: '操作', expand: '展开' },
  roles: { entry: '录入员', reviewer: '审核员', leader: '负责人', admin: '管理员', readonly: '只读' },
  actions: {
    save: '保存', cancel: '取消', confirm: '确定', create: '新建', edit: '编辑', delete: '删除', search: '搜索', reset: '重置',
    export: '导出', print: '打印', refresh: '刷新', back: '返回', close: '关闭', submit: '提交', more: '更多',
  },
  states: {
    loading: '正在加载…', empty: '暂无数据', error: '出错了', retry: '重试', noRights: '您没有使用此功能的权限。',
    unsaved: '有尚未保存的修改，确定要离开吗？', saved: '已保存', notYet: '此功能将在后续版本提供。',
  },
  forms: { reasonRequired: '请填写{{label}}。' },
  errors: {
    VALIDATION: '填写的内容有误，请检查标红的项目。',
    NOT_FOUND: '要找的记录不存在，可能已被删除。',
    CONFLICT: '记录当前的状态不允许这样操作。',
    ILLEGAL_TRANSITION: '当前状态下不能进行这一步操作。',
    FORBIDDEN: '您没有进行此操作的权限。',
    LOCKED: '记录已锁定（正在审核或已销号），暂不能修改。',
    CORRUPT: '台账数据校验未通过，操作未执行。',
    UNAVAILABLE: '台账引擎暂不可用。',
  },
  lights: { green: '正常', yellow: '临期', red: '逾期', done: '已完成', not_started: '未开始' },
  table: { resize: '拖动调整列宽，双击恢复' },
  units: { days: '{{n}}天', rows: '共 {{n}} 条' },
  print: {
    dialogTitle: '打印台账', title: '标题', titleRequired: '请填写标题', go: '生成并打印', again: '再次打印',
    what: '打印范围：{{r}}，共 {{n}} 条，按当前排序。', filters: '筛选条件：{{f}}', layout: 'A4 横向，每页重复表头，页眉带密级标识，页脚带页码，末尾留填报人、审核人、负责人签字栏。',
    tooMany: '共 {{n}} 条，超过一次打印的上限 {{max}} 条。请先筛选（如按被巡视单位、状态或责任部门）再打印。',
    progress: '已取 {{n}} 条', ready: '已生成打印稿（{{n}} 条），已打开系统打印对话框。可再次打印或关闭。',
    round: '巡视轮次：{{r}}', allRounds: '全部轮次', rows: '共 {{n}} 条', date: '打印日期：{{d}}', dateFormat: 'YYYY年M月D日',
    pageOf: '第{{n}}页 共{{m}}页', filledBy: '填报人：', reviewedBy: '审核人：', headOf: '负责人：',
    problemsTitle: '{{office}}巡视整改问题台账', tasksTitle: '{{office}}巡视整改任务台账', dutyTitle: '{{office}}整改责任清单（{{group}}）',
  },
  menu: {
    noExchange: '“{{c}}”用于单位之间导入、导出交换包，须由管理员为您开通数据交换权限。',
    import: '导入', export: '导出', backup: '备份', print: '打印', lock: '锁定',
  },
};
