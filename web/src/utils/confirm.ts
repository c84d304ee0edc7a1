// ElMessageBox.confirm as a yes/no answer.
import { ElMessageBox } from 'element-plus'
import type { ElMessageBoxOptions } from 'element-plus'

/** true when the user confirms; false when they cancel or close the box. */
export function confirmed(message: string, title: string, options: ElMessageBoxOptions): Promise<boolean> {
  return ElMessageBox.confirm(message, title, options).then(
    () => true,
    () => false,
  )
}
