/** First run, log-in and user switching (zh-CN). */
export default {
  welcome: '欢迎使用巡视整改监督台账',
  firstRunIntro: '本机尚未建立台账。您可以建立本单位台账，或先打开演示台账了解功能。',
  setupTitle: '建立本单位台账',
  demoTitle: '打开演示台账',
  demoHint: '演示台账使用虚构的单位和人员（某某集团有限公司、张某某），可随意操作。演示账号密码：{{password}}',
  officeName: '单位名称', officeKind: '单位类型', level: '层级',
  adminUsername: '管理员用户名', adminDisplayName: '管理员姓名', adminPassword: '管理员密码', adminPassword2: '再次输入密码',
  passwordMismatch: '两次输入的密码不一致。',
  setupDone: '台账已建立，请用管理员账号登录。',
  loginTitle: '登录',
  username: '用户名', password: '密码', login: '登录',
  loggedInAs: '已登录：{{name}}（{{role}}）',
  officeKinds: {
    inspected_unit: '被巡视单位整改办', discipline: '纪检监察机关', organisation: '组织部门', inspection_office: '巡视办', functional_dept: '职能部门',
  },
  levels: { central: '中央', province: '省', city: '市', county: '县' },
  required: '请填写{{field}}。',
};
