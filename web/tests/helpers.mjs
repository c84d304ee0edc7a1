// Browser test helpers: headless Debian chromium driven by playwright-core (no browser download),
// a fresh temporary profile per test file, short timeouts, screenshots into test-results/.
import { mkdtemp, mkdir, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, dirname } from 'node:path'
import { fileURLToPath } from 'node:url'
import { chromium } from 'playwright-core'

export const BASE_URL = (process.env.ONESTOP_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '')
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
export const RESULTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'test-results')
/** Locator/action timeout: a missing element must fail fast, not after 30 s. */
export const TIMEOUT = 5000

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export const ACCOUNTS = {
  admin: { username: 'admin', password: 'Admin@2026' },
  hr_admin: { username: 'hr_admin', password: 'Demo@2026' },
  clerk: { username: 'clerk', password: 'Demo@2026' },
  reviewer: { username: 'reviewer', password: 'Demo@2026' },
  supervisor: { username: 'supervisor', password: 'Demo@2026' },
  agent: { username: 'agent', password: 'Demo@2026' },
  citizen: { username: 'citizen', password: 'Demo@2026' },
  enterprise: { username: 'enterprise', password: 'Demo@2026' },
}

/** Starts chromium with a fresh user-data-dir. Returns { context, page, pageErrors, close }. */
export async function launch() {
  const profile = await mkdtemp(join(tmpdir(), 'onestop-web-test-'))
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true, // playwright passes --headless
    args: ARGS,
    viewport: { width: 1440, height: 900 },
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
  })
  context.setDefaultTimeout(TIMEOUT)
  context.setDefaultNavigationTimeout(15000)
  const page = context.pages()[0] ?? (await context.newPage())
  const pageErrors = []
  page.on('pageerror', (e) => pageErrors.push(String(e)))
  return {
    context,
    page,
    pageErrors,
    async close() {
      await context.close().catch(() => undefined)
      await rm(profile, { recursive: true, force: true }).catch(() => undefined)
    },
  }
}

export async function screenshot(page, name) {
  await mkdir(RESULTS_DIR, { recursive: true })
  const file = join(RESULTS_DIR, `${name.replace(/[^\w.-]+/g, '_')}.png`)
  await page.screenshot({ path: file, fullPage: true }).catch(() => undefined)
  return file
}

/** Runs `fn`; on failure saves test-results/<name>-FAILED.png and rethrows. */
export async function withScreenshot(page, name, fn) {
  try {
    return await fn()
  } catch (e) {
    const f = await screenshot(page, `${name}-FAILED`)
    if (e && typeof e === 'object' && 'message' in e) e.message += `\n  screenshot: ${f}`
    throw e
  }
}

/** Signs out (cookies only) and signs in through the login page; waits for the shell. */
export async function login(page, account) {
  await page.context().clearCookies()
  await page.goto(BASE_URL + '/login')
  await page.locator('input[name="username"]').fill(account.username)
  await page.locator('input[name="password"]').fill(account.password)
  await page.getByRole('button', { name: /登\s*录/ }).click()
  await page.locator('.app-sidebar').waitFor({ state: 'visible', timeout: 10000 })
  await page.locator('[data-testid="current-user"]').waitFor()
}

/** Leaf menu titles visible in the left menu (groups are always expanded). */
export async function menuItems(page) {
  await page.locator('.app-sidebar [data-menu]').first().waitFor()
  return page.locator('.app-sidebar [data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')))
}

export async function menuGroups(page) {
  return page.locator('.app-sidebar [data-menu-group]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu-group')))
}

/** Waits until no Element Plus loading mask is shown. */
export async function settled(page) {
  await page.waitForLoadState('networkidle', { timeout: 10000 }).catch(() => undefined)
  await page.locator('.el-loading-mask').first().waitFor({ state: 'hidden', timeout: TIMEOUT }).catch(() => undefined)
}

/** Fails fast with a clear message when no server answers at ONESTOP_URL. */
export async function requireServer() {
  try {
    const r = await fetch(BASE_URL + '/api/v1/healthz', { signal: AbortSignal.timeout(5000) })
    if (!r.ok) throw new Error(`HTTP ${r.status}`)
  } catch (e) {
    throw new Error(`OneStop server not reachable at ${BASE_URL} (set ONESTOP_URL): ${e.message ?? e}`)
  }
}

/** Calls the API from inside the page (same origin, session cookie); GET only, no CSRF needed. */
export async function apiGet(page, path) {
  return page.evaluate(async (p) => {
    const r = await fetch('/api/v1' + p, { credentials: 'include' })
    return { status: r.status, body: await r.json().catch(() => null) }
  }, path)
}

/** A valid 18-digit 身份证号 (GB 11643-1999) that is unlikely to exist yet. */
export function randomIdNumber(region = '430102') {
  const y = 1960 + Math.floor(Math.random() * 40)
  const m = 1 + Math.floor(Math.random() * 12)
  const d = 1 + Math.floor(Math.random() * 28)
  const seq = String(Math.floor(Math.random() * 1000)).padStart(3, '0')
  return withIdCheck(`${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${seq}`)
}

/** The 17 digits `body` with its GB 11643 check character (e.g. the demo 张三's number). */
export function withIdCheck(body) {
  const w = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
  let s = 0
  for (let i = 0; i < 17; i++) s += Number(body[i]) * w[i]
  return body + '10X98765432'[s % 11]
}

const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY'
/** A 统一社会信用代码 with a correct (or, with wrongCheck, a deliberately wrong) check character. */
export function randomUscc(region = '430100', wrongCheck = false) {
  let body = '91' + region
  for (let i = 0; i < 9; i++) body += USCC_CHARS[Math.floor(Math.random() * USCC_CHARS.length)]
  const w = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
  let s = 0
  for (let i = 0; i < 17; i++) s += USCC_CHARS.indexOf(body[i]) * w[i]
  const c = (31 - (s % 31)) % 31
  return body + USCC_CHARS[wrongCheck ? (c + 1) % 31 : c]
}

/** A write call from inside the page (session cookie + the CSRF token of GET /auth/me). */
export async function apiSend(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const me = await fetch('/api/v1/auth/me', { credentials: 'include' })
      const token = me.ok ? (await me.json()).csrfToken : ''
      const headers = { Accept: 'application/json', 'Content-Type': 'application/json' }
      if (token) headers['X-CSRF-Token'] = token
      const r = await fetch('/api/v1' + path, { method, credentials: 'include', headers, body: JSON.stringify(body ?? {}) })
      return { status: r.status, body: await r.json().catch(() => null) }
    },
    { method, path, body },
  )
}

/** A small valid PDF (the server decides the type by content). */
export function pdfBytes(text = 'OneStop test material') {
  const content = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${content.length} >>\nstream\n${content}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ]
  let out = '%PDF-1.4\n'
  const offsets = []
  objs.forEach((o, i) => {
    offsets.push(out.length)
    out += `${i + 1} 0 obj\n${o}\nendobj\n`
  })
  const xref = out.length
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n`
  for (const off of offsets) out += `${String(off).padStart(10, '0')} 00000 n \n`
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(out, 'latin1')
}

/**
 * Fills a catalogue form (components/FieldInput: [data-field][data-field-type]) inside `root`
 * generically by field type, whatever the fields are: a valid 身份证号 (GB 11643 check digit),
 * 2026-02-01 for dates, 13800000000 for phones, the first option of selects, the first region
 * at county level, 是 for booleans, the minimum (or 1) for numbers, short Chinese text.
 */
export async function fillCatalogForm(page, root) {
  const fields = root.locator('[data-field]')
  const n = await fields.count()
  for (let i = 0; i < n; i++) {
    const f = fields.nth(i)
    const type = await f.getAttribute('data-field-type')
    const key = await f.getAttribute('data-field')
    switch (type) {
      case 'idNumber':
        await f.locator('input').fill(randomIdNumber())
        break
      case 'uscc':
        await f.locator('input').fill(randomUscc())
        break
      case 'phone':
        await f.locator('input').fill('13800000000')
        break
      case 'number': {
        const min = await f.getAttribute('data-min')
        await f.locator('input').fill(String(min ?? 1))
        break
      }
      case 'date': {
        const input = f.locator('input')
        await input.click()
        await input.fill('2026-02-01')
        await input.press('Enter')
        await page.keyboard.press('Escape').catch(() => undefined)
        break
      }
      case 'select':
        await f.locator('.el-select').click()
        await page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').first().click()
        await page.locator('.el-select__popper[aria-hidden="false"]').waitFor({ state: 'detached' }).catch(() => undefined)
        break
      case 'boolean':
        await f.locator('.el-radio').first().click()
        break
      case 'region': {
        await f.locator('.el-cascader').click()
        const menus = page.locator('.el-cascader__dropdown:visible .el-cascader-menu')
        // 湖南省 (the demo's province) → its first city → that city's first county; the county's
        // radio selects it (checkStrictly).
        await menus.nth(0).locator('.el-cascader-node').first().waitFor()
        const hunan = menus.nth(0).locator('.el-cascader-node').filter({ hasText: '湖南省' })
        await ((await hunan.count()) ? hunan.first() : menus.nth(0).locator('.el-cascader-node').first()).click()
        await menus.nth(1).locator('.el-cascader-node').first().click()
        await menus.nth(2).locator('.el-cascader-node').first().locator('.el-radio').click()
        await page.keyboard.press('Escape').catch(() => undefined)
        await page.locator('.el-cascader__dropdown').first().waitFor({ state: 'hidden' }).catch(() => undefined)
        break
      }
      default:
        await f.locator('input, textarea').first().fill(/name/i.test(key ?? '') ? '张小明' : '测试填写')
    }
  }
}
