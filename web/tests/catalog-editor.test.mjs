// The catalogue's form editors: the administrator creates an item through the form (a material,
// a form field, a step moved into place), a bad input (承诺时限 over 法定时限) shows the server's
// Chinese error under its input and saves nothing, then the fixed item is saved as version 1.
// Then 特殊群体一件事 (no other browser test uses it): a new option of a situation, an item made
// conditional on it, the live figures beside the form changing with each edit, the save, and the
// public guide showing the new version with the new option.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet, apiSend, randomUscc } from './helpers.mjs'

let b
let createdCode = ''
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

/** The input inside the form item of JSON path `path`. */
const input = (page, path) => page.locator(`[data-path="${path}"]`).locator('input, textarea').first()

async function fillNumber(page, path, value) {
  const i = input(page, path)
  await i.fill(String(value))
  await i.press('Tab')
}

async function confirmBox(page, button) {
  await page.locator('.el-message-box').getByRole('button', { name: button }).click()
  await page.locator('.el-message-box').waitFor({ state: 'hidden' }).catch(() => undefined)
}

const figuresOf = (page) => page.locator('[data-testid="preview-figures"] [data-testid="figures"]').getAttribute('aria-label')

/** Waits until the live figures differ from `before` and the preview is idle; returns them. */
async function figuresChange(page, before) {
  for (let i = 0; i < 50; i++) {
    const busy = await page.locator('[data-testid="preview-busy"]').count()
    const now = await page.locator('[data-testid="preview-figures"] [data-testid="figures"]').getAttribute('aria-label', { timeout: 500 }).catch(() => null)
    if (!busy && now && now !== before) return now
    await page.waitForTimeout(100)
  }
  throw new Error(`the figures did not change from: ${before}`)
}

test('an item is created through the form; a bad input shows its error under the field and saves nothing', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-item-form', async () => {
    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/admin/catalog/items/new')
    await settled(page)
    await page.locator('[data-testid="item-editor"]').waitFor()

    const n = String(Date.now()).slice(-5)
    const name = `测试表单事项${n}`
    const uscc = randomUscc()
    const basic = `0001${n}000`
    const code = `${uscc}4${basic}`
    await input(page, 'name').fill(name)
    await page.locator('[data-path="departmentCode"] .el-select').click()
    await input(page, 'departmentCode').fill('卫生健康')
    await page.locator('.el-tree-node__content:visible').filter({ hasText: '长沙市卫生健康委员会' }).first().click()
    await input(page, 'basicCode').fill(basic)
    await input(page, 'uscc').fill(uscc)
    await page.locator('[data-testid="item-code"]').getByText(uscc).waitFor()
    // 承诺 30 > 法定 20 个工作日: the server refuses it.
    await fillNumber(page, 'promisedLimit.value', 30)
    await page.locator('.form-warn').filter({ hasText: '承诺办结时限不能超过法定办结时限' }).waitFor()

    await page.locator('.el-tabs__item').filter({ hasText: '材料' }).click()
    await page.locator('[data-action="add-material"]').click()
    await input(page, 'materials[0].key').fill('doc.idCard')
    await input(page, 'materials[0].name').fill('居民身份证')

    await page.locator('.el-tabs__item').filter({ hasText: '表单字段' }).click()
    await page.locator('[data-action="add-field"]').click()
    await input(page, 'fields[0].key').fill('applicant.name')
    await input(page, 'fields[0].label').fill('申请人姓名')

    await page.locator('.el-tabs__item').filter({ hasText: '办理流程' }).click()
    await page.locator('[data-action="add-step"]').click()
    await input(page, 'steps[2].name').fill('审查')
    await page.locator('[data-testid="step-rows"] .row-block').nth(2).getByTitle('上移').click()
    assert.equal(await input(page, 'steps[1].name').inputValue(), '审查', 'the new step moved before 决定')
    await page.locator('[data-testid="step-graph"] canvas').first().waitFor()
    await screenshot(page, 'catalog-item-form-steps')

    await page.locator('[data-action="save-item"]').click()
    await confirmBox(page, '保存')
    // The editor goes back to 基本信息 and shows the error under 承诺办结时限, and in the list.
    const err = page.locator('[data-path="promisedLimit.value"] .el-form-item__error')
    await err.waitFor()
    assert.match(await err.innerText(), /承诺办结时限（30 个工作日）不能超过法定办结时限（20 个工作日）/)
    await page.locator('[data-testid="editor-errors"] [data-error-path="promisedLimit.value"]').waitFor()
    await screenshot(page, 'catalog-item-form-error')
    assert.equal((await apiGet(page, `/catalog/items/${code}`)).status, 404, 'nothing was saved')

    await fillNumber(page, 'promisedLimit.value', 10)
    await err.waitFor({ state: 'detached' })
    await page.locator('[data-action="save-item"]').click()
    await confirmBox(page, '保存')
    await page.waitForURL(new RegExp(`/admin/catalog/items/${code}$`))
    await page.locator('[data-testid="item-version"]').getByText('第 1 版').waitFor()
    const saved = (await apiGet(page, `/catalog/items/${code}`)).body
    assert.equal(saved.name, name)
    assert.equal(saved.departmentCode, 'HN-CS-WJW')
    assert.equal(saved.promisedLimit.value, 10)
    assert.deepEqual(saved.materials.map((m) => [m.key, m.name]), [['doc.idCard', '居民身份证']])
    assert.deepEqual(saved.fields.map((f) => [f.key, f.label]), [['applicant.name', '申请人姓名']])
    assert.deepEqual(saved.steps.map((s) => s.name), ['受理', '审查', '决定'])
    await screenshot(page, 'catalog-item-form-saved')
    createdCode = code
  })
})

test('saving over someone else\'s newer version says so and reloads the latest', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-item-conflict', async () => {
    assert.ok(createdCode, 'the item of the first test')
    await page.goto(BASE_URL + `/admin/catalog/items/${createdCode}`)
    await settled(page)
    await page.locator('[data-testid="item-version"]').getByText('第 1 版').waitFor()
    // Meanwhile another administrator saves version 2.
    const other = (await apiGet(page, `/catalog/items/${createdCode}`)).body
    delete other.labels
    const put = await apiSend(page, 'PUT', `/catalog/items/${createdCode}`, { ...other, explanation: '他人修改的说明' })
    assert.equal(put.status, 200)
    await input(page, 'explanation').fill('我的修改')
    await page.locator('[data-action="save-item"]').click()
    await confirmBox(page, '保存')
    await page.locator('[data-testid="conflict"]').getByText('当前为第 2 版').waitFor()
    await screenshot(page, 'catalog-item-conflict')
    await page.locator('[data-action="reload"]').click()
    await confirmBox(page, '重新载入')
    await page.locator('[data-testid="item-version"]').getByText('第 2 版').waitFor()
    assert.equal(await input(page, 'explanation').inputValue(), '他人修改的说明')
  })
})

test('a demo bundle gains a situation option and a conditional item; the figures follow; the guide shows the new version', async () => {
  const page = b.page
  await withScreenshot(page, 'catalog-bundle-form', async () => {
    const code = 'special-groups'
    const before = (await apiGet(page, `/catalog/bundles/${code}`)).body
    await page.goto(BASE_URL + `/admin/catalog/bundles/${code}`)
    await settled(page)
    await page.locator('[data-testid="bundle-editor"]').waitFor()
    await page.locator('[data-testid="preview-graph"] canvas').first().waitFor()
    const start = await figuresOf(page)
    assert.ok(start, 'the live figures are shown')

    // 情形: a new option for 是否为残疾人.
    const n = String(Date.now()).slice(-5)
    const label = `测试选项${n}`
    const sit = before.situations.findIndex((s) => s.code === 'disability')
    const opt = before.situations[sit].options.length
    await page.locator('.el-tabs__item').filter({ hasText: '情形' }).click()
    await page.locator(`[data-situation-index="${sit}"] [data-action="add-option"]`).click()
    await input(page, `situations[${sit}].options[${opt}].label`).fill(label)
    await input(page, `situations[${sit}].options[${opt}].code`).fill(`t${n}`)
    // Answered with the new option, no disability item applies.
    const radio = page.locator('[data-testid="preview"] [data-situation="disability"] .el-radio').filter({ hasText: label })
    await radio.click()
    const withOption = await figuresChange(page, start)

    // 事项: 困难残疾人补贴 also applies under the new option (picked, not typed).
    const idx = before.items.findIndex((i) => i.when.includes('disability=holder'))
    await page.locator('.el-tabs__item').filter({ hasText: '事项' }).click()
    await page.locator(`[data-path="items[${idx}].when"] .el-select`).click()
    await page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: label }).click()
    await page.keyboard.press('Escape')
    const withItem = await figuresChange(page, withOption)
    assert.notEqual(withItem, withOption)
    await screenshot(page, 'catalog-bundle-form-items')

    await page.locator('[data-action="save-bundle"]').click()
    await confirmBox(page, '保存')
    await page.locator('[data-testid="bundle-version"]').getByText(`第 ${before.version + 1} 版`).waitFor()
    const after = (await apiGet(page, `/catalog/bundles/${code}`)).body
    assert.equal(after.version, before.version + 1)
    assert.ok(after.situations[sit].options.some((o) => o.code === `t${n}` && o.label === label))
    assert.ok(after.items[idx].when.includes(`disability=t${n}`))

    // The public guide: the new version, the new option, and the item it selects.
    await page.goto(BASE_URL + `/guide/bundle/${code}`)
    await settled(page)
    await page.locator('[data-testid="guide-version"]').getByText(`第 ${after.version} 版`).waitFor()
    await page.locator('[data-situation="disability"] .el-radio').filter({ hasText: label }).click()
    const itemName = before.itemDetails[idx].name
    await page.locator('[data-testid="plan-items"]').getByText(itemName).waitFor()
    await screenshot(page, 'catalog-bundle-guide-new-version')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})
