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
  | 'seals.manage'
  | 'licences.issue'
  | 'licences.use'
  | 'proofs.review'
  | 'self.licences'

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

// ---- 事项目录与一件事 (catalog; JSON exchange format, docs/catalog-format.md) ----

export type LimitUnit = 'working_days' | 'natural_days'
export type MaterialNeed = 'required' | 'optional' | 'deferable'
export type FieldType = 'text' | 'number' | 'date' | 'idNumber' | 'uscc' | 'phone' | 'region' | 'select' | 'boolean'

export interface TimeLimit {
  value: number
  unit: LimitUnit
  note: string
}

export interface CatalogMaterial {
  key: string
  name: string
  need: MaterialNeed
  originals: number
  copies: number
  paperSize: string
  /** 来源渠道: 10 申请人自备, 20 政府部门核发, 99 其他 */
  source: number
  issuer: string
  licenceType: string
  blankFormUrl: string
  sampleUrl: string
  note: string
}

export interface FormField {
  key: string
  label: string
  type: FieldType
  required: boolean
  options: string[]
  maxLength: number
  min: number | null
  max: number | null
  hint: string
}

export interface ItemStep {
  name: string
  role: string
  departmentCode: string
  limitWorkingDays: number | null
}

export interface CatalogItem {
  code: string
  basicCode: string
  version: number
  name: string
  departmentCode: string
  /** Sent by the catalogue routes besides the exchange format: names of the coded fields. */
  labels?: ItemLabels
  itemType: string
  level: number
  serviceObjects: number[]
  handlingForms: number[]
  caseType: number
  statutoryLimit: TimeLimit
  promisedLimit: TimeLimit
  charged: boolean
  feeFen: number
  feeBasis: string
  onlinePayment: boolean
  onlineDepth: number
  visits: number
  onsiteReason: string
  mailApplication: boolean
  conditions: string
  legalBasis: string
  explanation: string
  result: { name: string; materialKey: string; licenceType: string; fields: string[] }
  appointment: boolean
  expressDelivery: boolean
  commitmentAllowed: boolean
  deemedApprovalAllowed: boolean
  deemedApprovalDays: number | null
  materials: CatalogMaterial[]
  fields: FormField[]
  steps: ItemStep[]
}

export interface ItemLabels {
  department: string
  itemType: string
  level: string
  caseType: string
  onlineDepth: string
  serviceObjects: string[]
  handlingForms: string[]
}

export interface SituationOption {
  code: string
  label: string
  skipMaterials: string[]
}

export interface Situation {
  code: string
  question: string
  options: SituationOption[]
}

export interface FieldMapping {
  fromField: string
  toField: string
}

export interface BundleEdge {
  from: string
  to: string
  mappings: FieldMapping[]
}

export interface BundleFigures {
  materialsBefore: number
  materialsAfter: number
  daysBefore: number
  daysAfter: number
  visitsBefore: number
  visitsAfter: number
  items: number
  departments: number
  /** 减证办: what is left to bring when the applicant holds every linked 电子证照 (absent from older servers) */
  materialsWithLicences?: number
}

export interface Bundle {
  code: string
  version: number
  name: string
  category: string
  description: string
  departmentCode: string
  departmentName?: string
  situations: Situation[]
  items: { itemCode: string; when: string[]; blocking: boolean }[]
  edges: BundleEdge[]
  /** Sent by GET /catalog/bundles/{code}: the current version of each item, named. */
  itemDetails?: BundleItemDetail[]
}

export interface BundleItemDetail {
  code: string
  name: string
  version: number
  departmentCode: string
  departmentName: string
  promisedLimit: TimeLimit
  visits: number
}

/** A row of GET /catalog/bundles. */
export interface BundleSummary {
  code: string
  version: number
  name: string
  category: string
  description: string
  departmentCode: string
  departmentName: string
  itemCount: number
  situationCount: number
}

/** A selected item of a plan (PlanToJson). */
export interface PlanItem {
  code: string
  critical: boolean
  name?: string
  departmentCode?: string
  departmentName?: string
  promisedLimit?: TimeLimit
  limitWorkingDays?: number
  visits?: number
}

export interface PlanField extends FormField {
  itemCodes: string[]
  filledByPrerequisite: boolean
}

export interface PlanMaterial extends CatalogMaterial {
  itemCodes: string[]
}

export interface BundlePlan {
  items: PlanItem[]
  edges: BundleEdge[]
  fields: PlanField[]
  materials: PlanMaterial[]
  dropped: { material: CatalogMaterial; itemCode: string; reason: string }[]
  criticalPath: string[]
  figures: BundleFigures
  bundle?: { code: string; version: number; name: string }
}

// ---- 办件 (cases; src/http/routes/cases_routes.cc) ----

export type Channel = 'online' | 'counter' | 'kiosk' | 'mobile' | 'agent' | 'home_visit'
export type CaseStatus = 'submitted' | 'correction' | 'refused' | 'in_progress' | 'completed' | 'rejected' | 'delivered'
export type TaskStatus = 'waiting' | 'pending' | 'approved' | 'rejected' | 'cancelled'
export type Delivery = 'electronic' | 'window' | 'express'
export type AcceptMode = 'normal' | 'deferred' | 'commitment'

export interface Deadline {
  date: string
  provisional: boolean
}

export interface Light {
  code: 'green' | 'yellow' | 'red'
  name: string
}

export interface CaseTask {
  id: string
  itemCode: string
  itemVersion: number
  itemName: string
  departmentId: string
  departmentName: string
  status: TaskStatus
  statusName: string
  stepIndex: number
  stepCount: number
  stepName: string
  stepRole: string
  prerequisites: string[]
  blocking: boolean
  startedAt: string | null
  finishedAt: string | null
  deadline: Deadline | null
  pausedDays: number
  light: Light | null
  reason: string
  mapped: Record<string, string>
  result: Record<string, string>
  version: number
}

export interface CaseMaterialRow {
  key: string
  name: string
  need: MaterialNeed
  /** provided, pledged (容缺, due later), missing */
  status: string
  sha256: string
  fileName: string
  contentType: string
  size: number
  pledgeDue: string | null
  pledgeOverdue: boolean
}

export interface TimelineEvent {
  at: string
  actorName: string
  kind: string
  taskId: string
  message: string
}

export interface CorrectionPoint {
  target: string
  message: string
}

export interface CaseFile {
  id: string
  receiptNo: string
  kind: 'item' | 'bundle'
  catalogCode: string
  catalogVersion: number
  title: string
  applicant: { partyId: string; kind: 'person' | 'enterprise' | string; name: string; numberMasked: string }
  channel: Channel
  channelName: string
  agentAuthorisation: string
  answers: Record<string, string>
  form: Record<string, string>
  status: CaseStatus
  statusName: string
  acceptMode: AcceptMode | null
  pledge: string
  submittedAt: string | null
  acceptedAt: string | null
  finishedAt: string | null
  deadline: Deadline | null
  limitWorkingDays: number
  pausedDays: number
  light: Light | null
  suspended: boolean
  correction: CorrectionPoint[]
  outcomeReason: string
  delivery: Delivery
  deliveryAddress: string
  trackingNo: string
  tasks: CaseTask[]
  materials: CaseMaterialRow[]
  timeline: TimelineEvent[]
  version: number
}

export interface CaseSummary {
  id: string
  receiptNo: string
  title: string
  kind: 'item' | 'bundle'
  applicantName: string
  channel: Channel
  channelName: string
  status: CaseStatus
  statusName: string
  submittedAt: string | null
  acceptedAt: string | null
  deadline: Deadline | null
  light: Light | null
  suspended: boolean
}

export interface QueueTask extends CaseTask {
  caseId: string
  receiptNo: string
  caseTitle: string
  applicantName: string
  suspended: boolean
}

export interface BlobInfo {
  sha256: string
  size: number
  contentType: string
}

// ---- 消息 (inbox; src/http/routes/notify_routes.cc) ----

export interface InboxMessage {
  id: string
  title: string
  body: string
  templateCode?: string
  subjectType: string
  subjectId: string
  createdAt: string
  readAt: string | null
}

// ---- 预约 (appointments; src/http/routes/appointments_routes.cc) ----

/** A time range of a hall's day, "HH:MM" in China time. */
export interface Period {
  from: string
  to: string
}

export interface HallSchedule {
  /** 10–240 minutes, dividing each period. */
  slotMinutes: number
  /** 1–60: how far ahead one can book (today is day 0). */
  bookAheadDays: number
  /** Cancellation allowed until this long before the slot. */
  cancelBeforeMinutes: number
  /** The reminder is sent this long before the slot (0 = none). */
  reminderHours: number
  /** Hours on working days (the calendar's, 调休 weekends included). */
  workday: Period[]
  /** 延时服务 on working days (extended). */
  evening: Period[]
  /** 周末服务 on rest days (extended). */
  restday: Period[]
  /** Also open (restday hours) on statutory holidays. */
  restdayOnHolidays: boolean
}

export interface CounterType {
  code: string
  name: string
  /** Items and bundles this counter serves; both empty = any. */
  itemCodes: string[]
  bundleCodes: string[]
  slotCapacity: number
  dayCapacity: number
}

export interface Hall {
  id: string
  code: string
  name: string
  regionCode: string
  address: string
  phone: string
  active: boolean
  version: number
  schedule: HallSchedule
  counterTypes: CounterType[]
}

/** The body of POST/PUT /appointments/halls (PUT also carries the version being edited). */
export type HallInput = Omit<Hall, 'id' | 'version'> & { version?: number }

export type SlotDayKind = 'workday' | 'restday' | 'closed'

export interface Slot {
  start: string
  end: string
  extended: boolean
  capacity: number
  booked: number
  available: number
  /** false for past slots, beyond bookAheadDays, or full (slot or day). */
  bookable: boolean
}

export interface SlotDay {
  date: string
  kind: SlotDayKind
  dayCapacity: number
  dayBooked: number
  slots: Slot[]
}

export interface SlotsAnswer {
  days: SlotDay[]
  /** The counter type the server picked for ?itemCode= / ?bundleCode= (when it says). */
  counterType?: string
}

export type BookingStatus = 'booked' | 'cancelled' | 'checked_in' | 'no_show'

export interface Booking {
  id: string
  bookingNo: string
  hallId: string
  hallName: string
  counterType: string
  counterTypeName: string
  date: string
  start: string
  end: string
  extended: boolean
  itemCode: string
  bundleCode: string
  subjectName: string
  /** Masked in lists (张*三). */
  applicantName: string
  phone: string
  status: BookingStatus
  cancelReason: string
  createdAt: string
  checkedInAt: string | null
  caseId: string
  version: number
}
