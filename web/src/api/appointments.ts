// 预约: service halls and their schedules (public reads, catalog.manage writes), the bookable
// slots, booking and cancelling (cases.apply for oneself, cases.intake on someone's behalf),
// the counter's day list and 签到 (cases.intake).
import { http } from './http'
import type { Booking, BookingStatus, Hall, HallInput, SlotsAnswer } from './types'

const enc = encodeURIComponent

/** Lists come as {items: […]}; a bare array is read too. */
function itemsOf<T>(r: { items: T[] } | T[]): T[] {
  return Array.isArray(r) ? r : r.items ?? []
}

// ---- 服务大厅 ----

/** Active halls; `all` (catalog.manage) includes the inactive ones. */
export async function listHalls(all = false): Promise<Hall[]> {
  return itemsOf(await http.get<{ items: Hall[] } | Hall[]>('/appointments/halls', { all: all ? 1 : undefined }))
}

export function getHall(id: string, silent = false) {
  return http.get<Hall>(`/appointments/halls/${enc(id)}`, undefined, { silent })
}

/** Field errors come back under the hall's JSON paths (schedule.workday[0].from, counterTypes[1].code …). */
export function createHall(h: HallInput) {
  return http.post<Hall>('/appointments/halls', h, { silent: true })
}

/** Replaces the hall; `version` is the one edited (stale → 409 appointments.version_conflict). */
export function updateHall(id: string, h: HallInput & { version: number }) {
  return http.put<Hall>(`/appointments/halls/${enc(id)}`, h, { silent: true })
}

// ---- 号源 ----

export interface SlotsQuery {
  /** One of counterType, itemCode, bundleCode (the server picks the counter for an item or bundle). */
  counterType?: string
  itemCode?: string
  bundleCode?: string
  /** The first day (YYYY-MM-DD); the server's today when left out. */
  from?: string
  /** 1–31 (default 7). */
  days?: number
}

export function getSlots(hallId: string, q: SlotsQuery, silent = true) {
  return http.get<SlotsAnswer>(`/appointments/halls/${enc(hallId)}/slots`, { ...q }, { silent })
}

// ---- 预约 ----

export interface NewBooking {
  hallId: string
  counterType: string
  date: string
  start: string
  itemCode?: string
  bundleCode?: string
  /** Optional for oneself (the account's number otherwise). */
  phone?: string
  /** Staff booking on someone's behalf (cases.intake). */
  applicantName?: string
  idNumber?: string
}

export function book(b: NewBooking) {
  return http.post<Booking>('/appointments', b, { silent: true })
}

/** The signed-in applicant's bookings, newest first. */
export async function mine(): Promise<Booking[]> {
  return itemsOf(await http.get<{ items: Booking[] } | Booking[]>('/appointments/mine'))
}

/** The reason is required for staff, optional for the booker. */
export function cancel(id: string, reason: string) {
  return http.post<Booking>(`/appointments/${enc(id)}/cancel`, { reason }, { silent: true })
}

/** The counter's day list (cases.intake), ordered by start. */
export async function dayList(q: { hallId: string; date: string; status?: BookingStatus | '' }): Promise<Booking[]> {
  return itemsOf(await http.get<{ items: Booking[] } | Booking[]>('/appointments', { ...q }, { silent: true }))
}

/** booked → checked_in (on the booking's date only); a later call may link the case. */
export function checkIn(id: string, caseId?: string) {
  return http.post<Booking>(`/appointments/${enc(id)}/check-in`, caseId ? { caseId } : {}, { silent: true })
}
