// Where 在线申请 leads: citizens and enterprises to the wizard, counter staff to 代为申请 with the
// service chosen, visitors to the login page first.
import type { RouteLocationRaw } from 'vue-router'
import { session, hasPerm } from '@/stores/session'

export function applyTarget(kind: 'item' | 'bundle', code: string, answers?: Record<string, string>): RouteLocationRaw | null {
  const me = session.me.value
  const query = answers && Object.keys(answers).length ? { answers: JSON.stringify(answers) } : {}
  if (!me) return { name: 'login', query: { redirect: `/apply/${kind}/${encodeURIComponent(code)}` } }
  if (hasPerm(me, 'cases.apply')) return { name: 'apply', params: { kind, code }, query }
  if (hasPerm(me, 'cases.intake')) return { name: 'counter-apply', query: { kind, code, ...query } }
  return null
}

export function applyLabel(): string {
  const me = session.me.value
  if (me && !hasPerm(me, 'cases.apply') && hasPerm(me, 'cases.intake')) return '代为申请'
  return '在线申请'
}

/** Where 预约办理 leads: the booking page with the item or bundle chosen (visitors sign in
 *  first); null for staff, who do not book for themselves. */
export function bookTarget(kind: 'item' | 'bundle', code: string): RouteLocationRaw | null {
  const me = session.me.value
  const path = `/appointments/new?${kind}=${encodeURIComponent(code)}`
  if (!me) return { name: 'login', query: { redirect: path } }
  return hasPerm(me, 'cases.apply') ? path : null
}
