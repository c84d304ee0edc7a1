// Helpers shared by the 预约 pages: opening hours as text, the counters serving an item or a
// bundle, dates and times in China time, and the cancellation cut-off.
import { getSlots } from '@/api/appointments'
import type { Booking, CounterType, Hall, HallInput, HallSchedule, Period, Slot, SlotDay } from '@/api/types'

/** "09:00–12:00、13:30–17:30" ('' when there are none). */
export function periodsText(periods: Period[]): string {
  return periods.map((p) => `${p.from}–${p.to}`).join('、')
}

/** The hall's opening hours, one line per kind of day that has any. */
export function hoursLines(s: HallSchedule): { label: string; text: string; extended: boolean }[] {
  const out: { label: string; text: string; extended: boolean }[] = []
  if (s.workday.length) out.push({ label: '工作日', text: periodsText(s.workday), extended: false })
  if (s.evening.length) out.push({ label: '延时服务', text: `工作日 ${periodsText(s.evening)}`, extended: true })
  if (s.restday.length) out.push({ label: '周末服务', text: `${periodsText(s.restday)}${s.restdayOnHolidays ? '（节假日照常）' : '（法定节假日除外）'}`, extended: true })
  return out
}

export interface Subject {
  itemCode?: string
  bundleCode?: string
}

/** Whether counter `c` takes `subject` specifically (its lists name it). */
function names(c: CounterType, s: Subject): boolean {
  return (!!s.itemCode && c.itemCodes.includes(s.itemCode)) || (!!s.bundleCode && c.bundleCodes.includes(s.bundleCode))
}

/** A counter with both lists empty takes any item. */
export const isGeneral = (c: CounterType) => !c.itemCodes.length && !c.bundleCodes.length

/** The counters that serve `subject`, the specific ones before the general ones (as the server
 *  picks); every counter when there is no subject. */
export function countersFor(hall: Hall, s: Subject): CounterType[] {
  if (!s.itemCode && !s.bundleCode) return hall.counterTypes
  return [...hall.counterTypes.filter((c) => names(c, s)), ...hall.counterTypes.filter(isGeneral)]
}

const WEEK = ['周日', '周一', '周二', '周三', '周四', '周五', '周六']

/** "2026-02-14" → { md: "2月14日", week: "周六", weekend: true } */
export function dayParts(date: string): { md: string; week: string; weekend: boolean } {
  const [y, m, d] = date.split('-').map(Number)
  const wd = new Date(Date.UTC(y, m - 1, d)).getUTCDay()
  return { md: `${m}月${d}日`, week: WEEK[wd], weekend: wd === 0 || wd === 6 }
}

/** The instant of `date` `time` in China time (ms since the epoch). */
export function chinaInstant(date: string, time: string): number {
  return Date.parse(`${date}T${time}:00+08:00`)
}

/** "2026-02-14 09:00" for an instant (ms), in China time. */
export function chinaText(ms: number): string {
  const d = new Date(ms + 8 * 3600_000)
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getUTCFullYear()}-${p(d.getUTCMonth() + 1)}-${p(d.getUTCDate())} ${p(d.getUTCHours())}:${p(d.getUTCMinutes())}`
}

/** Until when the booker may cancel (ms), given the hall's cut-off. */
export function cancelDeadline(b: Pick<Booking, 'date' | 'start'>, cancelBeforeMinutes: number): number {
  return chinaInstant(b.date, b.start) - cancelBeforeMinutes * 60_000
}

/** Why a slot cannot be booked, for its disabled button. */
export function slotBlockedText(day: SlotDay, s: Slot): string {
  if (s.bookable) return ''
  if (s.available <= 0) return '已约满'
  if (day.dayBooked >= day.dayCapacity) return '当日已满'
  return '已过时'
}

/** Whether the day has a slot left to book. */
export const dayOpen = (d: SlotDay) => d.kind !== 'closed' && d.slots.some((s) => s.bookable)

/** What is left on a day: the free places of its bookable slots, capped by the day's capacity. */
export function dayLeft(d: SlotDay): number {
  const free = d.slots.filter((s) => s.bookable).reduce((n, s) => n + s.available, 0)
  return Math.max(0, Math.min(free, d.dayCapacity - d.dayBooked))
}

/** The guide page of what was booked. */
export function guidePath(b: Subject): string {
  if (b.bundleCode) return `/guide/bundle/${encodeURIComponent(b.bundleCode)}`
  if (b.itemCode) return `/guide/item/${encodeURIComponent(b.itemCode)}`
  return '/portal'
}

/**
 * The server's clock in ms, read off today's slots of a hall: it may run on another clock than
 * this computer (a training server started with --now). A slot is bookable only while its start
 * is still ahead, so now lies at or after the start of today's last past slot (one with places
 * left that is not bookable) and before the start of its first bookable one; this computer's
 * clock is taken when it lies within those bounds, else the lower bound. null when the slots cannot tell (an inactive hall, a full
 * day). The server stays the judge (409 appointments.too_late_to_cancel).
 */
export async function serverNow(hall: Hall, counterType: string): Promise<number | null> {
  if (!hall.active) return null
  const r = await getSlots(hall.id, { counterType, days: 1 })
  const d = r.days[0]
  if (!d) return null
  let lo = chinaInstant(d.date, '00:00')
  let hi = lo + 86_400_000
  if (d.kind !== 'closed' && d.dayBooked >= d.dayCapacity) return null
  for (const s of d.slots) {
    const t = chinaInstant(d.date, s.start)
    if (s.bookable) hi = Math.min(hi, t)
    else if (s.available > 0) lo = Math.max(lo, t)
  }
  // Within the bounds this computer's clock is right; outside them it is not, and the lower
  // bound is the one that never disables a cancellation the server would still take.
  const here = Date.now()
  return here >= lo && here < hi ? here : lo
}

/** The body of POST / PUT for a hall: its fields without the id (the version is the one edited). */
export function hallBody(h: Hall): HallInput & { version: number } {
  return {
    code: h.code,
    name: h.name,
    regionCode: h.regionCode,
    address: h.address,
    phone: h.phone,
    active: h.active,
    schedule: { ...h.schedule },
    counterTypes: h.counterTypes.map((c) => ({ ...c })),
    version: h.version,
  }
}
