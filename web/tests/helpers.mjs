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
