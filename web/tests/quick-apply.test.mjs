// 快申快享 review in the browser: the demo enterprise applies for 小微企业贷款贴息 (a 快申快享 item
// of 郴州市工业和信息化局); the department's reviewer finds it in 快申快享审核 with the facts it was
// checked on and approves it; the enterprise sees it approved.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, withScreenshot, screenshot, settled, requireServer, apiGet, apiSend, BASE_URL } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test("the department's reviewer approves a 快申快享 application", async () => {
  const page = b.page
  await withScreenshot(page, 'quick-apply', async () => {
    await login(page, ACCOUNTS.enterprise)
    const found = await apiGet(page, '/policies?q=' + encodeURIComponent('贷款贴息'))
    const policy = await apiGet(page, `/policies/${found.body.items[0].id}`)
    const item = policy.body.items.find((i) => i.mode === 'quick')
    assert.ok(item, 'the demo has a 快申快享 item')
    const applied = await apiSend(page, 'POST', `/policy-items/${item.id}/apply`, { period: '2026' })
    assert.equal(applied.status, 200, JSON.stringify(applied.body))

    await login(page, { username: 'cz_reviewer', password: 'Demo@2026' })
    await page.goto(BASE_URL + '/review/policy-applications')
    await settled(page)
    const row = page.locator('[data-testid="application-queue"] .el-table__row').filter({ hasText: '湖南湘江智造科技有限公司' }).first()
    await row.waitFor()
    await row.getByText('小微企业贷款贴息').waitFor()
    await row.locator('.el-table__expand-icon').click()
    await page.getByText('比对所用企业数据').waitFor()
    await screenshot(page, 'quick-apply-queue')
    await row.locator('[data-testid="application-approve"]').click()
    await page.getByText('待企业确认收款账户后拨付').waitFor()
    await page.locator('[data-testid="application-queue"]').getByText('暂无待审核的申请').waitFor()

    await login(page, ACCOUNTS.enterprise)
    const offers = await apiGet(page, '/me/policy-offers')
    const mine = offers.body.items.find((o) => o.itemId === item.id)
    assert.equal(mine.status, 'approved', JSON.stringify(mine))
  })
})
