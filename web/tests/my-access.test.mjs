// (5) The citizen opens 谁查看了我的数据 and sees who read their data, when and why.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('citizen sees the page, including a read made just now by a clerk', async () => {
  const page = b.page
  await withScreenshot(page, 'my-access', async () => {
    // Who is the citizen? (Me.personId)
    await login(page, ACCOUNTS.citizen)
    const me = await apiGet(page, '/auth/me')
    const personId = me.body.user.personId
    assert.ok(personId, 'the demo citizen is linked to a person')

    // A clerk reads that person's record with a purpose (事由); the read is audited.
    const purpose = `浏览器测试核验${Date.now().toString(36)}`
    await login(page, ACCOUNTS.clerk)
    const read = await apiGet(page, `/persons/${encodeURIComponent(personId)}?purpose=${encodeURIComponent(purpose)}`)
    assert.equal(read.status, 200, JSON.stringify(read.body))
    const clerkName = (await apiGet(page, '/auth/me')).body.user.displayName

    await login(page, ACCOUNTS.citizen)
    await page.locator('.app-sidebar [data-menu="谁查看了我的数据"]').click()
    await page.waitForURL(/\/my-access$/)
    await settled(page)
    await page.locator('[data-testid="my-access-intro"]').getByText('谁查看了我的数据').waitFor()
    const table = page.locator('[data-testid="my-access-table"]')
    await table.waitFor()
    const row = table.locator('.el-table__row').filter({ hasText: purpose })
    await row.waitFor()
    assert.match(await row.innerText(), new RegExp(clerkName))
    assert.equal(await page.locator('[data-testid="forbidden"]').count(), 0)
    await screenshot(page, 'my-access-citizen')
  })
})

test('citizen home links to 谁查看了我的数据', async () => {
  const page = b.page
  await withScreenshot(page, 'citizen-home', async () => {
    await page.goto(BASE_URL + '/')
    await settled(page)
    await page.locator('[data-testid="privacy-card"]').getByRole('button', { name: '立即查看' }).click()
    await page.waitForURL(/\/my-access$/)
  })
})
