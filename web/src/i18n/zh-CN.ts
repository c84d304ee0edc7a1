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
