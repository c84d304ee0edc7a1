// 政策超市 / 免申即享: the policy library (public search and detail), facts and the rule / formula
// parsers of the rule builder, 试算, enterprise data imports, 为我推荐, offers (确认享受 / 放弃),
// 快申快享, campaigns (比对 → 预审 → 审核 → 告知 → 确认 → 拨付 → 公示), payment batches with the
// bank's reconciliation, clawback, the 每笔资金去向 trace and the public 公示.
// Routes: src/http/routes/policy_routes.cc (see docs/openapi.json). Money is integer fen.
import { http } from './http'

const enc = encodeURIComponent

export type PolicyLevel = 'central' | 'province' | 'city' | 'county'
export type PolicyCategory = 'tax' | 'cost' | 'grant' | 'finance' | 'factor'
export type ItemMode = 'exempt' | 'quick'

export const POLICY_LEVELS: { value: PolicyLevel; label: string }[] = [
  { value: 'central', label: '国家级' },
  { value: 'province', label: '省级' },
  { value: 'city', label: '市级' },
  { value: 'county', label: '县级' },
]
export const POLICY_CATEGORIES: { value: PolicyCategory; label: string }[] = [
  { value: 'tax', label: '税收优惠' },
  { value: 'cost', label: '降本增效' },
  { value: 'grant', label: '资金奖补' },
  { value: 'finance', label: '金融支持' },
  { value: 'factor', label: '要素保障' },
]
export const MODE_NAMES: Record<string, string> = { exempt: '免申即享', quick: '快申快享' }
export const POLICY_STATUS_NAMES: Record<string, string> = { draft: '草稿', published: '已发布', retired: '已废止' }
export const ITEM_STATUS_NAMES: Record<string, string> = { draft: '草稿', open: '受理中', closed: '已截止' }

export interface Policy {
  id: string
  title: string
  docNo: string
  issuer: string
  level: PolicyLevel | string
  levelName?: string
  publishedOn: string
  effectiveOn: string
  expiresOn: string
  category: PolicyCategory | string
  categoryName?: string
  tags: string[]
  fullText?: string
  departmentId: string
  departmentName?: string
  status: string
  statusName?: string
  version: number
  items?: PolicyItem[]
}

export interface PolicyItem {
  id: string
  policyId: string
  title: string
  mode: ItemMode | string
  modeName?: string
  budgetFen: number
  windowFrom: string
  windowTo: string
  publicityDays: number
  departmentId: string
  status: string
  statusName?: string
  version: number
  ruleVersion?: number
  ruleJson?: string | RuleNode
  ruleText?: string
  ruleTextZh?: string
  formulaText?: string
  formulaTextZh?: string
  formulaJson?: unknown
  effectiveFrom?: string
}

export interface PolicyInput {
  title: string
  docNo: string
  issuer: string
  level: string
  publishedOn: string
  effectiveOn: string
  expiresOn: string
  category: string
  tags: string[]
  fullText: string
  departmentId: string
  version?: number
}

export interface ItemInput {
  title: string
  mode: string
  budgetFen: number
  windowFrom: string
  windowTo: string
  publicityDays: number
  status: string
  ruleJson?: string
  ruleText?: string
  formulaText?: string
  effectiveFrom?: string
  version?: number
}

export interface RuleVersion {
  itemId?: string
  version: number
  ruleJson?: string | RuleNode
  ruleText?: string
  ruleTextZh?: string
  formulaText?: string
  formulaTextZh?: string
  effectiveFrom: string
  createdBy?: string
  createdAt?: string
}

export type FactType = 'number' | 'string' | 'bool'
export interface FactDef {
  key: string
  label: string
  type: FactType | string
  typeName?: string
  source?: string
  unit?: string
}

/** The neutral rule JSON: {all:[…]} {any:[…]} {not:c} {fact,op,value}. */
export type RuleNode =
  | { all: RuleNode[] }
  | { any: RuleNode[] }
  | { not: RuleNode }
  | { fact: string; op: string; value: unknown }

export interface ExplainLeaf {
  label: string
  text: string
  held: boolean
  missing: boolean
  negated: boolean
}
export interface Explanation {
  eligible: boolean
  leaves: ExplainLeaf[]
}

export interface DryRun {
  count: number
  enterprises: number
  totalFen: number
  overBudget: boolean
  sample: { enterpriseId: string; name: string; amountFen: number; explanation: Explanation }[]
  misses: { enterpriseId: string; name: string; explanation: Explanation }[]
}

export interface Recommendation {
  itemId: string
  itemTitle: string
  mode: string
  policyId: string
  policyTitle: string
  category: string
  eligible: boolean
  amountFen: number | null
  explanation: Explanation
}

export interface Payment {
  id: string
  voucherNo?: string
  batchId?: string
  offerId?: string
  enterpriseName?: string
  bankSerial?: string
  bankNote?: string
  resultAt?: string | null
  createdAt?: string
  status: string
  statusName?: string
  amountFen: number
  paidAt?: string | null
  bankRef?: string
  failure?: string
  clawedBackAt?: string | null
}

export interface Offer {
  id: string
  campaignId: string
  itemId?: string
  itemTitle: string
  policyTitle: string
  period: string
  enterpriseId?: string
  enterpriseName?: string
  amountFen: number
  status: string
  statusName?: string
  confirmBy?: string
  reason?: string
  explanation?: Explanation
  payment?: Payment | null
  account?: BankAccount | null
  confirmedAt?: string | null
  notifiedAt?: string | null
}

export interface BankAccount {
  accountName: string
  bankName: string
  accountNo: string
}

export interface CampaignStep {
  code: string
  name: string
  state: string
  light: 'green' | 'yellow' | 'red' | string
  dueOn: string
  doneAt: string | null
}

export interface Campaign {
  id: string
  itemId: string
  itemTitle?: string
  policyTitle?: string
  period: string
  status: string
  statusName?: string
  due?: Record<string, string>
  publicityFrom?: string
  publicityTo?: string
  createdAt?: string
}

export interface Batch {
  id: string
  campaignId?: string
  status: string
  statusName?: string
  count: number
  totalFen: number
  createdAt?: string
  report?: ReconcileReport | null
}

export interface CampaignConsole {
  campaign: Campaign
  itemTitle?: string
  policyTitle?: string
  offeredFen?: number
  steps: CampaignStep[]
  counts: Record<string, number>
  budget: { budgetFen?: number; totalFen?: number; paidFen?: number; overBudget?: boolean; [k: string]: unknown }
  batches?: Batch[]
}

export interface ReconcileReport {
  paid: number
  failed: number
  /** "第N行：…" (or {line, message}); such a row changed nothing. */
  errors: (string | { line: number; message: string })[]
}

export interface TraceStep {
  code?: string
  title: string
  at?: string | null
  text?: string
  facts?: { fact: string; label: string; value: unknown; source: string; asOf: string }[]
}
export interface PaymentTrace {
  payment?: Payment
  steps?: TraceStep[]
  [k: string]: unknown
}

export interface ImportJob {
  id: string
  status: string
  statusName?: string
  fileName?: string
  format?: string
  source?: string
  asOf?: string
  lines: number
  rowsOk: number
  added: number
  changed: number
  unchanged: number
  errorCount: number
  errors: { line: number; message: string }[]
  /** Why the job failed (status failed). */
  failure?: string
  createdAt?: string
  startedAt?: string
  finishedAt?: string | null
}

export interface FactSnapshot {
  enterpriseId: string
  name: string
  facts: { fact: string; label: string; value: unknown; source: string; asOf: string }[]
}

export interface Notice {
  campaignId: string
  policyTitle: string
  docNo: string
  itemTitle: string
  period: string
  from: string
  to: string
  recipients: { name: string; enterpriseId: string; amountFen: number }[]
  totalFen: number
}

export interface PolicySearch {
  q?: string
  category?: string
  level?: string
  departmentId?: string
  tag?: string
  open?: boolean
  all?: boolean
  offset?: number
  limit?: number
}

/** A list answer is either a bare array or {items,total}; both become an array. */
function items<T>(v: T[] | { items: T[] }): T[] {
  return Array.isArray(v) ? v : (v?.items ?? [])
}

// ---- library (public) ----
export const searchPolicies = (q: PolicySearch) =>
  http.get<{ items: Policy[]; total: number }>('/policies', {
    q: q.q,
    category: q.category,
    level: q.level,
    departmentId: q.departmentId,
    tag: q.tag,
    open: q.open ? 1 : undefined,
    all: q.all ? 1 : undefined,
    offset: q.offset,
    limit: q.limit,
  })
export const getPolicy = (id: string) => http.get<Policy>(`/policies/${enc(id)}`)
export const facts = async () => items(await http.get<FactDef[] | { items: FactDef[] }>('/policy-facts'))
export const notices = async () => items(await http.get<Notice[] | { items: Notice[] }>('/policy-notices'))

// ---- editing (catalog.manage) ----
export const createPolicy = (p: PolicyInput) => http.post<Policy>('/policies', p, { silent: true })
export const updatePolicy = (id: string, p: PolicyInput) => http.put<Policy>(`/policies/${enc(id)}`, p, { silent: true })
export const publishPolicy = (id: string) => http.post<Policy>(`/policies/${enc(id)}/publish`)
export const retirePolicy = (id: string) => http.post<Policy>(`/policies/${enc(id)}/retire`)
export const addItem = (policyId: string, i: ItemInput) =>
  http.post<PolicyItem>(`/policies/${enc(policyId)}/items`, i, { silent: true })
export const updateItem = (id: string, i: ItemInput) => http.put<PolicyItem>(`/policy-items/${enc(id)}`, i, { silent: true })
export const ruleVersions = async (itemId: string) =>
  items(await http.get<RuleVersion[] | { items: RuleVersion[] }>(`/policy-items/${enc(itemId)}/rules`))
export const parseRule = (body: { text: string } | { json: string }) =>
  http.post<{ json: string | RuleNode; text: string; textZh: string }>('/policy-rules/parse', body, { silent: true })
export const parseFormula = (text: string) =>
  http.post<{ json: unknown; text: string; textZh?: string }>('/policy-formulas/parse', { text }, { silent: true })
export const dryRun = (body: { ruleJson?: string; ruleText?: string; formulaText: string; budgetFen: number; sample?: number }) =>
  http.post<DryRun>('/policy-dry-run', body, { silent: true })

// ---- enterprise data ----
export const importEnterprises = (file: Blob, q: { format: string; fileName: string; source: string; asOf: string }) =>
  http.postRaw<ImportJob>(
    `/enterprise-imports?format=${enc(q.format)}&fileName=${enc(q.fileName)}&source=${enc(q.source)}&asOf=${enc(q.asOf)}`,
    file,
    q.format === 'csv' ? 'text/csv' : 'application/x-ndjson',
    { silent: true },
  )
export const imports = async () => items(await http.get<ImportJob[] | { items: ImportJob[] }>('/enterprise-imports'))
export const importJob = (id: string) => http.get<ImportJob>(`/enterprise-imports/${enc(id)}`)
export const enterpriseFacts = (id: string) => http.get<FactSnapshot>(`/enterprises/${enc(id)}/facts`)

// ---- the enterprise's own ----
export const recommendations = async () =>
  items(await http.get<Recommendation[] | { items: Recommendation[] }>('/me/policy-recommendations'))
export const myOffers = async () => items(await http.get<Offer[] | { items: Offer[] }>('/me/policy-offers'))
export const confirmOffer = (id: string, account: BankAccount) =>
  http.post<Offer>(`/policy-offers/${enc(id)}/confirm`, account, { silent: true })
export const myPayouts = async () => items(await http.get<Payment[] | { items: Payment[] }>('/me/policy-payouts'))
export const declineOffer = (id: string) => http.post<Offer>(`/policy-offers/${enc(id)}/decline`)
export interface ApplicationForm {
  itemId: string
  itemTitle: string
  ruleVersion: number
  enterpriseId: string
  enterpriseName: string
  fields: { key: string; label: string; unit?: string; value: unknown; source?: string; asOf?: string }[]
  eligible: boolean
  explanation: Explanation
  amountFen: number | null
}
export const prefill = (itemId: string) => http.get<ApplicationForm>(`/policy-items/${enc(itemId)}/prefill`)
export const applyQuick = (itemId: string, period: string) =>
  http.post<Offer>(`/policy-items/${enc(itemId)}/apply`, { period }, { silent: true })

// ---- campaigns ----
export const CAMPAIGN_STEPS: { code: string; name: string }[] = [
  { code: 'compare', name: '数据比对' },
  { code: 'prereview', name: '系统预审' },
  { code: 'review', name: '人工初核' },
  { code: 'notify', name: '通知' },
  { code: 'confirm', name: '意愿确认' },
  { code: 'pay', name: '拨付' },
  { code: 'publicize', name: '公示' },
]
export const OFFER_STATUS_NAMES: Record<string, string> = {
  matched: '比对符合',
  excluded: '预审排除',
  pending_review: '待初核',
  approved: '初核通过',
  rejected: '初核不通过',
  notified: '已通知',
  confirmed: '已确认',
  declined: '已放弃',
  batched: '拨付中',
  paid: '已拨付',
}
export const createCampaign = (body: { itemId: string; period: string; due: Record<string, string> }) =>
  http.post<Campaign>('/policy-campaigns', body, { silent: true })
export const campaigns = async () => items(await http.get<Campaign[] | { items: Campaign[] }>('/policy-campaigns'))
export const campaign = (id: string) => http.get<CampaignConsole>(`/policy-campaigns/${enc(id)}`)
export type CampaignAction = 'compare' | 'prereview' | 'approve-all' | 'notify' | 'batches' | 'publicize'
export const campaignAction = (id: string, action: CampaignAction) =>
  http.post<unknown>(`/policy-campaigns/${enc(id)}/${action}`)
export const campaignOffers = async (id: string, status?: string) =>
  items(await http.get<Offer[] | { items: Offer[] }>(`/policy-campaigns/${enc(id)}/offers`, { status }))
export const reviewOffer = (id: string, approve: boolean, reason: string) =>
  http.post<Offer>(`/policy-offers/${enc(id)}/review`, { approve, reason }, { silent: true })
export const campaignPayments = async (id: string) =>
  items(await http.get<Payment[] | { items: Payment[] }>(`/policy-campaigns/${enc(id)}/payments`))
export const batchFile = (id: string) => http.get<Blob>(`/payment-batches/${enc(id)}/file`, undefined, { blob: true })
export const reconcile = (id: string, csv: Blob | string) =>
  http.postRaw<ReconcileReport>(`/payment-batches/${enc(id)}/reconcile`, csv, 'text/csv', { silent: true })
export const clawback = (paymentId: string, reason: string) =>
  http.post<Payment>(`/policy-payments/${enc(paymentId)}/clawback`, { reason }, { silent: true })
export const paymentTrace = (paymentId: string) => http.get<PaymentTrace>(`/policy-payments/${enc(paymentId)}/trace`)

// ---- display ----
/** 123456 fen → "1,234.56 元". */
export function yuan(fen: number | null | undefined): string {
  if (fen === null || fen === undefined || Number.isNaN(fen)) return '—'
  const neg = fen < 0
  const abs = Math.abs(Math.round(fen))
  const s = `${Math.floor(abs / 100).toLocaleString('zh-CN')}.${String(abs % 100).padStart(2, '0')} 元`
  return neg ? '-' + s : s
}

/** The rule as an object, whether the server sent it as JSON text or as JSON. */
export function ruleObject(r: string | RuleNode | undefined | null): RuleNode | null {
  if (!r) return null
  if (typeof r !== 'string') return r
  try {
    return JSON.parse(r) as RuleNode
  } catch {
    return null
  }
}

// 快申快享 review (cases.review): the department's pending applications, oldest first.
export const applicationQueue = async () =>
  items(await http.get<Offer[] | { items: Offer[] }>('/policy-applications/review'))
