// (3) admin adds a department under 长沙市, sees it in the tree, and it survives a reload.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('admin adds a child department under 长沙市', async () => {
  const page = b.page
  await withScreenshot(page, 'departments-add', async () => {
    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/system/departments')
    await settled(page)
    const parentName = page.locator('[data-dept-name^="长沙市"]').first()
    await parentName.waitFor()
    const parent = await parentName.getAttribute('data-dept-name')
    const row = page.locator('.el-table__row').filter({ has: page.locator(`[data-dept-name="${parent}"]`) }).first()
    await row.locator('[data-action="add-child"]').click()

    const dialog = page.locator('.el-dialog').filter({ hasText: '新增下级部门' })
    await dialog.waitFor()
    assert.match(await dialog.innerText(), new RegExp(parent))
    // Required fields are checked in the browser first.
    await dialog.locator('[data-action="save"]').click()
    await dialog.getByText('请输入部门编码').waitFor()

    const stamp = Date.now().toString(36).toUpperCase()
    const code = `T${stamp}`
    const name = `测试科室${stamp}`
    await dialog.locator('input[name="code"]').fill(code)
    await dialog.locator('input[name="name"]').fill(name)
    // Level (one below the parent) and region (the parent's) are filled in for a child department.
    await dialog.locator('[data-action="save"]').click()
    await dialog.waitFor({ state: 'hidden' })
    await page.getByText(`已新增部门“${name}”`).waitFor()
    await page.locator(`[data-dept-name="${name}"]`).waitFor()
    await screenshot(page, 'departments-added')

    await page.reload()
    await settled(page)
    await page.locator(`[data-dept-name="${name}"]`).waitFor()

    // It hangs under 长沙市 in the data too.
    const { status, body } = await apiGet(page, '/departments')
    assert.equal(status, 200)
    const created = body.items.find((d) => d.name === name)
    const parentDept = body.items.find((d) => d.name === parent)
    assert.ok(created, 'new department is listed')
    assert.equal(created.parentId, parentDept.id)
    assert.equal(created.code, code)
    assert.equal(created.regionCode, parentDept.regionCode)
  })
})

test('a duplicate department code shows the server message', async () => {
  const page = b.page
  await withScreenshot(page, 'departments-duplicate', async () => {
    await page.goto(BASE_URL + '/system/departments')
    await settled(page)
    const { body } = await apiGet(page, '/departments')
    const existing = body.items.find((d) => d.name.startsWith('长沙市')) ?? body.items[0]
    const row = page.locator('.el-table__row').filter({ has: page.locator(`[data-dept-name="${existing.name}"]`) }).first()
    await row.locator('[data-action="add-child"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '新增下级部门' })
    await dialog.locator('input[name="code"]').fill(existing.code)
    await dialog.locator('input[name="name"]').fill('重复编码测试')
    await dialog.locator('[data-action="save"]').click()
    // The server rejects it (409 ALREADY_EXISTS); the dialog stays open and shows its message.
    await dialog.locator('.el-alert--error').waitFor()
    assert.ok((await dialog.locator('.el-alert--error').innerText()).trim().length > 0)
    await screenshot(page, 'departments-duplicate')
    await dialog.getByRole('button', { name: '取消' }).click()
  })
})
