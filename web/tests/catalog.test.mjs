// 办事大厅 without signing in, and 事项与一件事 for catalogue administrators: the bundle list with
// the derived figures, the bundle's dependency graph, the JSON editor (高级) showing the server's
// validation errors at their lines, and the import page with line-precise errors. Nothing is
// saved (only invalid saves are tried), so the demo catalogue stays as it is.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('a visitor browses 办事大厅 and an item guide without signing in; 在线申请 asks to sign in', async () => {
  const page = b.page
  await withScreenshot(page, 'guest', async () => {
    await page.context().clearCookies()
    await page.goto(BASE_URL + '/portal')
    await page.locator('[data-testid="guest"]').getByRole('button', { name: '登录' }).waitFor()
    await page.locator('[data-bundle]').first().waitFor()
    await page.locator('.el-tabs__item').filter({ hasText: '单个事项' }).click()
    const row = page.locator('[data-testid="item-table"] .el-table__row').first()
    await row.waitFor()
    await screenshot(page, 'portal-items-guest')
    await row.locator('a').first().click()
    await page.waitForURL(/\/guide\/item\//)
    await page.locator('[data-testid="guide-materials"]').waitFor()
    await page.locator('[data-testid="guide-steps"]').waitFor()
    const qrOk = await page.locator('[data-testid="guide-qr"]').evaluate((img) => new Promise((r) => (img.complete ? r(img.naturalWidth > 0) : (img.onload = () => r(true)))))
    assert.ok(qrOk, 'the QR code loads')
    await screenshot(page, 'guide-item')
    await page.locator('[data-action="apply"]').click()
    await page.waitForURL(/\/login\?redirect=(%2F|\/)apply(%2F|\/)item/)
  })
})

test('the administrator sees every bundle with its before / after figures and its graph', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-admin', async () => {
    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/admin/catalog')
    await settled(page)
    const rows = page.locator('[data-testid="bundle-table"] .el-table__row')
    await rows.first().waitFor()
    const total = (await apiGet(page, '/catalog/bundles')).body.items.length
    assert.equal(await rows.count(), total)
    await page.locator('[data-testid="bundle-table"] [data-testid="figures"]').nth(total - 1).waitFor()
    await screenshot(page, 'catalog-bundles')
    await rows.filter({ hasText: '出生一件事' }).getByRole('button', { name: '配置' }).click()
    await page.waitForURL(/\/admin\/catalog\/bundles\/birth/)
    await settled(page)
    // The editor opens with the live graph and figures beside it; the published version's overview is a tab.
    await page.locator('[data-testid="preview-graph"] canvas').first().waitFor()
    await page.locator('[data-testid="preview-figures"]').waitFor()
    await screenshot(page, 'catalog-bundle-config')
    await page.locator('.el-tabs__item').filter({ hasText: '已发布版本' }).click()
    await page.locator('[data-testid="bundle-graph"] canvas').first().waitFor()
    await page.locator('[data-testid="plan"] [data-testid="figures"]').waitFor()
    await screenshot(page, 'catalog-bundle-graph')
  })
})

test('an invalid item edit shows the server\'s errors at their lines and saves nothing', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-item-edit', async () => {
    const item = (await apiGet(page, '/catalog/items?q=户籍证明开具&limit=1')).body.items[0]
    await page.goto(BASE_URL + `/admin/catalog/items/${item.code}`)
    await settled(page)
    await page.locator('.el-tabs__item').filter({ hasText: '高级（JSON）' }).click()
    const text = page.locator('[data-testid="json-text"]')
    await text.waitFor()
    const original = await text.inputValue()
    // 承诺时限 beyond the 法定时限, and an unknown key.
    const broken = original
      .replace(/("promisedLimit": \{\n\s*"value": )\d+/, '$1999')
      .replace('"visits":', '"vists": 1,\n  "visits":')
    assert.notEqual(broken, original)
    await text.fill(broken)
    await page.locator('[data-action="save-json"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '保存' }).click()
    const errors = page.locator('[data-testid="json-errors"] .err')
    await errors.first().waitFor()
    const lines = await errors.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line') || 0)))
    assert.ok(lines.some((l) => l > 1), `errors carry line numbers: ${lines}`)
    await page.locator('[data-testid="json-message"]').waitFor()
    await screenshot(page, 'catalog-item-errors')
    const after = (await apiGet(page, `/catalog/items/${item.code}`)).body
    assert.equal(after.version, item.version, 'nothing was saved')
  })
})

test('an import with mistakes lists them by line and imports nothing', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-import', async () => {
    await page.goto(BASE_URL + '/admin/catalog/import')
    await settled(page)
    const before = (await apiGet(page, '/catalog/items?limit=1')).body.total
    const text = JSON.stringify(
      {
        items: [{ code: '11430100MB1A01039K3432003501000', name: '户籍证明开具', level: '四级', promisedLimt: { value: 1 } }],
        bundles: [{ code: 'bad-bundle', name: '测试一件事', items: [{ itemCode: 'no-such-item' }] }],
      },
      null,
      2,
    )
    await page.locator('[data-testid="json-text"]').fill(text)
    await page.locator('[data-action="import"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '导入' }).click()
    const errors = page.locator('[data-testid="json-errors"] .err')
    await errors.first().waitFor()
    const lines = await errors.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line') || 0)))
    assert.ok(lines.some((l) => l > 1), `import errors name their lines: ${lines}`)
    await page.locator('[data-testid="import-message"]').getByText('未导入任何内容').waitFor()
    await screenshot(page, 'catalog-import-errors')
    assert.equal((await apiGet(page, '/catalog/items?limit=1')).body.total, before, 'nothing imported')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})
