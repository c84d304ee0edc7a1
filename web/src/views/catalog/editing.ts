// The form editors of 事项 and 一件事 (ItemEditor, BundleEditor): blank entries, the model kept
// to the exchange keys (the server reads strictly), and the server's field errors — JSON paths
// such as "materials[2].name" — shown under their inputs (each input's el-form-item carries
// data-path) and listed at the top with the tab that holds them.
import { nextTick, reactive, watch } from 'vue'
import type { WatchSource } from 'vue'
import { isApiError } from '@/api/http'
import type { Bundle, CatalogItem } from '@/api/types'
import { checkUscc } from '@/utils/validators'
import { BUNDLE_KEYS, ITEM_KEYS } from './exchange'

export type ItemModel = Omit<CatalogItem, 'labels'>
export type BundleModel = Omit<Bundle, 'itemDetails' | 'departmentName'>

/** A new item that passes the server's consistency rules once its codes, name and department are set. */
export function blankItem(): ItemModel {
  return {
    code: '',
    basicCode: '',
    version: 0,
    name: '',
    departmentCode: '',
    itemType: '01',
    level: 4,
    serviceObjects: [1],
    handlingForms: [1, 2],
    caseType: 2,
    statutoryLimit: { value: 20, unit: 'working_days', note: '' },
    promisedLimit: { value: 10, unit: 'working_days', note: '' },
    charged: false,
    feeFen: 0,
    feeBasis: '',
    onlinePayment: false,
    onlineDepth: 3,
    visits: 0,
    onsiteReason: '',
    mailApplication: false,
    conditions: '',
    legalBasis: '',
    explanation: '',
    result: { name: '', materialKey: '', licenceType: '', fields: [] },
    appointment: false,
    expressDelivery: false,
    commitmentAllowed: false,
    deemedApprovalAllowed: false,
    deemedApprovalDays: null,
    materials: [],
    fields: [],
    steps: [
      { name: '受理', role: 'counter_clerk', departmentCode: '', limitWorkingDays: 1 },
      { name: '决定', role: 'reviewer', departmentCode: '', limitWorkingDays: null },
    ],
  }
}

export function blankMaterial(): CatalogItem['materials'][number] {
  return { key: '', name: '', need: 'required', originals: 1, copies: 0, paperSize: 'A4', source: 10, issuer: '', licenceType: '', blankFormUrl: '', sampleUrl: '', note: '' }
}

export function blankField(): CatalogItem['fields'][number] {
  return { key: '', label: '', type: 'text', required: true, options: [], maxLength: 100, min: null, max: null, hint: '' }
}

export function blankBundle(): BundleModel {
  return { code: '', version: 0, name: '', category: 'person', description: '', departmentCode: '', situations: [], items: [], edges: [] }
}

/** A deep copy of plain data (reactive proxies included, which structuredClone refuses). */
export function plain<T>(v: T): T {
  return v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T)
}

/** A deep copy of `o` with only the exchange keys (what PUT accepts), over `blank`'s defaults. */
export function itemModel(o: Partial<CatalogItem>): ItemModel {
  const out = blankItem() as unknown as Record<string, unknown>
  for (const k of ITEM_KEYS) if (k in o && (o as Record<string, unknown>)[k] !== undefined) out[k] = plain((o as Record<string, unknown>)[k])
  return out as unknown as ItemModel
}

export function bundleModel(o: Partial<Bundle>): BundleModel {
  const out = blankBundle() as unknown as Record<string, unknown>
  for (const k of BUNDLE_KEYS) if (k in o && (o as Record<string, unknown>)[k] !== undefined) out[k] = plain((o as Record<string, unknown>)[k])
  const b = out as unknown as BundleModel
  b.items = b.items.map((i) => ({ itemCode: i.itemCode, when: [...(i.when ?? [])], blocking: i.blocking ?? true }))
  return b
}

/** Moves element `i` of `list` by `d` (−1 up, +1 down). */
export function move<T>(list: T[], i: number, d: number) {
  const j = i + d
  if (j < 0 || j >= list.length) return
  const [x] = list.splice(i, 1)
  list.splice(j, 0, x)
}

// ---- the server's field errors ----

/** The value at a JSON path ("materials[2].name") of `root`, or undefined. */
export function valueAt(root: unknown, path: string): unknown {
  let v: unknown = root
  for (const part of path.match(/[^.[\]]+/g) ?? []) {
    if (v === null || typeof v !== 'object') return undefined
    v = (v as Record<string, unknown>)[part]
  }
  return v
}

export interface ListedError {
  path: string
  message: string
  tab: string
  where: string
}

/**
 * The server's field errors of the last save, by path. An error goes away once the value at its
 * path changes (the next save checks everything again).
 */
export function useFieldErrors(model: WatchSource<unknown>, describe: (path: string) => { tab: string; where: string }) {
  const state = reactive({ message: '', byPath: {} as Record<string, string>, seen: {} as Record<string, string>, list: [] as ListedError[] })

  function clear() {
    state.message = ''
    state.byPath = {}
    state.seen = {}
    state.list = []
  }

  /** Records an ApiError (its fields, with `strip` removed from the front of each path). */
  function apply(e: unknown, root: unknown, strip = '') {
    clear()
    if (!isApiError(e)) {
      state.message = e instanceof Error ? e.message : '保存失败'
      return
    }
    state.message = e.message
    for (const f of e.fields) {
      const path = strip && f.field.startsWith(strip) ? f.field.slice(strip.length) : f.field
      state.byPath[path] = state.byPath[path] ? `${state.byPath[path]}；${f.message}` : f.message
      state.seen[path] = JSON.stringify(valueAt(root, path) ?? null)
      state.list.push({ path, message: f.message, ...describe(path) })
    }
  }

  watch(
    model,
    (root) => {
      for (const path of Object.keys(state.byPath)) {
        if (JSON.stringify(valueAt(root, path) ?? null) !== state.seen[path]) delete state.byPath[path]
      }
    },
    { deep: true },
  )

  /** The message at exactly `path` ('' when none). */
  const at = (path: string) => state.byPath[path] ?? ''
  /** Messages at `path` and below it ("serviceObjects[1]" under "serviceObjects"). */
  const under = (path: string) =>
    Object.entries(state.byPath)
      .filter(([p]) => p === path || p.startsWith(path + '[') || p.startsWith(path + '.'))
      .map(([, m]) => m)
      .join('；')
  /** How many of the listed errors are still open on `tab`. */
  const countOn = (tab: string) => state.list.filter((x) => x.tab === tab && x.path in state.byPath).length

  return { state, clear, apply, at, under, countOn }
}

/** Shows the input of `path` (or of the nearest path above it): scrolls to it and focuses it. */
export async function revealPath(path: string) {
  await nextTick()
  await new Promise((r) => setTimeout(r, 50))
  let p = path
  for (;;) {
    const el = document.querySelector<HTMLElement>(`[data-path="${CSS.escape(p)}"]`)
    if (el) {
      el.scrollIntoView({ block: 'center', behavior: 'smooth' })
      el.querySelector<HTMLElement>('input:not([type=hidden]):not([readonly]), textarea')?.focus({ preventScroll: true })
      el.classList.add('flash')
      setTimeout(() => el.classList.remove('flash'), 1600)
      return
    }
    const cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['))
    if (cut <= 0) return
    p = p.slice(0, cut)
  }
}

const idx = (path: string, name: string) => {
  const m = new RegExp(`^${name}\\[(\\d+)\\]`).exec(path)
  return m ? Number(m[1]) + 1 : 0
}

const ITEM_LABELS: Record<string, string> = {
  code: '实施编码',
  basicCode: '基本编码',
  name: '事项名称',
  departmentCode: '实施主体',
  itemType: '事项类型',
  level: '行使层级',
  serviceObjects: '服务对象',
  handlingForms: '办理形式',
  caseType: '办件类型',
  statutoryLimit: '法定办结时限',
  promisedLimit: '承诺办结时限',
  charged: '是否收费',
  feeFen: '收费标准',
  feeBasis: '收费依据',
  onlinePayment: '网上支付',
  onlineDepth: '网上办理深度',
  visits: '到办事现场次数',
  onsiteReason: '必须现场办理原因',
  mailApplication: '邮寄申请',
  conditions: '受理条件',
  legalBasis: '设定依据',
  explanation: '办事说明',
  appointment: '预约办理',
  expressDelivery: '结果快递送达',
  commitmentAllowed: '告知承诺',
  deemedApprovalAllowed: '超时默认',
  deemedApprovalDays: '超时默认时限',
}
const MATERIAL_COLS: Record<string, string> = {
  key: '材料键', name: '材料名称', need: '必要性', originals: '原件份数', copies: '复印件份数', paperSize: '纸质规格', source: '来源渠道',
  issuer: '出具机构', licenceType: '电子证照类型', blankFormUrl: '空白表格', sampleUrl: '示例样表', note: '填报须知',
}
const FIELD_COLS: Record<string, string> = { key: '字段键', label: '字段名称', type: '类型', required: '必填', options: '选项', maxLength: '最大长度', min: '最小值', max: '最大值', hint: '填写提示' }
const STEP_COLS: Record<string, string> = { name: '环节名称', role: '办理角色', departmentCode: '办理部门', limitWorkingDays: '环节时限' }
const RESULT_COLS: Record<string, string> = { name: '结果名称', materialKey: '结果材料键', licenceType: '电子证照类型', fields: '结果字段' }

const col = (path: string, cols: Record<string, string>) => cols[/\.(\w+)(\[\d+\])?$/.exec(path)?.[1] ?? ''] ?? ''

export const ITEM_TABS = { basic: '基本信息', materials: '材料', fields: '表单字段', steps: '办理流程', result: '办理结果', json: '高级（JSON）' }

/** The tab and a Chinese description of an item error's path. */
export function describeItemPath(path: string): { tab: string; where: string } {
  if (path.startsWith('materials')) return { tab: 'materials', where: `第 ${idx(path, 'materials')} 份材料 · ${col(path, MATERIAL_COLS)}` }
  if (path.startsWith('fields')) return { tab: 'fields', where: `第 ${idx(path, 'fields')} 个字段 · ${col(path, FIELD_COLS)}` }
  if (path === 'steps') return { tab: 'steps', where: '办理环节' }
  if (path.startsWith('steps')) return { tab: 'steps', where: `第 ${idx(path, 'steps')} 个环节 · ${col(path, STEP_COLS)}` }
  if (path.startsWith('result')) return { tab: 'result', where: RESULT_COLS[path.split(/[.[]/)[1] ?? ''] ?? '办理结果' }
  const top = path.split(/[.[]/)[0]
  return { tab: top in ITEM_LABELS ? 'basic' : '', where: ITEM_LABELS[top] ?? path }
}

export const BUNDLE_TABS = { basic: '基本信息', situations: '情形', items: '事项', edges: '前置关系', json: '高级（JSON）' }

/** The tab and a Chinese description of a bundle error's path. */
export function describeBundlePath(path: string): { tab: string; where: string } {
  const basic: Record<string, string> = { code: '一件事编码', name: '一件事名称', category: '类别', description: '简介', departmentCode: '牵头部门' }
  if (path in basic) return { tab: 'basic', where: basic[path] }
  if (path.startsWith('situations')) {
    const s = idx(path, 'situations')
    const o = /options\[(\d+)\]/.exec(path)
    const tail = /\.(\w+)(\[\d+\])?$/.exec(path)?.[1] ?? ''
    const what: Record<string, string> = { code: '编码', question: '问题', options: '选项', label: '选项名称', skipMaterials: '免交材料' }
    return { tab: 'situations', where: `第 ${s} 个情形${o ? ` · 第 ${Number(o[1]) + 1} 个选项` : ''} · ${what[tail] ?? ''}` }
  }
  if (path === 'items') return { tab: 'items', where: '事项' }
  if (path.startsWith('items')) return { tab: 'items', where: `第 ${idx(path, 'items')} 个事项 · ${/when/.test(path) ? '适用情形' : '事项'}` }
  if (path === 'edges') return { tab: 'edges', where: '前置关系' }
  if (path.startsWith('edges')) {
    const m = /mappings\[(\d+)\]\.(\w+)/.exec(path)
    const end = /\.(from|to)$/.exec(path)?.[1]
    return {
      tab: 'edges',
      where: `第 ${idx(path, 'edges')} 条前置关系${m ? ` · 第 ${Number(m[1]) + 1} 项带入（${m[2] === 'fromField' ? '结果字段' : '表单字段'}）` : end ? ` · ${end === 'from' ? '前置事项' : '后续事项'}` : ''}`,
    }
  }
  return { tab: '', where: path }
}

// ---- codes (standards.md §4.3) ----

/** 实施编码 = 实施主体统一社会信用代码 (18) + 行使层级 (1) + 基本编码 (12). */
export function splitItemCode(code: string) {
  return { uscc: code.slice(0, 18), level: code.slice(18, 19), basic: code.slice(19) }
}

/** '' when `s` is a well-formed 统一社会信用代码 in capitals (GB 32100 check character), else why not. */
export function usccProblem(s: string): string {
  if (!s) return ''
  const r = checkUscc(s)
  if (!r.ok) return r.message
  return s === s.toUpperCase() ? '' : '应为大写字母和数字'
}
