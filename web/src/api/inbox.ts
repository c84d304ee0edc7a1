// 消息: the signed-in user's in-app inbox.
import { http } from './http'
import type { InboxMessage, Page, PageQuery } from './types'

export async function listInbox(q: PageQuery & { unread?: boolean }): Promise<Page<InboxMessage>> {
  const r = await http.get<{ items: InboxMessage[]; total: number }>('/inbox', {
    offset: (q.page - 1) * q.pageSize,
    limit: q.pageSize,
    unread: q.unread ? 'true' : undefined,
  })
  return { items: r.items, total: r.total }
}

export function unreadCount() {
  return http.get<{ count: number }>('/inbox/unread-count', undefined, { silent: true, noRedirect: true })
}

export function markRead(id: string) {
  return http.post<InboxMessage>(`/inbox/${encodeURIComponent(id)}/read`, {}, { silent: true })
}
