// 证明: proof types, instant generation and online application (self.licences), the
// department's review queue (proofs.review), the PDF, and public verification by code or by the
// QR payload (no login). Routes: src/http/routes/proof_routes.cc.
import { API_BASE, http } from './http'

const enc = encodeURIComponent

export type ProofMode = 'instant' | 'online'
export type ProofStatus = 'pending' | 'valid' | 'rejected' | 'revoked' | 'superseded'

export interface ProofType {
  code: string
  name: string
  departmentId: string
  departmentName: string
  mode: ProofMode
  registerCode: string
  holderKind: 'person' | 'enterprise' | string
  validityDays: number
  /** The labels of the proof's table. */
  fields: string[]
  /** What an online application asks for. */
  inputs: { key: string; label: string; required: boolean }[]
}

export interface Proof {
  id: string
  number: string
  type: string
  typeName: string
  mode: ProofMode
  departmentId: string
  issuerName: string
  holderKind: string
  holderName: string
  holderCodeType: string
  holderCode: string
  purpose: string
  inputs: Record<string, string>
  fields: { label: string; value: string }[]
  body: string
  sources: { register?: string; registerName?: string; source?: string; asOf?: string }[]
  status: ProofStatus
  statusName: string
  reason: string
  verificationCode: string
  statusIndex: number | null
  sealId: string
  keyId: string
  signAlg: string
  signature: string
  signedJson: string
  qrPayload: string
  verifyUrl: string
  pdfUrl: string
  appliedAt: string
  issuedAt: string | null
  validUntil: string | null
}

/** What the public page shows (masked). status: valid / revoked / superseded / expired / pending / unknown. */
export interface ProofVerification {
  status: string
  statusName: string
  verificationCode: string
  number: string
  typeName: string
  issuerName: string
  holderName: string
  holderCode: string
  issuedAt: string | null
  validUntil: string | null
  sealId: string
  keyId: string
  /** Only for a QR payload check. */
  signatureValid?: boolean
}

function itemsOf<T>(r: { items: T[] } | T[]): T[] {
  return Array.isArray(r) ? r : r.items ?? []
}

export async function listProofTypes(): Promise<ProofType[]> {
  return itemsOf(await http.get<{ items: ProofType[] }>('/proof-types'))
}

/** 即时开具 from a register the platform holds. */
export function generateProof(type: string, purpose: string) {
  return http.post<Proof>('/proofs/generate', { type, purpose }, { silent: true })
}

/** 网上申请: reviewed by the department. */
export function applyProof(type: string, purpose: string, inputs: Record<string, string>) {
  return http.post<Proof>('/proofs', { type, purpose, inputs }, { silent: true })
}

export async function myProofs(): Promise<Proof[]> {
  return itemsOf(await http.get<{ items: Proof[] }>('/me/proofs'))
}

export async function reviewQueue(): Promise<Proof[]> {
  return itemsOf(await http.get<{ items: Proof[] }>('/proofs/review'))
}

/** Staff lookup by proof number, verification code, holder's 身份证号 / 信用代码 or name. */
export async function searchProofs(q: string, status = ''): Promise<Proof[]> {
  return (await http.get<{ items: Proof[] }>('/proofs/search', { q, status }, { silent: true })).items ?? []
}

export function getProof(id: string) {
  return http.get<Proof>(`/proofs/${enc(id)}`)
}

export function approveProof(id: string) {
  return http.post<Proof>(`/proofs/${enc(id)}/approve`, {}, { silent: true })
}

export function rejectProof(id: string, reason: string) {
  return http.post<Proof>(`/proofs/${enc(id)}/reject`, { reason }, { silent: true })
}

export function revokeProof(id: string, reason: string) {
  return http.post<Proof>(`/proofs/${enc(id)}/revoke`, { reason }, { silent: true })
}

export function proofPdfUrl(id: string): string {
  return `${API_BASE}/proofs/${enc(id)}/pdf`
}

/** Public: by the 16-character verification code. */
export function verifyProofCode(code: string) {
  return http.get<ProofVerification>(`/verify/proofs/${enc(code)}`, undefined, { silent: true, noRedirect: true })
}

/** Public: by the QR payload (OSP1.…), checked against the seal's key. */
export function verifyProofPayload(payload: string) {
  return http.post<ProofVerification>('/verify/proofs', { payload }, { silent: true, noRedirect: true })
}

export const PROOF_STATUS_TAGS: Record<string, 'success' | 'warning' | 'danger' | 'info' | 'primary'> = {
  pending: 'warning',
  valid: 'success',
  rejected: 'danger',
  revoked: 'danger',
  superseded: 'info',
  expired: 'info',
  unknown: 'info',
}

/** 政务数据查询单: one field of a subject with where it comes from. */
export interface DataSheetRow {
  section: string
  label: string
  value: string
  source: string
  asOf: string
}

export interface DataSheet {
  number: string
  subjectKind: 'person' | 'enterprise'
  subjectName: string
  subjectCode: string
  purpose: string
  requestedBy: string
  requestedByDepartment: string
  generatedAt: string
  rows: DataSheetRow[]
}

/** Staff: the sheet for a 身份证号 / 统一社会信用代码 with the stated purpose (audited). */
export function dataSheet(subjectCode: string, purpose: string) {
  return http.post<DataSheet>('/data-sheets', { subjectCode, purpose }, { silent: true })
}

/** The same sheet as a PDF file. */
export function dataSheetPdf(subjectCode: string, purpose: string) {
  return http.postForBlob('/data-sheets/pdf', { subjectCode, purpose }, { silent: true })
}
