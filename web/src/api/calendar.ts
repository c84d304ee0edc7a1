// 工作日历: the working-day calendar and working-day arithmetic.
import { http } from './http'
import type { CalendarDay, CalendarYear } from './types'

export function getYear(year: number) {
  return http.get<CalendarYear>(`/calendar/${year}`)
}

export function setOverride(date: string, o: { workday: boolean; name: string; reason: string }) {
  return http.put<CalendarDay>(`/calendar/days/${date}`, o, { silent: true })
}

export function removeOverride(date: string, reason: string) {
  return http.del<CalendarDay>(`/calendar/days/${date}`, { reason }, { silent: true })
}

export function addWorkingDays(date: string, days: number) {
  return http.get<{ date: string; days: number; result: string; provisional: boolean }>('/calendar/add', {
    date,
    days,
  })
}

export function workingDaysBetween(from: string, to: string) {
  return http.get<{ from: string; to: string; workingDays: number; provisional: boolean }>(
    '/calendar/between',
    { from, to },
  )
}
