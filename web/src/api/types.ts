// Types of the HTTP API v1 (docs/API.md). Keys are camelCase as on the wire.

export type Kind = 'staff' | 'citizen' | 'enterprise'
export type DataScope = 'all' | 'custom' | 'dept' | 'dept_and_below' | 'self'
export type Level = 'province' | 'city' | 'county' | 'township' | 'village'

export type Permission =
  | 'departments.manage'
  | 'users.manage'
  | 'calendar.manage'
  | 'parties.read'
  | 'parties.write'
  | 'audit.read'
  | 'audit.verify'
  | 'uscc.confirm_legacy'
  | 'self.access_log'
  | 'catalog.manage'
  | 'cases.intake'
  | 'cases.review'
  | 'cases.read'
  | 'cases.apply'

export interface Me {
  id: string
  username: string
  displayName: string
  kind: Kind
  roles: { code: string; name: string }[]
  // The server sends {id, name}; docs/API.md also lists code and regionCode.
  department: { id: string; name: string; code?: string; regionCode?: string } | null
  dataScope: DataScope
  permissions: string[]
  personId: string | null
  enterpriseId: string | null
}

export interface Session {
  user: Me
  csrfToken: string
}

export interface Page<T> {
  items: T[]
  total: number
}

export interface PageQuery {
  page: number
  pageSize: number
}

export interface Region {
  code: string
  name: string
  level: Level | string
  fullName?: string
  /** Sent by the server (not in docs/API.md); when absent, only villages are leaves. */
  hasChildren?: boolean
}

export interface Department {
  id: string
  code: string
  name: string
  parentId: string | null
  regionCode: string
  regionName: string
  level: Level
  version: number
}

/** The server sends permissions as {code, name}; docs/API.md shows plain codes. Both are read. */
export type RolePermission = string | { code: string; name: string }

export interface Role {
  code: string
  name: string
  description: string
  kind?: Kind
  defaultDataScope: DataScope
  defaultDataScopeName?: string
  permissions: RolePermission[]
}

export interface User {
  id: string
  username: string
  displayName: string
  kind: Kind
  departmentId: string | null
  departmentName: string | null
  roles: string[]
  dataScope: DataScope
  customDepartmentIds: string[]
  status: 'active' | 'disabled'
  lockedUntil: string | null
  createdAt: string
  version: number
}

export interface Person {
  id: string
  name: string
  idNumberMasked: string
  phoneMasked: string
  gender: '男' | '女'
  birthDate: string
  regionCode: string
  regionName: string
  createdAt: string
  version: number
  /** Only in GET /persons/{id} (the audited detail read): the whole numbers. */
  idNumber?: string
  phone?: string
}

export interface Enterprise {
  id: string
  name: string
  uscc: string
  legalRepresentative: string
  regionCode: string
  regionName: string
  industry: string
  usccWarning: string | null
  createdAt: string
  version: number
}

export type DayKind = 'workday' | 'weekend' | 'holiday' | 'adjusted_workday'

export interface CalendarDay {
  date: string
  workday: boolean
  kind: DayKind
  name: string
  provisional: boolean
  overridden: boolean
}

export interface CalendarYear {
  year: number
  published: boolean
  source: string
  days: CalendarDay[]
}

export interface AuditEntry {
  seq: number
  at: string
  actorId: string
  actorName: string
  action: string
  actionLabel: string
  subjectType: string
  subjectId: string
  /** docs/API.md names it subjectPersonId; the server sends subjectPartyId (person or enterprise). */
  subjectPartyId?: string | null
  subjectPersonId?: string | null
  purpose: string
  details: Record<string, unknown>
  hash: string
  requestId?: string
  // Sent by the server, not in docs/API.md: the actor's department (谁查看了我的数据 shows it).
  actorDepartmentId?: string | null
  actorDepartmentName?: string | null
}

export interface AuditVerifyResult {
  ok: boolean
  checked: number
  firstBroken: { seq: number; reason: string } | null
}
