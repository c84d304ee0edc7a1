// 事项目录与一件事: public reads (the portal needs no login), admin writes (catalog.manage).
import { API_BASE, http } from './http'
import type { Bundle, BundlePlan, BundleSummary, CatalogItem, Page, PageQuery } from './types'

/** A row of the item list: the summary fields the search sends (a subset of the item). */
export type ItemSummary = Pick<CatalogItem, 'code' | 'name' | 'departmentCode'> & Partial<CatalogItem> & { materialCount?: number }

export interface ItemFilter {
  q?: string
  department?: string
  /** 服务对象 (GB/T 39046 A.4): 1 自然人, 2 企业法人 … */
  object?: number | ''
}

/** GET /catalog/items (offset/limit on the wire; page/pageSize here, as the other lists). */
export async function listItems(q: PageQuery & ItemFilter): Promise<Page<ItemSummary>> {
  const r = await http.get<{ items: ItemSummary[]; total: number }>('/catalog/items', {
    q: q.q,
    department: q.department,
    object: q.object,
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
  })
  return { items: r.items, total: r.total }
}

export function getItem(code: string, version?: number) {
  return http.get<CatalogItem>(`/catalog/items/${encodeURIComponent(code)}`, { version })
}

export function listBundles() {
  return http.get<{ items: BundleSummary[] }>('/catalog/bundles')
}

export function getBundle(code: string, version?: number) {
  return http.get<Bundle>(`/catalog/bundles/${encodeURIComponent(code)}`, { version })
}

/** The plan for a set of situation answers; errors (catalog.missing_answer …) name answers.<code>.
 *  With `bundle` (its detail), the plan's items get their department names. */
export async function planBundle(code: string, answers: Record<string, string>, bundle?: Bundle | null) {
  const plan = await http.post<BundlePlan>(`/catalog/bundles/${encodeURIComponent(code)}/plan`, { answers }, { silent: true })
  if (bundle?.itemDetails) {
    for (const i of plan.items) i.departmentName ??= bundle.itemDetails.find((d) => d.code === i.code)?.departmentName
  }
  return plan
}

/** The dropped materials of a plan, one line per material and reason, with the items that
 *  would have asked for it (the server lists one entry per item). */
export function droppedGroups(plan: BundlePlan): { name: string; reason: string; itemCodes: string[] }[] {
  const out: { name: string; reason: string; itemCodes: string[] }[] = []
  for (const d of plan.dropped) {
    const g = out.find((x) => x.name === d.material.name && x.reason === d.reason)
    if (g) g.itemCodes.push(d.itemCode)
    else out.push({ name: d.material.name, reason: d.reason, itemCodes: [d.itemCode] })
  }
  return out
}

/** Answers that pick each situation's first option (the most common case, for overview figures). */
export function firstAnswers(b: Pick<Bundle, 'situations'>): Record<string, string> {
  return Object.fromEntries(b.situations.filter((s) => s.options.length).map((s) => [s.code, s.options[0].code]))
}

/** The QR code (SVG) of the guide page, for an <img src>. */
export function qrUrl(kind: 'item' | 'bundle', code: string): string {
  return `${API_BASE}/catalog/${kind === 'item' ? 'items' : 'bundles'}/${encodeURIComponent(code)}/qr.svg`
}

// ---- 管理 (catalog.manage) ----

/** Saves a new version; the JSON's "version" is the version being edited (0 for a new one). */
export function saveItem(code: string, item: unknown) {
  return http.put<CatalogItem>(`/catalog/items/${encodeURIComponent(code)}`, item, { silent: true })
}

export function saveBundle(code: string, bundle: unknown) {
  return http.put<Bundle>(`/catalog/bundles/${encodeURIComponent(code)}`, bundle, { silent: true })
}

/** The plan of an unsaved bundle (the editor's live figures); errors name `bundle.<path>` or
 *  `answers.<situation>`. Nothing is written. */
export function previewPlan(bundle: unknown, answers: Record<string, string>) {
  return http.post<BundlePlan>('/catalog/plan-preview', { bundle, answers }, { silent: true })
}

export interface ImportReport {
  itemsNew: number
  itemsNewVersion: number
  itemsUnchanged: number
  bundlesNew: number
  bundlesNewVersion: number
  bundlesUnchanged: number
}

/** Sends the exchange text exactly as written, so that "第 L 行" in the errors names its lines. */
export function importCatalog(text: string) {
  return http.postRaw<ImportReport>('/catalog/import', text, 'application/json', { silent: true })
}

/** The whole catalogue in the exchange format, as text. */
export async function exportCatalog(): Promise<string> {
  const r = await fetch(`${API_BASE}/catalog/export`, { credentials: 'include', headers: { Accept: 'application/json' } })
  if (!r.ok) throw new Error(r.status === 403 ? '无权导出事项目录' : `导出失败（HTTP ${r.status}）`)
  return r.text()
}
