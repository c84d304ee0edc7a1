// Server-side validation errors on forms: error.fields → the matching el-form-item's `error`.
import { nextTick, reactive, ref } from 'vue'
import type { FormInstance } from 'element-plus'
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

/**
 * A form in a dialog (components/FormDialog.vue): `dialog` is { visible, saving, ...state },
 * `formRef` goes on the el-form, `server` holds the server's errors.
 */
export function useFormDialog<S extends object>(state: S = {} as S) {
  const dialog = reactive({ visible: false, saving: false, ...state })
  const formRef = ref<FormInstance>()
  const server = useServerErrors()

  /** Shows the dialog without the last server errors and validation marks (fill the form first). */
  function open() {
    server.clear()
    dialog.visible = true
    nextTick(() => formRef.value?.clearValidate())
  }

  /** Validates the form, then runs `action` while `saving`; if it fails, the server's errors are
   *  shown and `onError` gets the ApiError reason. */
  async function submit(action: () => Promise<unknown>, onError?: (reason: string) => unknown) {
    server.clear()
    if (!(await formRef.value?.validate().catch(() => false))) return
    dialog.saving = true
    try {
      await action()
    } catch (e) {
      // Not `onError?.(server.apply(e))`: an optional call skips evaluating its arguments.
      const reason = server.apply(e)
      await onError?.(reason)
    } finally {
      dialog.saving = false
    }
  }

  return { dialog, formRef, server, open, submit }
}
