// 用户管理: an administrator adds a staff account, finds it, and disables it after confirming.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('admin adds a counter clerk and disables the account', async () => {
  const page = b.page
  await withScreenshot(page, 'users-add', async () => {
    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/system/users')
    await settled(page)
    await page.getByRole('button', { name: '新增用户' }).click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增用户' })
    await dialog.waitFor()
    const username = `t${Date.now().toString(36)}`
    const item = (label) => dialog.locator('.el-form-item').filter({ hasText: label })
    await item('用户名').locator('input').fill(username)
    await item('初始密码').locator('input').fill('short')
    await item('确认密码').locator('input').fill('short')
    await item('姓名').locator('input').fill('测试窗口人员')
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.getByText('密码至少8位').waitFor()
    await item('初始密码').locator('input').fill('Window#2026')
    await item('确认密码').locator('input').fill('Window#2026')

    await item('角色').locator('.el-select').click()
    await page.locator('.el-select-dropdown__item:visible').filter({ hasText: '窗口人员' }).first().click()
    await page.keyboard.press('Escape')
    await item('所属部门').locator('.el-select').click()
    await page.locator('.el-tree-node__content:visible').filter({ hasText: /^长沙市/ }).first().click()
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByText(`已新增用户“测试窗口人员”`).waitFor()

    await page.locator('.search-form input').first().fill(username)
    await page.getByRole('button', { name: '查询' }).click()
    await settled(page)
    const row = page.locator('[data-testid="user-table"] .el-table__row').filter({ hasText: username })
    await row.waitFor()
    assert.match(await row.innerText(), /窗口人员/)
    assert.match(await row.innerText(), /正常/)
    await screenshot(page, 'users-added')

    // Disabling asks first; 取消 changes nothing.
    await page.locator('.el-table__fixed-right .el-table__row, .el-table__row').filter({ hasText: username }).getByRole('button', { name: '停用' }).first().click()
    await page.locator('.el-message-box').getByRole('button', { name: '取消' }).click()
    await page.locator('.el-message-box').waitFor({ state: 'hidden' })
    await page.locator('.el-table__row').filter({ hasText: username }).getByRole('button', { name: '停用' }).first().click()
    await page.locator('.el-message-box').getByRole('button', { name: '停用' }).click()
    await page.getByText('已停用').waitFor()
    await settled(page)
    await page.locator('[data-testid="user-table"] .el-table__row').filter({ hasText: username }).getByText('停用', { exact: true }).first().waitFor()
    assert.equal(await page.locator('.el-table__row').filter({ hasText: username }).getByRole('button', { name: '启用' }).count() > 0, true)
  })
})
