// (2) A bad password shows the server's message "用户名或密码错误".
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, requireServer, settled } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('bad password shows 用户名或密码错误', async () => {
  await withScreenshot(b.page, 'login-bad-password', async () => {
    await b.page.goto(BASE_URL + '/login')
    // An empty form is rejected in the browser, in Chinese.
    await b.page.getByRole('button', { name: /登\s*录/ }).click()
    await b.page.getByText('请输入用户名').waitFor()
    // hr_admin, not admin: a wrong password must not lock out an account other tests use heavily.
    await b.page.locator('input[name="username"]').fill('hr_admin')
    await b.page.locator('input[name="password"]').fill('wrong-password-1')
    await b.page.getByRole('button', { name: /登\s*录/ }).click()
    const err = b.page.locator('[data-testid="login-error"]')
    await err.waitFor()
    assert.match(await err.innerText(), /用户名或密码错误/)
    assert.match(b.page.url(), /\/login/)
    await screenshot(b.page, 'login-bad-password')
  })
})

test('unknown user gets the same message (no account enumeration)', async () => {
  await withScreenshot(b.page, 'login-unknown-user', async () => {
    await b.page.goto(BASE_URL + '/login')
    await b.page.locator('input[name="username"]').fill('no_such_user_' + Date.now())
    await b.page.locator('input[name="password"]').fill('whatever-123')
    await b.page.getByRole('button', { name: /登\s*录/ }).click()
    assert.match(await b.page.locator('[data-testid="login-error"]').innerText(), /用户名或密码错误/)
  })
})

test('an expired session sends the user back to 登录, then to the page they wanted', async () => {
  const page = b.page
  await withScreenshot(page, 'login-expired', async () => {
    await login(page, ACCOUNTS.clerk)
    await settled(page)
    await page.context().clearCookies() // the server no longer knows this browser
    await page.locator('.app-sidebar [data-menu="自然人"]').click()
    await page.waitForURL(/\/login\?redirect=/)
    await page.locator('input[name="username"]').fill(ACCOUNTS.clerk.username)
    await page.locator('input[name="password"]').fill(ACCOUNTS.clerk.password)
    await page.getByRole('button', { name: /登\s*录/ }).click()
    await page.waitForURL(/\/parties\/persons$/)
    await page.locator('[data-testid="person-table"]').waitFor()
  })
})
