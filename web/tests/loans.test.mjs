// 融资一件事 in the browser: the demo enterprise sees the bank's products, 科技贷 as 符合准入条件
// and 惠农贷 with why not; it applies in one click; the bank's credit officer approves in its
// queue; the enterprise sees the answer.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, withScreenshot, screenshot, settled, requireServer, BASE_URL } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

const product = (name) => b.page.locator('[data-testid="loan-product"]').filter({ has: b.page.locator('.pname', { hasText: new RegExp(`^${name}$`) }) })

test('the enterprise sees which products it qualifies for and applies in one click', async () => {
  const page = b.page
  await withScreenshot(page, 'loans-enterprise', async () => {
    await login(page, ACCOUNTS.enterprise)
    await page.goto(BASE_URL + '/loans')
    await settled(page)
    await product('科技贷').locator('[data-testid="loan-eligible"]').waitFor()
    const farm = product('惠农贷')
    await farm.locator('[data-testid="loan-ineligible"]').waitFor()
    await farm.getByText('为什么不符合？').click()
    await farm.locator('[data-held="0"]').first().waitFor()
    assert.match(await farm.locator('[data-testid="explanation"]').innerText(), /不以 A 开头/)
    assert.ok(await farm.locator('[data-testid="loan-request"]').isDisabled(), 'an ineligible product cannot be requested')
    await screenshot(page, 'loans-enterprise-list')

    const tech = product('科技贷')
    await tech.locator('[data-testid="loan-request"]').click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '一键申请' })
    await dlg.waitFor()
    await dlg.locator('[data-testid="loan-purpose"] input, input[data-testid="loan-purpose"]').first().fill('购置检测设备')
    await dlg.locator('[data-testid="loan-contact"] input, input[data-testid="loan-contact"]').first().fill('张三')
    await dlg.locator('[data-testid="loan-phone"] input, input[data-testid="loan-phone"]').first().fill('13800138000')
    await screenshot(page, 'loans-request-dialog')
    await dlg.locator('[data-action="save"]').click()
    await page.getByText('已提交，等待银行答复').waitFor()
    await page.locator('[data-testid="loan-requests"]').getByText('已提交').waitFor()
  })
})

test("the bank's credit officer approves and the enterprise sees it", async () => {
  const page = b.page
  await withScreenshot(page, 'loans-bank', async () => {
    await login(page, { username: 'bank', password: 'Demo@2026' })
    await page.goto(BASE_URL + '/admin/loans')
    await settled(page)
    const row = page.locator('[data-testid="bank-requests"] .el-table__row').filter({ hasText: '湖南湘江智造科技有限公司' })
    await row.first().waitFor()
    await screenshot(page, 'loans-bank-queue')
    await row.first().locator('[data-testid="answer-approve"]').click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '答复融资需求' })
    await dlg.waitFor()
    await dlg.locator('textarea').fill('请携带营业执照到网点签约')
    await dlg.locator('[data-action="save"]').click()
    await page.getByText('已答复，企业将收到通知').waitFor()

    await login(page, ACCOUNTS.enterprise)
    await page.goto(BASE_URL + '/loans')
    await settled(page)
    await page.locator('[data-testid="loan-requests"]').getByText('已获批').waitFor()
    assert.match(await page.locator('[data-testid="loan-requests"]').innerText(), /请携带营业执照到网点签约/)
    await screenshot(page, 'loans-enterprise-approved')
  })
})
