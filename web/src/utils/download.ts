// Downloads a file the server renders (a PDF) with the session cookie; an error answer becomes
// an ApiError (message and field errors), so a form can show it in place.
import { ApiError } from '@/api/http'

/** Fetches `url` and saves it as `fileName` (or the server's Content-Disposition name). */
export async function downloadFile(url: string, fileName: string): Promise<void> {
  let res: Response
  try {
    res = await fetch(url, { credentials: 'include' })
  } catch {
    throw new ApiError(0, 'NETWORK', '', '网络连接失败，请检查网络后重试')
  }
  if (!res.ok) {
    const body = (await res.json().catch(() => null)) as {
      error?: { code?: string; reason?: string; message?: string; fields?: { field: string; message: string }[] }
    } | null
    const e = body?.error
    throw new ApiError(
      res.status,
      String(e?.code ?? 'HTTP_' + res.status),
      String(e?.reason ?? ''),
      e?.message || `下载失败（HTTP ${res.status}）`,
      Array.isArray(e?.fields) ? e!.fields! : [],
    )
  }
  const blob = await res.blob()
  const a = document.createElement('a')
  a.href = URL.createObjectURL(blob)
  a.download = fileName
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000)
}

/** YYYY-MM-DD `days` after today in Beijing time. */
export function daysFromToday(days: number): string {
  const d = new Date(Date.now() + 8 * 3600_000 + days * 86400_000)
  return d.toISOString().slice(0, 10)
}
