// Chinese labels for the API's English codes. The server's roles carry their own names; these are
// for places where only a code is at hand.

export const APP_NAME = 'OneStop 一网通办'

export const ROLE_NAMES: Record<string, string> = {
  platform_admin: '平台管理员',
  dept_admin: '部门管理员',
  counter_clerk: '窗口人员',
  reviewer: '审批人员',
  supervisor: '电子监察',
  agent: '帮代办员',
  citizen: '群众',
  enterprise: '企业',
}

export const KIND_NAMES: Record<string, string> = {
  staff: '工作人员',
  citizen: '群众',
  enterprise: '企业',
}

export const DATA_SCOPES: { value: string; label: string }[] = [
  { value: 'all', label: '全部数据' },
  { value: 'custom', label: '自定义部门' },
  { value: 'dept', label: '本部门' },
  { value: 'dept_and_below', label: '本部门及以下' },
  { value: 'self', label: '仅本人' },
]
export const DATA_SCOPE_NAMES: Record<string, string> = Object.fromEntries(
  DATA_SCOPES.map((s) => [s.value, s.label]),
)

export const LEVELS: { value: string; label: string }[] = [
  { value: 'province', label: '省' },
  { value: 'city', label: '市' },
  { value: 'county', label: '县' },
  { value: 'township', label: '乡镇' },
  { value: 'village', label: '村' },
]
export const LEVEL_NAMES: Record<string, string> = Object.fromEntries(LEVELS.map((l) => [l.value, l.label]))

export const PERMISSION_NAMES: Record<string, string> = {
  'departments.manage': '部门管理',
  'users.manage': '用户管理',
  'calendar.manage': '工作日历维护',
  'parties.read': '群众与企业查询',
  'parties.write': '群众与企业登记',
  'audit.read': '审计日志查询',
  'audit.verify': '审计链校验',
  'uscc.confirm_legacy': '早期试点信用代码确认',
  'self.access_log': '查看本人数据访问记录',
  'catalog.manage': '事项与一件事配置',
  'cases.intake': '综合窗口受理',
  'cases.review': '办件审批',
  'cases.read': '查看办件',
  'cases.apply': '网上申办',
}

export const DAY_KIND_NAMES: Record<string, string> = {
  workday: '工作日',
  weekend: '周末',
  holiday: '法定节假日',
  adjusted_workday: '调休上班',
}

export const SUBJECT_TYPE_NAMES: Record<string, string> = {
  person: '自然人',
  enterprise: '企业',
  user: '用户',
  department: '部门',
  calendar: '工作日历',
  calendar_day: '工作日历',
  audit_chain: '审计链',
  session: '会话',
  licence: '电子证照',
  case: '办件',
}

export const USER_STATUS_NAMES: Record<string, string> = { active: '正常', disabled: '停用' }

// 国民经济行业分类 (GB/T 4754-2017) 门类, offered as suggestions for 企业 industry.
export const INDUSTRIES = [
  '农、林、牧、渔业',
  '采矿业',
  '制造业',
  '电力、热力、燃气及水生产和供应业',
  '建筑业',
  '批发和零售业',
  '交通运输、仓储和邮政业',
  '住宿和餐饮业',
  '信息传输、软件和信息技术服务业',
  '金融业',
  '房地产业',
  '租赁和商务服务业',
  '科学研究和技术服务业',
  '水利、环境和公共设施管理业',
  '居民服务、修理和其他服务业',
  '教育',
  '卫生和社会工作',
  '文化、体育和娱乐业',
  '公共管理、社会保障和社会组织',
  '国际组织',
]

// ---- 事项目录 (GB/T 39046 附录A code sets; the server's catalog/item.cc has the same names) ----

export function itemTypeName(code: string): string {
  const n = Number(code)
  if (!/^\d{2}$/.test(code)) return code
  const names = ['行政权力事项', '行政许可', '行政处罚', '行政强制', '行政征收', '行政给付', '行政检查', '行政确认', '行政奖励', '行政裁决', '其他类别事项']
  if (n <= 10) return names[n]
  if (n < 20) return '其他行政权力事项'
  if (n === 20) return '公共服务事项'
  return '其他公共服务事项'
}

export const ITEM_LEVEL_NAMES: Record<number, string> = {
  1: '国家级',
  2: '省级',
  3: '市级',
  4: '县级',
  5: '镇（乡、街道）级',
  6: '村（社区）级',
  7: '分级管理',
}

export const SERVICE_OBJECT_NAMES: Record<number, string> = {
  1: '自然人',
  2: '企业法人',
  3: '事业法人',
  4: '社会组织法人',
  5: '行政机关',
  6: '其他组织',
}

export const HANDLING_FORM_NAMES: Record<number, string> = {
  1: '窗口办理',
  2: '电脑端网上办理',
  3: '移动端网上申请',
  4: '快递申请',
  9: '其他',
}

export const CASE_TYPE_NAMES: Record<number, string> = { 1: '即办件', 2: '承诺件', 9: '其他' }

export const DEPTH_NAMES: Record<number, string> = {
  1: '事项公开（Ⅰ级）',
  2: '在线预审（Ⅱ级）',
  3: '在线申办（Ⅲ级）',
  4: '全程网办（Ⅳ级）',
}

export const LIMIT_UNIT_NAMES: Record<string, string> = { working_days: '个工作日', natural_days: '个自然日' }

export const MATERIAL_NEED_NAMES: Record<string, string> = {
  required: '必要',
  optional: '非必要',
  deferable: '容缺后补',
}

export const MATERIAL_SOURCE_NAMES: Record<number, string> = {
  10: '申请人自备',
  20: '政府部门核发',
  99: '其他',
}

export const FIELD_TYPE_NAMES: Record<string, string> = {
  text: '文字',
  number: '数字',
  date: '日期',
  idNumber: '身份证号',
  uscc: '统一社会信用代码',
  phone: '手机号码',
  region: '行政区划',
  select: '选项',
  boolean: '是/否',
}

export const BUNDLE_CATEGORY_NAMES: Record<string, string> = {
  person: '个人',
  enterprise: '企业',
  project: '项目',
}

// ---- 办件 ----

export const CHANNEL_NAMES: Record<string, string> = {
  online: '网上办理',
  counter: '窗口办理',
  kiosk: '自助终端',
  mobile: '移动端',
  agent: '帮代办',
  home_visit: '上门办',
}

export const CASE_STATUSES: { value: string; label: string }[] = [
  { value: 'submitted', label: '待受理' },
  { value: 'correction', label: '待补正' },
  { value: 'in_progress', label: '办理中' },
  { value: 'completed', label: '已办结' },
  { value: 'delivered', label: '已送达' },
  { value: 'refused', label: '不予受理' },
  { value: 'rejected', label: '办理终止' },
]
export const CASE_STATUS_NAMES: Record<string, string> = Object.fromEntries(CASE_STATUSES.map((s) => [s.value, s.label]))

/** Element Plus tag type per case status. */
export const CASE_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  submitted: 'primary',
  correction: 'warning',
  in_progress: 'primary',
  completed: 'success',
  delivered: 'success',
  refused: 'danger',
  rejected: 'danger',
}

export const TASK_STATUS_NAMES: Record<string, string> = {
  waiting: '等待前置事项',
  pending: '办理中',
  approved: '已办结',
  rejected: '不予许可',
  cancelled: '已终止',
}

export const DELIVERY_NAMES: Record<string, string> = {
  electronic: '电子证照（网上推送）',
  window: '窗口领取',
  express: '快递送达（免费邮寄）',
}

export const ACCEPT_MODE_NAMES: Record<string, string> = {
  normal: '受理',
  deferred: '容缺受理',
  commitment: '告知承诺',
}

export const MATERIAL_STATUS_NAMES: Record<string, string> = {
  provided: '已提交',
  pledged: '容缺后补',
  missing: '未提交',
}

export const LIGHT_NAMES: Record<string, string> = { green: '正常', yellow: '临近期限', red: '已超期' }

/** Headings for the groups of a form, by the first part of the fields' semantic keys. */
export const FIELD_GROUP_NAMES: Record<string, string> = {
  applicant: '申请人信息',
  agent: '代理人信息',
  child: '子女信息',
  mother: '母亲信息',
  father: '父亲信息',
  student: '学生信息',
  deceased: '逝者信息',
  enterprise: '企业信息',
  legalRep: '法定代表人信息',
  employer: '用人单位信息',
  employment: '就业信息',
  retirement: '退休信息',
  project: '项目信息',
  bank: '银行账户信息',
  residence: '居住信息',
  graduate: '毕业信息',
  hukou: '户籍信息',
  school: '学校信息',
  disability: '残疾信息',
  insurance: '参保信息',
  socialCard: '社会保障卡信息',
  funeral: '丧葬信息',
  seal: '印章信息',
  invoice: '发票信息',
  hpf: '住房公积金信息',
  startup: '创业信息',
  training: '培训信息',
  transfer: '转移接续信息',
  archive: '档案信息',
  flexible: '灵活就业信息',
  hardship: '困难认定信息',
  subsidy: '补贴信息',
  aid: '资助信息',
}

// ---- 预约 ----

export const BOOKING_STATUSES: { value: string; label: string }[] = [
  { value: 'booked', label: '已预约' },
  { value: 'checked_in', label: '已签到' },
  { value: 'cancelled', label: '已取消' },
  { value: 'no_show', label: '未到' },
]
export const BOOKING_STATUS_NAMES: Record<string, string> = Object.fromEntries(BOOKING_STATUSES.map((s) => [s.value, s.label]))

/** Element Plus tag type per booking status. */
export const BOOKING_STATUS_TAGS: Record<string, 'primary' | 'success' | 'warning' | 'danger' | 'info'> = {
  booked: 'primary',
  checked_in: 'success',
  cancelled: 'info',
  no_show: 'warning',
}

/** The kinds of a hall's day in the slot list. */
export const SLOT_DAY_KIND_NAMES: Record<string, string> = {
  workday: '工作日',
  restday: '周末服务',
  closed: '休息',
}

/** The schedule's period groups, as the hall editor and the hall cards name them. */
export const PERIOD_GROUP_NAMES: Record<string, string> = {
  workday: '工作日',
  evening: '延时服务（工作日晚间）',
  restday: '周末服务（休息日）',
}
