// 电子证照: the licence type catalogue, licences (issue, status, new version, the holder's own,
// public verification), bulk imports with their progress; and consent (授权, 免证办): the holder's
// grants, the dynamic identity QR token, the purpose-bound copy (加注件), and at the counter the
// scan of a token, retrieval under a grant and attaching a licence to a case.
// Routes: src/http/routes/licence_routes.cc, consent_routes.cc; shapes are declared here.
import { API_BASE, http } from './http'

const enc = encodeURIComponent

export type HolderTypeCode = '111' | '001'
export type FaceFieldType = 'text' | 'date' | 'number' | 'id_number' | 'uscc'

export interface FaceField {
  key: string
  label: string
  type: FaceFieldType
  required: boolean
}

export interface LicenceType {
  code: string
  name: string
  definerName: string
  holderType: HolderTypeCode
  holderTypeName: string
  faceFields: FaceField[]
  /** 0 = 长期 */
  validityYears: number
  issuingDepartmentId: string
  issuingDepartmentName: string
  issuerUscc: string
  itemCodes: string[]
  materialKeys: string[]
  version: number
}

export type LicenceStatus = 'valid' | 'suspended' | 'revoked' | 'cancelled' | 'expired' | 'withdrawn' | 'superseded'

export interface Licence {
  identifier: string
  name: string
  typeCode: string
  typeName: string
  number: string
  version: number
  issuerName: string
  issuerUscc: string
  issuingDepartmentId: string
  issueDate: string
  validFrom: string
  /** "" = 长期 */
  validTo: string
  regionCode: string
  holderName: string
  holderCode: string
  holderCodeType: HolderTypeCode
  itemCode: string
  itemName: string
  face: Record<string, unknown>
  status: LicenceStatus
  statusName: string
  statusReason: string
  previousIdentifier: string | null
  supersededBy: string | null
  caseId: string | null
  signature: { sealId: string; keyId: string; alg: string; value: string; signedAt: string }
}

export type VerifyResult =
  | 'valid'
  | 'suspended'
  | 'revoked'
  | 'cancelled'
  | 'expired'
  | 'withdrawn'
  | 'superseded'
  | 'tampered'
  | 'unknown'

export interface LicenceVerification {
  result: VerifyResult
  resultName: string
  message: string
  checkedAt: string
  licence: {
    identifier: string
    name: string
    typeCode: string
    number: string
    version: number
    issuerName: string
    issuerUscc: string
    issueDate: string
    validFrom: string
    validTo: string
    regionCode: string
    holderName: string
    holderCode: string
    holderCodeType: HolderTypeCode
    status: LicenceStatus
    supersededBy: string | null
  } | null
  seal: { sealId: string; sealName: string; departmentName: string; keyId: string; alg: string; publicKeyPem: string } | null
}

export interface ImportRowError {
  line: number
  field: string
  message: string
}

export interface ImportJob {
  id: string
  typeCode: string
  departmentId: string
  fileName: string
  format: 'csv' | 'jsonl'
  /** running / done / failed (as the server names them) */
  state: string
  rowsRead: number
  imported: number
  failed: number
  lastCommittedLine: number
  totalBytes: number
  committedBytes: number
  percent: number
  failure: string
  errors: ImportRowError[]
  startedAt: string
  updatedAt: string
}

/** Lists come as {items: […]}; a bare array is read too. */
function itemsOf<T>(r: { items: T[] } | T[]): T[] {
  return Array.isArray(r) ? r : r.items ?? []
}

// ---- 证照目录 ----

export async function listTypes(): Promise<LicenceType[]> {
  return itemsOf(await http.get<{ items: LicenceType[] }>('/licence-types'))
}

export function getType(code: string) {
  return http.get<LicenceType>(`/licence-types/${enc(code)}`)
}

// ---- 证照 (licences.issue) ----

export interface LicenceQuery {
  page: number
  pageSize: number
  typeCode?: string
  holderCode?: string
  q?: string
  status?: LicenceStatus | ''
  includeSuperseded?: boolean
}

export function listLicences(q: LicenceQuery) {
  return http.get<{ items: Licence[]; total: number }>('/licences', {
    ...q,
    includeSuperseded: q.includeSuperseded ? 'true' : undefined,
  })
}

export function getLicence(identifier: string, silent = false) {
  return http.get<Licence>(`/licences/${enc(identifier)}`, undefined, { silent })
}

export interface NewLicence {
  typeCode: string
  holderName: string
  holderCode: string
  number?: string
  issueDate?: string
  validFrom?: string
  validTo?: string
  regionCode?: string
  itemCode?: string
  itemName?: string
  face: Record<string, unknown>
}

/** Field errors come back under the body's keys (face.<key> for face fields). */
export function issueLicence(n: NewLicence) {
  return http.post<Licence>('/licences', n, { silent: true })
}

export function changeStatus(identifier: string, status: LicenceStatus, reason: string) {
  return http.post<Licence>(`/licences/${enc(identifier)}/status`, { status, reason }, { silent: true })
}

export interface LicenceChange {
  face?: Record<string, unknown>
  holderName?: string
  validTo?: string
  reason: string
}

export function newVersion(identifier: string, c: LicenceChange) {
  return http.post<Licence>(`/licences/${enc(identifier)}/versions`, c, { silent: true })
}

/** Public (no login). */
export function verifyLicence(identifier: string) {
  return http.get<LicenceVerification>(`/licences/${enc(identifier)}/verify`, undefined, { silent: true, noRedirect: true })
}

// ---- 批量导入 ----

export function startImport(q: { typeCode: string; departmentId?: string; format: 'csv' | 'jsonl'; fileName: string }, file: Blob) {
  const qs = new URLSearchParams()
  for (const [k, v] of Object.entries(q)) if (v) qs.append(k, v)
  return http.postRaw<ImportJob>(`/licence-imports?${qs.toString()}`, file, q.format === 'csv' ? 'text/csv' : 'application/x-ndjson', {
    silent: true,
  })
}

export function getImport(id: string) {
  return http.get<ImportJob>(`/licence-imports/${enc(id)}`, undefined, { silent: true })
}

// ---- 我的证照 (self.licences) ----

/** The holder's licences; `all` includes the ones no longer valid. */
export async function myLicences(all = false): Promise<Licence[]> {
  return itemsOf(await http.get<{ items: Licence[] }>('/me/licences', { all: all ? 'true' : undefined }))
}

/** The URL of the holder's purpose-bound copy (加注件, a PDF download). */
export function copyUrl(identifier: string, purpose: string, until: string): string {
  const qs = new URLSearchParams({ purpose, until })
  return `${API_BASE}/me/licences/${enc(identifier)}/copy?${qs.toString()}`
}

// ---- 授权 (consent) ----

export type GrantMode = 'single_use' | 'until_case_closes'
export type GrantStatus = 'active' | 'used' | 'expired' | 'revoked'

export interface Grant {
  id: string
  holderPartyId: string
  holderKind: 'person' | 'enterprise'
  holderName: string
  holderCode: string
  departmentId: string
  departmentName: string
  itemCode: string
  caseId: string | null
  typeCodes: string[]
  purpose: string
  mode: GrantMode
  modeName: string
  /** holder / token */
  source: string
  createdAt: string
  expiresAt: string
  revokedAt: string | null
  usedAt: string | null
  status: GrantStatus
  statusName: string
}

export async function myGrants(status?: GrantStatus | ''): Promise<Grant[]> {
  return itemsOf(await http.get<{ items: Grant[] }>('/me/grants', { status }))
}

export interface NewGrant {
  departmentId: string
  itemCode?: string
  caseId?: string
  typeCodes: string[]
  purpose: string
  /** 1–90, default 7 */
  validDays: number
  mode: GrantMode
}

export function giveGrant(g: NewGrant) {
  return http.post<Grant>('/me/grants', g, { silent: true })
}

export function revokeGrant(id: string) {
  return http.post<Grant>(`/me/grants/${enc(id)}/revoke`, {}, { silent: true })
}

export interface IdentityToken {
  token: string
  tokenId: string
  expiresAt: string
  expiresInSeconds: number
  refreshAfterSeconds: number
  typeCodes: string[]
}

/** A fresh one-time token for the QR code (60 s), limited to `types` when given. */
export function identityToken(types: string[]) {
  return http.get<IdentityToken>('/me/identity-token', { types: types.join(',') }, { silent: true })
}

// ---- 扫码用证 (licences.use) ----

export interface LicenceSummary {
  identifier: string
  name: string
  typeCode: string
  number: string
  version: number
  issuerName: string
  issueDate: string
  validFrom: string
  validTo: string
  holderName: string
  holderCode: string
  status: LicenceStatus
  statusName: string
}

export interface ScanAnswer {
  grant: Grant
  holder: { kind: 'person' | 'enterprise'; name: string; code: string }
  licences: LicenceSummary[]
}

export function scanToken(s: { token: string; itemCode: string; caseId?: string; purpose: string }) {
  return http.post<ScanAnswer>('/licence-retrievals/scan', s, { silent: true })
}

export interface Attachment {
  caseId: string
  caseStatus: string
  materialKey: string
  licenceIdentifier: string
  blobSha256: string
  fileName: string
}

export function attachLicence(a: { grantId: string; identifier: string; caseId: string; materialKey: string }) {
  return http.post<Attachment>('/licence-retrievals', a, { silent: true })
}

// ---- labels ----

export const LICENCE_STATUS_NAMES: Record<string, string> = {
  valid: '有效',
  suspended: '暂扣',
  revoked: '撤销',
  cancelled: '注销',
  expired: '失效',
  withdrawn: '吊销',
  superseded: '已换发',
}

export const LICENCE_STATUS_TAGS: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  valid: 'success',
  suspended: 'warning',
  revoked: 'danger',
  cancelled: 'info',
  expired: 'info',
  withdrawn: 'danger',
  superseded: 'info',
}

export const GRANT_STATUS_TAGS: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  active: 'success',
  used: 'info',
  expired: 'info',
  revoked: 'warning',
}

/** A face value as text ('—' when empty). */
export function faceText(v: unknown): string {
  if (v === null || v === undefined || v === '') return '—'
  return typeof v === 'object' ? JSON.stringify(v) : String(v)
}
