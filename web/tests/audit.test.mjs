// 审计: the log is searchable and the hash chain verifies.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('supervisor lists audit entries and verifies the chain', async () => {
  const page = b.page
  await withScreenshot(page, 'audit-verify', async () => {
    await login(page, ACCOUNTS.supervisor)
    await page.goto(BASE_URL + '/audit/entries')
    await settled(page)
    await page.locator('[data-testid="audit-table"] .el-table__row').first().waitFor()
    await page.locator('[data-action="verify"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '开始校验' }).click()
    const result = page.locator('[data-testid="verify-result"]')
    await result.waitFor({ timeout: 15000 })
    assert.match(await result.innerText(), /审计链完整：已校验 \d+ 条记录/)
    await screenshot(page, 'audit-entries')
  })
})

test('admin and supervisor home pages show the audit activity chart', async () => {
  const page = b.page
  await withScreenshot(page, 'audit-chart', async () => {
    await page.goto(BASE_URL + '/')
    await settled(page)
    await page.locator('[data-testid="audit-chart"] canvas').waitFor()
  })
})
