// 电子印章: the seal managers' list, create and rotate (seals.manage); a seal's record and
// picture are public (verifiers). Routes: src/http/routes/seal_routes.cc.
import { http } from './http'

export interface SealKey {
  keyId: string
  /** SM2-SM3 / Ed25519 */
  alg: string
  publicKeyPem: string
  createdAtMs: number
  retiredAtMs: number | null
}

export interface Seal {
  id: string
  departmentId: string
  departmentName: string
  name: string
  maker: string
  validFromMs: number
  validToMs: number
  status: string
  createdAtMs: number
  version: number
  /** /api/v1/seals/{id}/picture.png */
  pictureUrl: string
  keys: SealKey[]
}

export async function listSeals(): Promise<Seal[]> {
  const r = await http.get<{ items: Seal[] }>('/seals')
  return r.items ?? []
}

export function getSeal(id: string) {
  return http.get<Seal>(`/seals/${encodeURIComponent(id)}`, undefined, { silent: true, noRedirect: true })
}

export function createSeal(s: { departmentId: string; name: string; maker?: string; validToMs?: number; ed25519?: boolean }) {
  return http.post<Seal>('/seals', s, { silent: true })
}

export function rotateSeal(id: string) {
  return http.post<Seal>(`/seals/${encodeURIComponent(id)}/rotate`, {}, { silent: true })
}
