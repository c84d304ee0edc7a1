// 群众与企业: registering with client-side and server-side validation, masked numbers, and the
// early-pilot USCC confirmation that only uscc.confirm_legacy users get.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, randomIdNumber, randomUscc } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('clerk registers a person; a bad 身份证号 is refused in Chinese; numbers are masked', async () => {
  const page = b.page
  await withScreenshot(page, 'persons-add', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/parties/persons')
    await settled(page)
    await page.getByRole('button', { name: '登记自然人' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '登记自然人' })
    await dialog.waitFor()
    const id = randomIdNumber()
    const bad = id.slice(0, 17) + (id[17] === '0' ? '1' : '0')
    const name = '测试' + '甲乙丙丁戊己庚辛'[Math.floor(Math.random() * 8)] + Date.now().toString(36).slice(-3)
    await dialog.locator('input[name="name"]').fill(name)
    await dialog.locator('input[name="idNumber"]').fill(bad)
    await dialog.locator('input[name="phone"]').fill('13912345678')
    await dialog.getByRole('button', { name: '登记' }).click()
    await dialog.getByText('身份证号校验位错误').first().waitFor()
    await dialog.locator('input[name="idNumber"]').fill(id)
    await dialog.getByText(/出生日期 \d{4}-\d{2}-\d{2}，性别 [男女]/).waitFor()
    await dialog.getByRole('button', { name: '登记' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('.search-form input').first().fill(name)
    await page.getByRole('button', { name: '查询' }).click()
    await settled(page)
    const row = page.locator('[data-testid="person-table"] .el-table__row').filter({ hasText: name })
    await row.waitFor()
    const text = await row.innerText()
    assert.ok(!text.includes(id), 'the full 身份证号 is not shown')
    assert.ok(!text.includes('13912345678'), 'the full phone number is not shown')
    await screenshot(page, 'persons-list')
  })
})

test('a USCC with a wrong check character: refused for a clerk, confirmable by an admin', async () => {
  const page = b.page
  await withScreenshot(page, 'enterprises-legacy', async () => {
    const uscc = randomUscc('430100', true)
    const name = `测试试点企业${Date.now().toString(36)}有限公司`
    async function fill(dialog) {
      await dialog.locator('input[name="name"]').fill(name)
      await dialog.locator('input[name="uscc"]').fill(uscc)
      await dialog.locator('input[name="legalRepresentative"]').fill('测试人')
      const industry = dialog.locator('.el-form-item').filter({ hasText: '所属行业' }).locator('.el-select')
      await industry.click()
      await page.locator('.el-select-dropdown__item:visible').first().click()
    }

    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/parties/enterprises')
    await settled(page)
    await page.getByRole('button', { name: '登记企业' }).click()
    let dialog = page.locator('.el-dialog').filter({ hasText: '登记企业' })
    await fill(dialog)
    await dialog.getByRole('button', { name: '登记' }).click()
    await dialog.getByText('统一社会信用代码校验位错误').first().waitFor()
    assert.equal(await dialog.locator('[data-testid="confirm-legacy"]').count(), 0)

    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/parties/enterprises')
    await settled(page)
    await page.getByRole('button', { name: '登记企业' }).click()
    dialog = page.locator('.el-dialog').filter({ hasText: '登记企业' })
    await fill(dialog)
    await dialog.getByRole('button', { name: '登记' }).click()
    // The server answers core.uscc_check; only now is the confirmation offered.
    const confirm = dialog.locator('[data-testid="confirm-legacy"]')
    await confirm.waitFor()
    await screenshot(page, 'enterprises-legacy-confirm')
    await confirm.click()
    await dialog.getByRole('button', { name: '登记' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-testid="enterprise-table"] .el-table__row').filter({ hasText: uscc }).waitFor()
  })
})
