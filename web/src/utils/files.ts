// Uploaded material files: what the server accepts (checked by content there), sizes for people.

export const MAX_UPLOAD_BYTES = 10 * 1024 * 1024
export const UPLOAD_ACCEPT = '.pdf,.jpg,.jpeg,.png,.ofd,application/pdf,image/jpeg,image/png'

/** A problem with `file` before uploading it, or null. */
export function checkUpload(file: File): string | null {
  if (file.size === 0) return '文件为空，请重新选择'
  if (file.size > MAX_UPLOAD_BYTES) return `文件不能超过 10 MB（当前 ${formatSize(file.size)}）`
  if (!/\.(pdf|jpe?g|png|ofd)$/i.test(file.name)) return '仅支持 PDF、JPG、PNG、OFD 格式的文件'
  return null
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`
  return `${(n / 1024 / 1024).toFixed(1)} MB`
}

export function formatFen(fen: number): string {
  return `${(fen / 100).toFixed(2)} 元`
}
