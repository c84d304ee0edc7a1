// Display helpers: instants in Beijing time, dates, masked strings.

const pad = (n: number) => String(n).padStart(2, '0')

/** "2026-11-27T09:30:00+08:00" → "2026-11-27 09:30:00" (shown in UTC+08:00 whatever the browser zone). */
export function formatInstant(iso: string | null | undefined): string {
  if (!iso) return '—'
  const t = Date.parse(iso)
  if (Number.isNaN(t)) return iso
  const d = new Date(t + 8 * 3600_000)
  return (
    `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ` +
    `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  )
}

/** Today's date in Beijing time, as YYYY-MM-DD. */
export function todayBeijing(): string {
  const d = new Date(Date.now() + 8 * 3600_000)
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`
}

export function ymd(y: number, m: number, d: number): string {
  return `${y}-${pad(m)}-${pad(d)}`
}

const WEEKDAYS = ['星期日', '星期一', '星期二', '星期三', '星期四', '星期五', '星期六']

/** "2026-10-01" → "2026年10月1日 星期四" */
export function formatDateCn(date: string): string {
  const [y, m, d] = date.split('-').map(Number)
  if (!y || !m || !d) return date
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return `${y}年${m}月${d}日 ${WEEKDAYS[wd]}`
}
