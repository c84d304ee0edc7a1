// 登录与会话: POST /auth/login, POST /auth/logout, GET /auth/me.
import { http, setCsrfToken } from './http'
import type { Session } from './types'

export async function login(username: string, password: string): Promise<Session> {
  const s = await http.post<Session>('/auth/login', { username, password }, { silent: true, noRedirect: true })
  setCsrfToken(s.csrfToken)
  return s
}

/** The signed-in user, or an ApiError (401 when there is no session). Never redirects. */
export async function me(): Promise<Session> {
  const s = await http.get<Session>('/auth/me', undefined, { silent: true, noRedirect: true })
  setCsrfToken(s.csrfToken)
  return s
}

export async function logout(): Promise<void> {
  try {
    await http.post('/auth/logout', {}, { silent: true, noRedirect: true })
  } finally {
    setCsrfToken('')
  }
}
