// 综合窗口 on someone's behalf: a clerk files a single item for a registered person as 帮代办
// (with the authorisation), sends a one-time correction notice about a field, corrects it for the
// applicant, accepts, the department approves, and the clerk hands the result out at the window
// (统一窗口出件). The form is filled by field type; materials are generated PDFs.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet, pdfBytes, fillCatalogForm } from './helpers.mjs'

const ITEM_NAME = '户籍证明开具'
const PERSON = '李梅'
let b
const s = { caseId: '', item: null, reviewer: '' }

before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('set-up: the item and the reviewer of its department', async () => {
  const page = b.page
  await login(page, ACCOUNTS.admin)
  const found = await apiGet(page, `/catalog/items?q=${encodeURIComponent(ITEM_NAME)}&limit=5`)
  s.item = found.body.items.find((i) => i.name === ITEM_NAME)
  assert.ok(s.item, `the demo item ${ITEM_NAME}`)
  const depts = (await apiGet(page, '/departments')).body.items
  const dept = depts.find((d) => d.code === s.item.departmentCode)
  const users = (await apiGet(page, `/users?pageSize=100&departmentId=${dept.id}`)).body.items
  s.reviewer = users.find((u) => u.roles.includes('reviewer') && u.status === 'active')?.username ?? ''
  assert.ok(s.reviewer, `a reviewer in ${dept.name}`)
})

test('the clerk files the item for a registered person as 帮代办', async () => {
  const page = b.page
  await withScreenshot(page, 'intake', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/apply')
    await settled(page)
    // A missing choice is named in place.
    await page.locator('[data-action="start"]').click()
    await page.getByText('请先查找并选择申请人').waitFor()
    await page.locator('input[name="party-q"]').fill(PERSON)
    await page.getByRole('button', { name: '查找' }).click()
    await page.locator('[data-testid="party-table"] .el-table__row').filter({ hasText: PERSON }).first().getByRole('button', { name: '选择' }).click()
    await page.locator('[data-testid="chosen-party"]').getByText(PERSON).waitFor()
    await page.locator('.el-radio').filter({ hasText: '帮代办' }).click()
    await page.locator('input[name="agentAuthorisation"]').fill('委托书 2026-018 号，授权代办户籍证明开具')
    await page.locator('.el-radio-button').filter({ hasText: '单个事项' }).click()
    await page.locator('[data-testid="item-select"]').click()
    await page.keyboard.type('户籍证明')
    await page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: ITEM_NAME }).first().click()
    await screenshot(page, 'intake-choose')
    await page.locator('[data-action="start"]').click()

    const form = page.locator('[data-testid="apply-form"]')
    await form.waitFor()
    await page.getByText(`代 ${PERSON} 申请`).waitFor()
    await fillCatalogForm(page, form)
    await page.locator('[data-action="next"]').click()
    const table = page.locator('[data-testid="apply-materials"]')
    await table.waitFor()
    // 下一步 without the required materials: each missing one is named in its row.
    await page.locator('[data-action="next"]').click()
    await table.getByText('必要材料，请上传').first().waitFor()
    const item = (await apiGet(page, `/catalog/items/${s.item.code}`)).body
    for (const m of item.materials.filter((x) => x.need === 'required')) {
      const cell = table.locator(`[data-material="${m.key}"]`)
      await cell.locator('input[type="file"]').setInputFiles({ name: `${m.name}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(m.key) })
      await cell.locator('[data-testid="uploaded"]').waitFor({ timeout: 10000 })
    }
    await page.locator('[data-action="next"]').click()
    await page.locator('[data-testid="apply-delivery"] .el-radio').filter({ hasText: '窗口领取' }).click()
    await page.locator('[data-action="next"]').click()
    await page.locator('[data-testid="promise"]').click()
    await page.locator('[data-action="submit"]').click()
    await page.locator('[data-testid="apply-done"]').waitFor({ timeout: 10000 })
    s.caseId = (await page.locator('[data-testid="case-id"]').innerText()).trim()
    await screenshot(page, 'intake-done')
    const c = (await apiGet(page, `/cases/${s.caseId}`)).body
    assert.equal(c.channel, 'agent')
    assert.equal(c.applicant.name, PERSON)
    assert.ok(c.agentAuthorisation.includes('委托书'))
  })
})

test('one-time correction of a field, corrected at the counter, then 受理', async () => {
  const page = b.page
  await withScreenshot(page, 'counter-correction', async () => {
    await page.getByRole('button', { name: '立即审核受理' }).click()
    await page.waitForURL(new RegExp(`/counter/cases/${s.caseId}`))
    await settled(page)
    await page.locator('[data-action="correction"]').click()
    const dlg = page.locator('[data-testid="correction-dialog"]')
    await dlg.waitFor()
    // Without a message the point is refused in place.
    await dlg.locator('[data-action="save"]').click()
    await dlg.getByText('请写明需补正的内容').waitFor()
    await dlg.locator('[data-testid="point-target-0"]').click()
    const firstField = page.locator('.el-select__popper[aria-hidden="false"] .el-select-group__wrap').filter({ hasText: '申请表填写项' }).locator('.el-select-dropdown__item').first()
    const fieldLabel = (await firstField.innerText()).trim()
    await firstField.click()
    await dlg.locator('input[name="point-message-0"]').fill('与户口簿记载不一致，请核对后重新填写')
    await screenshot(page, 'counter-correction-dialog')
    await dlg.locator('[data-action="save"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '发出补正通知' }).click()
    await page.locator('[data-testid="case-status"]').getByText('待补正').waitFor()
    await page.locator('[data-testid="correction-notice"]').getByText(fieldLabel).waitFor()
    const panel = page.locator('[data-testid="resubmit"]')
    await panel.waitFor()
    await screenshot(page, 'counter-correction')
    await fillCatalogForm(page, panel)
    await panel.locator('[data-action="resubmit"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '提交补正' }).click()
    await page.locator('[data-testid="case-status"]').getByText('待受理').waitFor()

    await page.locator('[data-action="accept"]').click()
    const accept = page.locator('.el-dialog').filter({ hasText: '受理方式' })
    await accept.locator('[data-action="save"]').click()
    await page.locator('.el-message-box').filter({ hasText: '受理编号' }).getByRole('button', { name: '稍后' }).click()
    await page.locator('[data-testid="case-status"]').getByText('办理中').waitFor()
  })
})

test('the department approves; the clerk hands the result out at the window', async () => {
  const page = b.page
  await withScreenshot(page, 'hand-out', async () => {
    const c0 = (await apiGet(page, `/cases/${s.caseId}`)).body
    await login(page, { username: s.reviewer, password: 'Demo@2026' })
    for (let i = 0; i < 5; i++) {
      const task = (await apiGet(page, '/tasks/queue')).body.items.find((t) => t.caseId === s.caseId)
      if (!task) break
      await page.goto(BASE_URL + `/review/tasks/${task.id}?case=${s.caseId}`)
      await settled(page)
      await page.locator('[data-action="approve"]').click()
      const dlg = page.locator('[data-testid="approve-dialog"]')
      await dlg.waitFor()
      const inputs = dlg.locator('input[name^="result-"]')
      for (let k = 0; k < (await inputs.count()); k++) {
        if (!(await inputs.nth(k).inputValue()).trim()) await inputs.nth(k).fill(`HJ${Date.now().toString().slice(-8)}`)
      }
      await dlg.locator('[data-action="save"]').click()
      await dlg.waitFor({ state: 'hidden', timeout: 10000 })
    }
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/cases')
    await settled(page)
    await page.locator('.status-tabs .el-tabs__item').filter({ hasText: '已办结' }).click()
    await settled(page)
    const row = page.locator('[data-testid="case-table"] .el-table__row').filter({ hasText: c0.receiptNo })
    await row.waitFor()
    await row.click()
    await page.waitForURL(new RegExp(`/counter/cases/${s.caseId}`))
    await settled(page)
    await page.locator('[data-action="hand-out"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '确认已交付' }).click()
    await page.locator('[data-testid="case-status"]').getByText('已送达').waitFor()
    await screenshot(page, 'counter-handed-out')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})

test('容缺受理: a deferable material is missing; accepted on the applicant\'s pledge with a due date', async () => {
  const page = b.page
  await withScreenshot(page, 'deferred', async () => {
    await login(page, ACCOUNTS.clerk)
    // An item with a 容缺后补 material, filed at the counter without it.
    const items = (await apiGet(page, '/catalog/items?limit=100')).body.items
    let item = null
    for (const summary of items) {
      const full = (await apiGet(page, `/catalog/items/${summary.code}`)).body
      if (full.materials.some((m) => m.need === 'deferable')) {
        item = full
        break
      }
    }
    assert.ok(item, 'a demo item with a 容缺后补 material')
    await page.goto(BASE_URL + `/counter/apply?kind=item&code=${item.code}`)
    await settled(page)
    await page.locator('input[name="party-q"]').fill(PERSON)
    await page.getByRole('button', { name: '查找' }).click()
    await page.locator('[data-testid="party-table"] .el-table__row').filter({ hasText: PERSON }).first().getByRole('button', { name: '选择' }).click()
    await page.locator('[data-action="start"]').click()
    const form = page.locator('[data-testid="apply-form"]')
    await form.waitFor()
    await fillCatalogForm(page, form)
    await page.locator('[data-action="next"]').click()
    const table = page.locator('[data-testid="apply-materials"]')
    await table.waitFor()
    for (const m of item.materials.filter((x) => x.need === 'required')) {
      const cell = table.locator(`[data-material="${m.key}"]`)
      await cell.locator('input[type="file"]').setInputFiles({ name: `${m.name}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(m.key) })
      await cell.locator('[data-testid="uploaded"]').waitFor({ timeout: 10000 })
    }
    await page.getByText('容缺受理').first().waitFor()
    await page.locator('[data-action="next"]').click()
    await page.locator('[data-action="next"]').click()
    await page.locator('[data-testid="promise"]').click()
    await page.locator('[data-action="submit"]').click()
    await page.locator('[data-testid="apply-done"]').waitFor({ timeout: 10000 })
    const caseId = (await page.locator('[data-testid="case-id"]').innerText()).trim()
    await page.getByRole('button', { name: '立即审核受理' }).click()
    await page.waitForURL(new RegExp(`/counter/cases/${caseId}`))
    await settled(page)
    await page.locator('[data-testid="material-check"]').getByText('可容缺受理').waitFor()

    // 受理 in the normal way is refused while a material is missing; 容缺受理 needs a pledge.
    await page.locator('[data-action="accept"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '受理方式' })
    await dialog.waitFor()
    await dialog.locator('.el-radio').filter({ hasText: /^受理$/ }).click()
    await dialog.locator('[data-action="save"]').click()
    await dialog.locator('.el-alert').getByText('申请材料不齐全').waitFor()
    await dialog.locator('.el-radio').filter({ hasText: '容缺受理' }).click()
    await dialog.locator('[data-action="save"]').click()
    await dialog.getByText('请填写申请人的书面承诺').waitFor()
    await dialog.locator('textarea[name="pledge"]').fill('本人承诺在期限内补交住所使用证明')
    const submitted = (await apiGet(page, `/cases/${caseId}`)).body.submittedAt.slice(0, 10)
    const due = new Date(Date.parse(submitted + 'T00:00:00+08:00') + 10 * 86400_000 + 8 * 3600_000).toISOString().slice(0, 10)
    const picker = dialog.locator('input[name="pledgeDue"]')
    await picker.click()
    await picker.fill(due)
    await picker.press('Enter')
    await screenshot(page, 'counter-accept-deferred')
    await dialog.locator('[data-action="save"]').click()
    await page.locator('.el-message-box').filter({ hasText: '受理编号' }).getByRole('button', { name: '稍后' }).click()
    const c = (await apiGet(page, `/cases/${caseId}`)).body
    assert.equal(c.acceptMode, 'deferred')
    const pledged = c.materials.filter((m) => m.status === 'pledged')
    assert.ok(pledged.length && pledged.every((m) => m.pledgeDue === due), `pledged materials due ${due}`)
    await page.locator('[data-testid="case-materials"]').getByText(`承诺 ${due} 前补交`).first().waitFor()
    await page.goto(BASE_URL + `/print/receipt/${caseId}`)
    await page.locator('[data-testid="receipt"]').getByText('容缺后补').waitFor()
    await screenshot(page, 'receipt-deferred')
  })
})

/** Files ITEM_NAME at the counter for PERSON (every required material) and returns the case id. */
async function intake(page) {
  await page.goto(BASE_URL + `/counter/apply?kind=item&code=${s.item.code}`)
  await settled(page)
  await page.locator('input[name="party-q"]').fill(PERSON)
  await page.getByRole('button', { name: '查找' }).click()
  await page.locator('[data-testid="party-table"] .el-table__row').filter({ hasText: PERSON }).first().getByRole('button', { name: '选择' }).click()
  await page.locator('[data-action="start"]').click()
  const form = page.locator('[data-testid="apply-form"]')
  await form.waitFor()
  await fillCatalogForm(page, form)
  await page.locator('[data-action="next"]').click()
  const item = (await apiGet(page, `/catalog/items/${s.item.code}`)).body
  for (const m of item.materials.filter((x) => x.need === 'required')) {
    const cell = page.locator(`[data-material="${m.key}"]`)
    await cell.locator('input[type="file"]').setInputFiles({ name: `${m.name}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(m.key) })
    await cell.locator('[data-testid="uploaded"]').waitFor({ timeout: 10000 })
  }
  await page.locator('[data-action="next"]').click()
  await page.locator('[data-action="next"]').click()
  await page.locator('[data-testid="promise"]').click()
  await page.locator('[data-action="submit"]').click()
  await page.locator('[data-testid="apply-done"]').waitFor({ timeout: 10000 })
  const id = (await page.locator('[data-testid="case-id"]').innerText()).trim()
  await page.getByRole('button', { name: '立即审核受理' }).click()
  await page.waitForURL(new RegExp(`/counter/cases/${id}`))
  await settled(page)
  return id
}

test('不予受理 with a reason; 不予许可 by the department ends the case with the reason shown', async () => {
  const page = b.page
  await withScreenshot(page, 'refuse-reject', async () => {
    await login(page, ACCOUNTS.clerk)
    const refused = await intake(page)
    await page.locator('[data-action="refuse"]').click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '不予受理' })
    await dlg.locator('[data-action="save"]').click()
    await dlg.getByText('请填写不予受理的理由').waitFor()
    await dlg.locator('textarea[name="reason"]').fill('申请人户籍不在本市，不属于本机关受理范围，请向户籍所在地公安机关申请')
    await dlg.locator('[data-action="save"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '不予受理' }).click()
    await page.locator('[data-testid="case-status"]').getByText('不予受理').waitFor()
    await page.getByText('不属于本机关受理范围').first().waitFor()
    assert.equal((await apiGet(page, `/cases/${refused}`)).body.status, 'refused')

    const rejected = await intake(page)
    await page.locator('[data-action="accept"]').click()
    await page.locator('.el-dialog').filter({ hasText: '受理方式' }).locator('[data-action="save"]').click()
    await page.locator('.el-message-box').filter({ hasText: '受理编号' }).getByRole('button', { name: '稍后' }).click()
    await login(page, { username: s.reviewer, password: 'Demo@2026' })
    const task = (await apiGet(page, '/tasks/queue')).body.items.find((t) => t.caseId === rejected)
    await page.goto(BASE_URL + `/review/tasks/${task.id}?case=${rejected}`)
    await settled(page)
    await page.locator('[data-action="reject"]').click()
    const rd = page.locator('.el-dialog').filter({ hasText: '不予许可' })
    await rd.locator('textarea[name="reason"]').fill('经核查，申请人不符合开具户籍证明的条件')
    await rd.locator('[data-action="save"]').click()
    await page.locator('.el-message-box').getByRole('button', { name: '不予许可' }).click()
    await page.locator('[data-testid="case-status"]').getByText('办理终止').waitFor()
    await page.locator('[data-testid="task-done"]').waitFor()
    await screenshot(page, 'review-rejected')
    const c = (await apiGet(page, `/cases/${rejected}`)).body
    assert.equal(c.status, 'rejected')
    assert.ok(c.tasks[0].reason.includes('不符合'), 'the task keeps the reason')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})
