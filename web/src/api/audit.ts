// 审计: the hash-chained audit log, its statistics and the citizen's own access log.
import { http } from './http'
import type { AuditEntry, AuditVerifyResult, Page, PageQuery } from './types'

export interface AuditQuery extends PageQuery {
  actor?: string
  action?: string
  subject?: string
  from?: string
  to?: string
}

export function listEntries(q: AuditQuery) {
  return http.get<Page<AuditEntry>>('/audit/entries', { ...q })
}

export function stats(days = 14) {
  return http.get<{ days: { date: string; count: number }[] }>('/audit/stats', { days })
}

export function verifyChain() {
  return http.post<AuditVerifyResult>('/audit/verify', {})
}

export function myAccess(q: PageQuery) {
  return http.get<Page<AuditEntry>>('/audit/my-access', { ...q })
}
