// Server-side validation errors on forms: error.fields → the matching el-form-item's `error`.
import { reactive } from 'vue'
import { isApiError } from '@/api/http'

export function useServerErrors() {
  const fieldErrors = reactive<Record<string, string>>({})
  const state = reactive({ message: '' })

  function clear() {
    for (const k of Object.keys(fieldErrors)) delete fieldErrors[k]
    state.message = ''
  }

  /** Records the server's error; returns the ApiError reason ('' for other errors). */
  function apply(e: unknown): string {
    clear()
    if (!isApiError(e)) {
      state.message = '操作失败，请稍后重试'
      return ''
    }
    state.message = e.message
    for (const f of e.fields) {
      // "applicant.idNumber" also matches a form field named "idNumber".
      const key = f.field
      fieldErrors[key] = f.message
      const last = key.split('.').pop()!
      if (last !== key) fieldErrors[last] = f.message
    }
    return e.reason
  }

  return { fieldErrors, state, clear, apply }
}
