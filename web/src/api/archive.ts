// 个人电子档案 (材料复用): the holder's archive of earlier case materials with their trust level
// (A 部门签发, B 已核验原件, C 上传, D 承诺), reused in a later case with the holder's consent.
// Routes: src/http/routes/archive_routes.cc (docs/API.md "Archive").
import { http } from './http'

const enc = encodeURIComponent

export type TrustLevel = 'A' | 'B' | 'C' | 'D'

export interface ArchiveItem {
  id: string
  holderPartyId: string
  holderKind: 'person' | 'enterprise'
  materialKey: string
  name: string
  blobSha256: string
  fileName: string
  contentType: string
  size: number
  trustLevel: TrustLevel
  trustLevelName: string
  sourceCaseId: string
  sourceCaseTitle: string
  licenceIdentifier: string | null
  verifiedBy: string | null
  verifiedAt: string | null
  reuseCount: number
  createdAt: string
  version: number
}

export interface ReuseAnswer {
  caseId: string
  caseVersion: number
  status: string
  archiveId: string
  material: { key: string; name: string; status: string; blobSha256: string; fileName: string; contentType: string; size: number }
}

/** The holder's own archive (self.licences). */
export async function myArchive(): Promise<ArchiveItem[]> {
  return (await http.get<{ items: ArchiveItem[] }>('/me/archive')).items ?? []
}

/** A party's archive for the counter (an open case of the party, or a live grant); audited. */
export async function partyArchive(partyId: string): Promise<ArchiveItem[]> {
  return (await http.get<{ items: ArchiveItem[] }>(`/parties/${enc(partyId)}/archive`, undefined, { silent: true })).items ?? []
}

/** 核验原件: C → B. */
export function verifyOriginal(id: string) {
  return http.post<ArchiveItem>(`/archive/${enc(id)}/verify-original`, {}, { silent: true })
}

export function reuse(caseId: string, archiveId: string, materialKey: string) {
  return http.post<ReuseAnswer>(`/cases/${enc(caseId)}/reuse`, { archiveId, materialKey }, { silent: true })
}

export const TRUST_TAGS: Record<string, 'success' | 'primary' | 'warning' | 'info'> = { A: 'success', B: 'primary', C: 'warning', D: 'info' }

/** How one material of the applicant's own list is provided (减证办 / 免证办). */
export interface PersonalMaterial {
  key: string
  name: string
  need: string
  licenceType: string
  itemCodes: string[]
  provision: 'licence' | 'archive' | 'upload'
  note: string
  uploadRequired: boolean
  archived: ArchiveItem[]
  licence?: { identifier: string; name: string }
}

export interface PersonalMaterialList {
  materials: PersonalMaterial[]
  byLicence: number
  fromArchive: number
  toUpload: number
}

/** The signed-in applicant's material list for an item or a bundle (with the bundle's answers). */
export function materialList(kind: 'item' | 'bundle', code: string, answers: Record<string, string>) {
  return http.post<PersonalMaterialList>('/me/material-list', { kind, code, answers }, { silent: true })
}

export interface LicencesUsed {
  caseId: string
  caseVersion: number
  status: string
  provided: string[]
  materials: { key: string; name: string; status: string; fileName: string; contentType: string }[]
}

/** The applicant's own valid licences provide the materials the case still lacks. */
export function useLicences(caseId: string) {
  return http.post<LicencesUsed>(`/cases/${enc(caseId)}/use-licences`, {}, { silent: true })
}
