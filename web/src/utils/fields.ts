// The catalogue's form fields (一表) in the browser: rules by field type, mirroring the server's
// cases/form_check.cc (its field errors are shown under the same field when it disagrees).
import type { FormItemRule } from 'element-plus'
import type { FormField } from '@/api/types'
import { checkIdNumber, checkPhone, checkUscc } from './validators'

/** A value's problem for `f`, or null. `v` is trimmed and not empty. */
export function fieldProblem(f: FormField, v: string): string | null {
  switch (f.type) {
    case 'text':
      return [...v].length > (f.maxLength || 100) ? `不能超过 ${f.maxLength} 个字` : null
    case 'number': {
      if (!/^-?\d+(\.\d+)?$/.test(v)) return '应为数字'
      const n = Number(v)
      if (f.min !== null && f.min !== undefined && n < f.min) return `不能小于 ${f.min}`
      if (f.max !== null && f.max !== undefined && n > f.max) return `不能大于 ${f.max}`
      return null
    }
    case 'date':
      return /^\d{4}-\d{2}-\d{2}$/.test(v) ? null : '日期格式应为 YYYY-MM-DD'
    case 'idNumber':
      return checkIdNumber(v)
    case 'uscc': {
      const r = checkUscc(v)
      return r.ok ? null : r.message
    }
    case 'phone':
      return checkPhone(v)
    case 'select':
      return f.options.includes(v) ? null : `请从以下选项中选择：${f.options.join('、')}`
    case 'boolean':
      return v === 'true' || v === 'false' ? null : '请选择“是”或“否”'
    default:
      return null
  }
}

/** Element Plus rules for one field (required + the type's check). */
export function fieldRules(f: FormField): FormItemRule[] {
  return [
    {
      trigger: f.type === 'select' || f.type === 'date' || f.type === 'region' || f.type === 'boolean' ? 'change' : 'blur',
      validator: (_r: unknown, value: unknown, cb: (e?: Error) => void) => {
        const v = String(value ?? '').trim()
        if (!v) return f.required ? cb(new Error(`请填写“${f.label}”`)) : cb()
        const p = fieldProblem(f, v)
        return p ? cb(new Error(`${f.label}：${p}`)) : cb()
      },
    },
  ]
}

/** How a stored value reads (是/否 for booleans). */
export function fieldDisplay(f: FormField | undefined, v: string | undefined): string {
  if (v === undefined || v === '') return '—'
  if (f?.type === 'boolean') return v === 'true' ? '是' : v === 'false' ? '否' : v
  return v
}

/** The form key as a safe DOM name (data-field, name). */
export function fieldDomName(key: string): string {
  return key.replace(/[^\w.-]/g, '_')
}
