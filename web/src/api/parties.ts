// 群众与企业: natural persons (自然人) and enterprises (企业).
import { http } from './http'
import type { Enterprise, Page, PageQuery, Person } from './types'

export function listPersons(q: PageQuery & { q?: string }) {
  return http.get<Page<Person>>('/persons', { ...q })
}

/** Reads one person; the server audits the read with `purpose` (事由). */
export function getPerson(id: string, purpose: string) {
  return http.get<Person>(`/persons/${encodeURIComponent(id)}`, { purpose })
}

export function createPerson(p: { name: string; idNumber: string; phone: string }) {
  return http.post<Person>('/persons', p, { silent: true })
}

export function listEnterprises(q: PageQuery & { q?: string }) {
  return http.get<Page<Enterprise>>('/enterprises', { ...q })
}

export function getEnterprise(id: string) {
  return http.get<Enterprise>(`/enterprises/${encodeURIComponent(id)}`)
}

export interface NewEnterprise {
  name: string
  uscc: string
  legalRepresentative: string
  regionCode: string
  industry: string
  confirmLegacyUscc: boolean
}

export function createEnterprise(e: NewEnterprise) {
  return http.post<Enterprise>('/enterprises', e, { silent: true })
}
