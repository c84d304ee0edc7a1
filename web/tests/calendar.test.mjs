// (4) The calendar shows 2026-10-01 as 休 and 2026-10-10 (a Saturday) as 班.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet } from './helpers.mjs'

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('October 2026: 国庆 holidays are 休, the adjusted Saturday is 班', async () => {
  const page = b.page
  await withScreenshot(page, 'calendar-2026-10', async () => {
    await login(page, ACCOUNTS.admin)
    await page.goto(BASE_URL + '/calendar?year=2026&month=10')
    await settled(page)
    const oct1 = page.locator('[data-date="2026-10-01"]')
    await oct1.waitFor()
    assert.equal(await oct1.getAttribute('data-kind'), 'holiday')
    assert.equal((await oct1.locator('.badge').innerText()).trim(), '休')
    const oct10 = page.locator('[data-date="2026-10-10"]')
    assert.equal(await oct10.getAttribute('data-kind'), 'adjusted_workday')
    assert.equal((await oct10.locator('.badge').innerText()).trim(), '班')
    // An ordinary weekend and an ordinary workday carry no badge.
    assert.equal(await page.locator('[data-date="2026-10-11"]').getAttribute('data-kind'), 'weekend')
    assert.equal(await page.locator('[data-date="2026-10-12"]').getAttribute('data-kind'), 'workday')
    assert.equal(await page.locator('[data-date="2026-10-12"] .badge').count(), 0)
    // 2026 is published: no "未发布" banner.
    assert.equal(await page.locator('[data-testid="unpublished-banner"]').count(), 0)
    await screenshot(page, 'calendar-2026-10')
  })
})

test('工作日计算 counts across the 国庆 holidays', async () => {
  const page = b.page
  await withScreenshot(page, 'calendar-add', async () => {
    await page.goto(BASE_URL + '/calendar?year=2026&month=10')
    await settled(page)
    const box = page.locator('[data-testid="workday-calc"]')
    const date = box.locator('.el-date-editor input')
    await date.fill('2026-09-30')
    await date.press('Enter')
    await box.locator('.el-input-number input').fill('5')
    await box.getByRole('button', { name: '计算' }).click()
    // 民法典 art. 201: the start day is not counted; 10-01..10-07 off, 10-10 班 counts.
    const want = await apiGet(page, '/calendar/add?date=2026-09-30&days=5')
    assert.equal(want.status, 200)
    assert.equal(want.body.result, '2026-10-13', 'server: 2026-09-30 + 5 working days')
    await box.locator('[data-testid="calc-result"]').getByText('2026年10月13日').waitFor()
  })
})

test('an unpublished year shows the 按周一至周五推算 banner', async () => {
  const page = b.page
  await withScreenshot(page, 'calendar-unpublished', async () => {
    const { body } = await apiGet(page, '/calendar/2027')
    await page.goto(BASE_URL + '/calendar?year=2027&month=1')
    await settled(page)
    await page.locator('[data-date="2027-01-04"]').waitFor()
    const banner = page.locator('[data-testid="unpublished-banner"]')
    if (body.published) {
      assert.equal(await banner.count(), 0)
    } else {
      assert.match(await banner.innerText(), /未发布，按周一至周五推算/)
    }
    await screenshot(page, 'calendar-2027-01')
  })
})

test('admin sets an override with a reason, then removes it', async () => {
  const page = b.page
  await withScreenshot(page, 'calendar-override', async () => {
    await page.goto(BASE_URL + '/calendar?year=2026&month=12')
    await settled(page)
    const cell = page.locator('[data-date="2026-12-30"]') // a Wednesday
    assert.equal(await cell.getAttribute('data-kind'), 'workday')
    await cell.click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '调整日期' })
    await dialog.waitFor()
    await dialog.getByText('休息日（不上班）').click()
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.getByText('请填写调整原因').waitFor() // the reason is required
    await dialog.locator('textarea').fill('浏览器测试：临时调整')
    await dialog.locator('input[placeholder^="如：国庆节"]').fill('测试停休')
    await dialog.getByRole('button', { name: '保存' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-date="2026-12-30"].overridden').waitFor()
    assert.equal(await cell.getAttribute('data-kind'), 'holiday')
    await screenshot(page, 'calendar-override')

    await cell.click()
    await dialog.waitFor()
    await dialog.locator('textarea').fill('浏览器测试：恢复')
    await dialog.getByRole('button', { name: '撤销调整' }).click()
    await page.locator('.el-message-box').getByRole('button', { name: '撤销调整' }).click()
    await dialog.waitFor({ state: 'hidden' })
    await page.locator('[data-date="2026-12-30"]:not(.overridden)').waitFor()
    assert.equal(await cell.getAttribute('data-kind'), 'workday')
  })
})

test('a clerk sees the calendar but cannot change it', async () => {
  const page = b.page
  await withScreenshot(page, 'calendar-clerk', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/calendar?year=2026&month=10')
    await settled(page)
    await page.locator('[data-date="2026-10-01"]').click()
    await page.waitForTimeout(300)
    assert.equal(await page.locator('.el-dialog:visible').count(), 0, 'no override dialog for a clerk')
  })
})
