// The one door to the server: fetch with the session cookie, the CSRF header on writes, and
// error bodies ({"error":{code,reason,message,fields}}) turned into ApiError.
import { ElMessage } from 'element-plus'

export const API_BASE = '/api/v1'

export interface FieldError {
  field: string
  message: string
}

/** An error answer from the server (or a network failure, code "NETWORK"). */
export class ApiError extends Error {
  readonly status: number
  readonly code: string
  readonly reason: string
  readonly fields: FieldError[]
  readonly requestId: string | null

  constructor(
    status: number,
    code: string,
    reason: string,
    message: string,
    fields: FieldError[] = [],
    requestId: string | null = null,
  ) {
    super(message)
    this.name = 'ApiError'
    this.status = status
    this.code = code
    this.reason = reason
    this.fields = fields
    this.requestId = requestId
  }
}

export function isApiError(e: unknown): e is ApiError {
  return e instanceof ApiError
}

let csrfToken = ''
/** Set from POST /auth/login and GET /auth/me; sent as X-CSRF-Token on POST/PUT/DELETE. */
export function setCsrfToken(token: string): void {
  csrfToken = token
}

let unauthenticatedHandler: (() => void) | null = null
/** Called on a 401 (session expired or never signed in); the app sends the user to /login. */
export function onUnauthenticated(handler: () => void): void {
  unauthenticatedHandler = handler
}

export type Query = Record<string, string | number | boolean | null | undefined>

export interface RequestOptions {
  query?: Query
  body?: unknown
  /** A body sent as it is (a file for POST /blobs, the import text whose lines the errors name),
   *  with its own Content-Type, instead of JSON.stringify(body). */
  raw?: { data: Blob | ArrayBuffer | string; contentType: string }
  /** Don't show ElMessage.error for a failure: the caller shows it in place. */
  silent?: boolean
  /** Don't send the user to /login on 401 (login itself, the start-up session probe). */
  noRedirect?: boolean
  /** Resolve with the body as a Blob (a PDF), not as JSON; errors are still JSON. */
  blob?: boolean
}

function buildUrl(path: string, query?: Query): string {
  let url = API_BASE + path
  if (query) {
    const params = new URLSearchParams()
    for (const [k, v] of Object.entries(query)) {
      if (v === undefined || v === null || v === '') continue
      params.append(k, String(v))
    }
    const qs = params.toString()
    if (qs) url += (url.includes('?') ? '&' : '?') + qs
  }
  return url
}

const STATUS_TEXT: Record<number, string> = {
  400: '请求参数有误',
  401: '登录已失效，请重新登录',
  403: '无权执行此操作',
  404: '请求的数据不存在',
  409: '数据已被修改或状态不允许此操作，请刷新后重试',
  413: '提交的内容过大',
  429: '操作过于频繁，请稍后再试',
  500: '服务器内部错误，请稍后重试',
  502: '服务暂时不可用，请稍后重试',
  503: '服务暂时不可用，请稍后重试',
  504: '服务响应超时，请稍后重试',
}

async function toApiError(res: Response): Promise<ApiError> {
  const requestId = res.headers.get('X-Request-Id')
  let body: unknown = null
  try {
    body = await res.json()
  } catch {
    body = null
  }
  const err = (body as { error?: Record<string, unknown> } | null)?.error
  if (err && typeof err === 'object') {
    const fields = Array.isArray(err.fields)
      ? (err.fields as unknown[]).flatMap((f) => {
          const o = f as Record<string, unknown>
          return o && typeof o.field === 'string'
            ? [{ field: o.field, message: String(o.message ?? '') }]
            : []
        })
      : []
    return new ApiError(
      res.status,
      String(err.code ?? 'UNKNOWN'),
      String(err.reason ?? ''),
      String(err.message || STATUS_TEXT[res.status] || `请求失败（HTTP ${res.status}）`),
      fields,
      requestId,
    )
  }
  return new ApiError(
    res.status,
    'HTTP_' + res.status,
    '',
    STATUS_TEXT[res.status] ?? `请求失败（HTTP ${res.status}）`,
    [],
    requestId,
  )
}

async function send(method: string, path: string, opts: RequestOptions): Promise<Response> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let body: BodyInit | undefined
  if (opts.raw) {
    headers['Content-Type'] = opts.raw.contentType
    body = opts.raw.data
  } else if (opts.body !== undefined) {
    headers['Content-Type'] = 'application/json'
    body = JSON.stringify(opts.body)
  }
  if (method !== 'GET' && method !== 'HEAD' && csrfToken) headers['X-CSRF-Token'] = csrfToken
  return fetch(buildUrl(path, opts.query), { method, headers, body, credentials: 'include' })
}

/** Sends one request; resolves with the JSON body, rejects with ApiError. */
export async function request<T>(method: string, path: string, opts: RequestOptions = {}): Promise<T> {
  let res: Response
  try {
    res = await send(method, path, opts)
    // A stale CSRF token (another tab signed in again): fetch the current one, retry once.
    if (res.status === 403 && method !== 'GET') {
      const peek = (await res.clone().json().catch(() => null)) as { error?: { reason?: string } } | null
      if (peek?.error?.reason === 'identity.csrf') {
        const me = await fetch(API_BASE + '/auth/me', { credentials: 'include' })
        if (me.ok) {
          const s = (await me.json()) as { csrfToken?: string }
          if (s.csrfToken) {
            setCsrfToken(s.csrfToken)
            res = await send(method, path, opts)
          }
        }
      }
    }
  } catch {
    const e = new ApiError(0, 'NETWORK', '', '网络连接失败，请检查网络后重试')
    if (!opts.silent) ElMessage.error({ message: e.message, grouping: true })
    throw e
  }
  if (res.ok) {
    if (res.status === 204) return undefined as T
    if (opts.blob) return (await res.blob()) as T
    const text = await res.text()
    return (text ? JSON.parse(text) : undefined) as T
  }
  const e = await toApiError(res)
  if (res.status === 401 && !opts.noRedirect) {
    ElMessage.error({ message: e.message || STATUS_TEXT[401], grouping: true })
    unauthenticatedHandler?.()
    throw e
  }
  if (!opts.silent) ElMessage.error({ message: e.message, grouping: true })
  throw e
}

export const http = {
  get: <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T>('GET', path, { ...opts, query }),
  post: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, body: body ?? {} }),
  /** POST with a JSON body whose answer is a file (PDF). */
  postForBlob: (path: string, body: unknown, opts: RequestOptions = {}) =>
    request<Blob>('POST', path, { ...opts, body, blob: true }),
  /** POST of a raw body (see RequestOptions.raw). */
  postRaw: <T>(path: string, data: Blob | ArrayBuffer | string, contentType: string, opts: RequestOptions = {}) =>
    request<T>('POST', path, { ...opts, raw: { data, contentType } }),
  put: <T>(path: string, body?: unknown, opts: RequestOptions = {}) =>
    request<T>('PUT', path, { ...opts, body: body ?? {} }),
  del: <T>(path: string, query?: Query, opts: RequestOptions = {}) =>
    request<T>('DELETE', path, { ...opts, query }),
}
