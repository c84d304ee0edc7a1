// 办件: uploads, applications, acceptance decisions, the department queue and reviewer actions.
import { API_BASE, http } from './http'
import type {
  AcceptMode,
  BlobInfo,
  CaseFile,
  CaseStatus,
  CaseSummary,
  Channel,
  CorrectionPoint,
  Delivery,
  Page,
  PageQuery,
  QueueTask,
} from './types'

/** Uploads a file's bytes (PDF/JPEG/PNG/OFD, ≤ 10 MB; the type is decided by content). */
export function uploadBlob(file: Blob) {
  return http.postRaw<BlobInfo>('/blobs', file, file.type || 'application/octet-stream', { silent: true })
}

export interface MaterialRef {
  key: string
  sha256: string
  fileName: string
}

export interface NewCase {
  kind: 'item' | 'bundle'
  catalogCode: string
  answers: Record<string, string>
  form: Record<string, string>
  materials: MaterialRef[]
  channel: Channel
  applicantPartyId?: string
  agentAuthorisation?: string
  delivery: Delivery
  deliveryAddress?: string
}

export function submitCase(c: NewCase) {
  return http.post<CaseFile>('/cases', c, { silent: true })
}

export function listCases(q: PageQuery & { status?: CaseStatus | ''; q?: string }) {
  return http.get<Page<CaseSummary>>('/cases', { ...q })
}

export function getCase(id: string, silent = false) {
  return http.get<CaseFile>(`/cases/${encodeURIComponent(id)}`, undefined, { silent })
}

/** A submitted material's file (opened in a new tab; the session cookie goes along). */
export function materialUrl(caseId: string, key: string): string {
  return `${API_BASE}/cases/${encodeURIComponent(caseId)}/materials/${encodeURIComponent(key)}`
}

export function acceptCase(id: string, a: { mode: AcceptMode; pledge?: string; pledgeDue?: string }) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/accept`, a, { silent: true })
}

export function refuseCase(id: string, reason: string) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/refuse`, { reason }, { silent: true })
}

export function requestCorrection(id: string, points: CorrectionPoint[]) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/correction`, { points }, { silent: true })
}

export function resubmitCase(id: string, r: { form: Record<string, string>; materials: MaterialRef[] }) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/resubmit`, r, { silent: true })
}

export function handOut(id: string, trackingNo: string) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/hand-out`, { trackingNo }, { silent: true })
}

export function confirmReceipt(id: string) {
  return http.post<CaseFile>(`/cases/${encodeURIComponent(id)}/confirm-receipt`, {}, { silent: true })
}

export function taskQueue() {
  return http.get<{ items: QueueTask[] }>('/tasks/queue')
}

export function approveTask(id: string, a: { comment: string; result: Record<string, string> }) {
  return http.post<CaseFile>(`/tasks/${encodeURIComponent(id)}/approve`, a, { silent: true })
}

export function rejectTask(id: string, reason: string) {
  return http.post<CaseFile>(`/tasks/${encodeURIComponent(id)}/reject`, { reason }, { silent: true })
}

export function returnTask(id: string, reason: string) {
  return http.post<CaseFile>(`/tasks/${encodeURIComponent(id)}/return`, { reason }, { silent: true })
}
