// The catalogue's JSON exchange format (docs/catalog-format.md) in the editors: only its own keys
// are kept (the server reads strictly: any other key is an error), and the server's errors (JSON
// paths) are placed at their lines.
import { isApiError } from '@/api/http'
import type { EditorError } from '@/components/JsonEditor.vue'
import { jsonPathLines, jsonSyntaxError, lineInMessage, lineOf } from '@/utils/jsonLines'

export const ITEM_KEYS = [
  'code', 'basicCode', 'version', 'name', 'departmentCode', 'itemType', 'level', 'serviceObjects', 'handlingForms',
  'caseType', 'statutoryLimit', 'promisedLimit', 'charged', 'feeFen', 'feeBasis', 'onlinePayment', 'onlineDepth',
  'visits', 'onsiteReason', 'mailApplication', 'conditions', 'legalBasis', 'explanation', 'result', 'appointment',
  'expressDelivery', 'commitmentAllowed', 'deemedApprovalAllowed', 'deemedApprovalDays', 'materials', 'fields', 'steps',
]
export const BUNDLE_KEYS = ['code', 'version', 'name', 'category', 'description', 'departmentCode', 'situations', 'items', 'edges']
const BUNDLE_ITEM_KEYS = ['itemCode', 'when', 'blocking']

/** `o` with only the exchange keys, pretty-printed with two-space indents. */
export function exchangeText(o: Record<string, unknown>, kind: 'item' | 'bundle'): string {
  const keys = kind === 'item' ? ITEM_KEYS : BUNDLE_KEYS
  const out: Record<string, unknown> = {}
  for (const k of keys) if (k in o) out[k] = o[k]
  if (kind === 'bundle' && Array.isArray(out.items)) {
    out.items = (out.items as Record<string, unknown>[]).map((i) => Object.fromEntries(BUNDLE_ITEM_KEYS.filter((k) => k in i).map((k) => [k, i[k]])))
  }
  return JSON.stringify(out, null, 2) + '\n'
}

/** The server's (or JSON.parse's) problems with `text`, each at its line. */
export function editorErrors(text: string, e: unknown): { message: string; errors: EditorError[] } {
  if (!isApiError(e)) return { message: e instanceof Error ? e.message : '保存失败', errors: [] }
  const lines = jsonPathLines(text)
  const errors = e.fields.map((f) => {
    const inMsg = lineInMessage(f.message) ?? lineInMessage(f.field)
    const path = f.field.replace(/^第\s*\d+\s*行\s*/, '')
    return { line: inMsg ?? lineOf(lines, path), path, message: f.message.replace(/^第\s*\d+\s*行\s*[^：]*：/, '') }
  })
  return { message: e.message, errors }
}

/** Parses the editor's text; a syntax error comes back at its line. */
export function parseText(text: string): { value: Record<string, unknown> | null; errors: EditorError[] } {
  const syntax = jsonSyntaxError(text)
  if (syntax) return { value: null, errors: [{ line: syntax.line, path: '', message: syntax.message }] }
  const v = JSON.parse(text)
  if (!v || typeof v !== 'object' || Array.isArray(v)) return { value: null, errors: [{ line: 1, path: '', message: '应为一个 JSON 对象 { … }' }] }
  return { value: v, errors: [] }
}
