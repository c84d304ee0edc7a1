// 预约 end to end on a hall of its own (created through the API with a unique code, so the test
// can run again on the same database, and taken out of service at the end): the admin lengthens
// the hall's evening hours (延时服务) in 大厅与预约设置 and the new slots show in the grid; the
// citizen books from the 出生一件事 guide page (the counter for the bundle is chosen for them; a
// slot booked up through the API first is disabled), sees the booking number in 我的预约 and the
// server's refusal of a second booking on the same day in place; the clerk sees today's booking in
// 今日预约, checks it in and opens 代为申请 with 出生一件事 chosen; the citizen cancels the other one.
//
// The dates come from the server's clock (scripts/browser-tests.sh: --now 2026-02-14T09:00:00+08:00,
// a worked Saturday before the Spring Festival holidays 02-15 … 02-23): today must take bookings
// (check-in is only on the booking's day), and the other booking goes on the next working day.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet, apiSend, randomIdNumber } from './helpers.mjs'

const BUNDLE = 'birth'
const SUFFIX = Date.now().toString(36).slice(-5).toUpperCase()
const HALL_CODE = `HALL-T${SUFFIX}`
const HALL_NAME = `预约测试服务中心${SUFFIX}`

let b
const s = {
  hall: null,
  today: '',
  /** The next working day after today (the Spring Festival holidays are closed). */
  nextWorkday: '',
  /** The slot booked up through the API, and the one the citizen books on nextWorkday. */
  fullSlot: '',
  citizenSlot: '',
  bookedNo: '',
  todayNo: '',
}

before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => {
  // Out of service, so that later runs and other tests see only their own halls.
  if (s.hall && b) {
    await login(b.page, ACCOUNTS.admin).catch(() => undefined)
    const h = (await apiGet(b.page, `/appointments/halls/${s.hall.id}`).catch(() => null))?.body
    if (h?.active) {
      const { id: _id, ...body } = h
      await apiSend(b.page, 'PUT', `/appointments/halls/${h.id}`, { ...body, active: false }).catch(() => undefined)
    }
  }
  await b?.close()
})

/** The row of booking `no` at this run's hall (numbers run per hall and day, so earlier runs' halls
 *  have the same ones). */
const rowOf = (table, no) => table.locator('.el-table__row').filter({ hasText: no }).filter({ hasText: HALL_NAME })

/** Picks `text` in an el-select, again if the popper's click did not take. */
async function chooseOption(page, select, text) {
  for (let i = 0; i < 3; i++) {
    await select.click()
    const opt = page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: text }).first()
    await opt.waitFor()
    await opt.click()
    const ok = await select.locator('.el-select__selected-item').filter({ hasText: text }).waitFor({ timeout: 2000 }).then(() => true, () => false)
    if (ok) return
  }
  throw new Error(`could not choose ${text}`)
}

const slotsOf = async (page, counterType, days = 15) =>
  (await apiGet(page, `/appointments/halls/${s.hall.id}/slots?counterType=${counterType}&days=${days}`)).body

test('set-up: a hall with a general counter and a 出生一件事 counter of one seat per slot', async () => {
  const page = b.page
  await login(page, ACCOUNTS.admin)
  const r = await apiSend(page, 'POST', '/appointments/halls', {
    code: HALL_CODE,
    name: HALL_NAME,
    regionCode: '430102',
    address: '长沙市芙蓉区测试路 1 号',
    phone: '0731-88880000',
    active: true,
    schedule: {
      slotMinutes: 30,
      bookAheadDays: 14,
      cancelBeforeMinutes: 30,
      reminderHours: 24,
      workday: [
        { from: '09:00', to: '12:00' },
        { from: '13:30', to: '17:30' },
      ],
      evening: [{ from: '17:30', to: '19:00' }],
      restday: [{ from: '09:00', to: '12:00' }],
      restdayOnHolidays: false,
    },
    counterTypes: [
      { code: 'general', name: '综合受理窗口', itemCodes: [], bundleCodes: [], slotCapacity: 3, dayCapacity: 60 },
      { code: 'birth', name: '出生一件事专窗', itemCodes: [], bundleCodes: [BUNDLE], slotCapacity: 1, dayCapacity: 20 },
    ],
  })
  assert.ok([200, 201].includes(r.status), `POST /appointments/halls: ${r.status} ${JSON.stringify(r.body)}`)
  s.hall = r.body

  const view = await slotsOf(page, 'general')
  s.today = view.days[0].date
  const today = view.days[0]
  assert.equal(today.kind, 'workday', `the server's today (${s.today}) must be a working day; run the server with --now 2026-02-14T09:00:00+08:00`)
  assert.ok(today.slots.some((x) => x.bookable), `today (${s.today}) must still have bookable slots (a freshly started server at 09:00)`)
  s.nextWorkday = view.days.find((d) => d.date > s.today && d.kind === 'workday')?.date ?? ''
  assert.ok(s.nextWorkday, 'a working day within the book-ahead days')
  if (s.today === '2026-02-14') assert.equal(s.nextWorkday, '2026-02-24', 'the Spring Festival holidays are closed')
})

test('the admin lengthens the evening hours (延时服务) in 大厅与预约设置', async () => {
  const page = b.page
  await withScreenshot(page, 'appt-admin', async () => {
    await page.goto(BASE_URL + '/admin/halls')
    await settled(page)
    const row = page.locator('[data-testid="hall-table"] .el-table__row').filter({ hasText: HALL_NAME })
    await row.waitFor()
    await screenshot(page, 'appt-halls')
    await row.locator('[data-action="edit"]').click()
    await page.waitForURL(new RegExp(`/admin/halls/${s.hall.id}`))
    await settled(page)
    const evening = page.locator('[data-period="evening-0"]')
    await evening.waitFor()
    const to = evening.locator('.time').nth(1)
    // Typed into the (filterable) time select and taken with Enter: a click on the popper's option
    // did not always take while it was still opening.
    const pickTime = async (text) => {
      await to.click()
      await page.keyboard.type(text)
      await page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: new RegExp(`^${text}$`) }).first().waitFor()
      await page.keyboard.press('Enter')
      await to.locator('.el-select__selected-item').filter({ hasText: new RegExp(`^${text}$`) }).waitFor()
      await page.keyboard.press('Escape').catch(() => undefined)
    }
    // An end before the start is refused in place, before anything is sent.
    await pickTime('17:00')
    await page.locator('[data-action="save-hall"]').click()
    await evening.getByText('结束时间须晚于开始时间').waitFor()
    // Another hall's code: the server's field error shows under 大厅编码.
    const other = (await apiGet(page, '/appointments/halls?all=1')).body.items.find((h) => h.id !== s.hall.id)
    assert.ok(other, 'another hall (the demo halls)')
    const code = page.locator('input[name="code"]')
    await code.fill(other.code)
    await pickTime('20:00')
    await evening.getByText('5 个时段').waitFor()
    await page.locator('[data-action="save-hall"]').click()
    await page.locator('[data-testid="server-error"]').waitFor()
    await page.locator('.el-form-item').filter({ has: code }).locator('.el-form-item__error').getByText('已被').waitFor()
    await screenshot(page, 'appt-hall-edit-error')
    await code.fill(HALL_CODE)
    await screenshot(page, 'appt-hall-edit')
    await page.locator('[data-action="save-hall"]').click()
    await page.locator('.el-message--success').filter({ hasText: '已保存' }).waitFor()
    const h = (await apiGet(page, `/appointments/halls/${s.hall.id}`)).body
    assert.deepEqual(h.schedule.evening, [{ from: '17:30', to: '20:00' }])
    assert.equal(h.version, s.hall.version + 1, 'saved as a new version')

    // Saving the copy that is now stale: the server's 409 asks to reload.
    const stale = await apiSend(page, 'PUT', `/appointments/halls/${s.hall.id}`, { ...(({ id, ...x }) => x)(s.hall), version: s.hall.version })
    assert.equal(stale.status, 409)
    assert.equal(stale.body.error.reason, 'appointments.version_conflict')
    s.hall = h
  })
})

test('the clerk books the first 出生一件事 slot of the next working day up (through the API)', async () => {
  const page = b.page
  await login(page, ACCOUNTS.clerk)
  const day = (await slotsOf(page, 'birth')).days.find((d) => d.date === s.nextWorkday)
  s.fullSlot = day.slots.find((x) => x.bookable).start
  const r = await apiSend(page, 'POST', '/appointments', {
    hallId: s.hall.id,
    counterType: 'birth',
    date: s.nextWorkday,
    start: s.fullSlot,
    bundleCode: BUNDLE,
    applicantName: '王小兰',
    idNumber: randomIdNumber(),
    phone: '13800000021',
  })
  assert.equal(r.status, 201, `clerk books on behalf: ${JSON.stringify(r.body)}`)
})

test('the citizen books from the 出生一件事 guide page; the full slot is disabled; the evening change shows', async () => {
  const page = b.page
  await withScreenshot(page, 'appt-book', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + `/guide/bundle/${BUNDLE}`)
    await settled(page)
    await page.locator('[data-action="book"]').click()
    await page.waitForURL(/\/appointments\/new\?bundle=birth/)
    await settled(page)
    await page.locator('[data-testid="book-subject"]').getByText('出生一件事').waitFor()
    await page.locator(`[data-hall="${HALL_CODE}"]`).click()
    // The counter for the bundle is chosen (the specific one before the general one).
    await page.locator('.el-radio-button.is-active[data-counter="birth"]').waitFor()
    const strip = page.locator('[data-testid="day-strip"]')
    await strip.locator(`[data-date="${s.today}"]`).waitFor()
    if (s.today === '2026-02-14') {
      assert.match(await strip.locator('[data-date="2026-02-14"]').innerText(), /工作日（调休）/)
      // The Spring Festival holidays: one tile, closed.
      const holidays = strip.locator('[data-dates*="2026-02-17"]')
      assert.match(await holidays.innerText(), /2月15日–23日[\s\S]*休息[\s\S]*共 9 天不开放/)
      assert.equal(await holidays.getAttribute('data-kind'), 'closed')
    }
    await strip.locator(`[data-date="${s.nextWorkday}"]`).click()
    const grid = page.locator('[data-testid="slot-grid"]')
    const full = grid.locator(`[data-slot="${s.fullSlot}"]`)
    await full.getByText('已约满').waitFor()
    assert.ok(await full.isDisabled(), 'the booked-up slot is disabled')
    // The longer evening (17:30–20:00): the 19:30 slot is there, marked 延时.
    const evening = grid.locator('[data-slot="19:30"]')
    await evening.getByText('延时').waitFor()
    assert.match(await evening.innerText(), /19:30–20:00/)
    const pick = grid.locator('.slot:not([disabled])').first()
    const start = await pick.getAttribute('data-slot')
    s.citizenSlot = start
    await pick.click()
    await page.locator('[data-testid="chosen-slot"]').getByText(start).waitFor()
    await screenshot(page, 'appt-book-grid')
    await page.locator('[data-action="book"]').click()
    const dlg = page.locator('[data-testid="book-confirm"]')
    await dlg.getByText('请核对预约信息').waitFor()
    await dlg.getByText(HALL_NAME).waitFor()
    await screenshot(page, 'appt-book-confirm')
    await dlg.locator('[data-action="confirm-book"]').click()
    await page.locator('[data-testid="book-done"]').waitFor({ timeout: 10000 })
    s.bookedNo = (await page.locator('[data-testid="booking-no"]').innerText()).trim()
    assert.match(s.bookedNo, /^YY\d{11}$/)
    await page.locator('[data-testid="book-done-detail"]').getByText('长沙市芙蓉区测试路 1 号').waitFor()
    assert.equal(await page.locator('[data-testid="guide-link"]').getAttribute('href'), `/guide/bundle/${BUNDLE}`)
    await screenshot(page, 'appt-book-done')

    // A second booking on the same day at the same hall is refused; the server says why, in place.
    await page.getByRole('button', { name: '再预约一个' }).click()
    await strip.locator(`[data-date="${s.nextWorkday}"]`).click()
    await grid.locator('.slot:not([disabled])').nth(2).click()
    await page.locator('[data-action="book"]').click()
    await dlg.locator('[data-action="confirm-book"]').click()
    await dlg.locator('[data-testid="book-error"]').waitFor()
    assert.ok((await dlg.locator('[data-testid="book-error"]').innerText()).trim().length > 4, 'the server message is shown')
    await screenshot(page, 'appt-book-duplicate')
    await dlg.getByRole('button', { name: '返回修改' }).click()

    // Today: the last slot still open (check-in is only on the booking's day).
    await strip.locator(`[data-date="${s.today}"]`).click()
    await grid.locator('.slot:not([disabled])').last().click()
    await page.locator('[data-action="book"]').click()
    await dlg.locator('[data-action="confirm-book"]').click()
    await page.locator('[data-testid="book-done"]').waitFor({ timeout: 10000 })
    s.todayNo = (await page.locator('[data-testid="booking-no"]').innerText()).trim()

    await page.getByRole('button', { name: '查看我的预约' }).click()
    await page.waitForURL(/\/my\/appointments/)
    await settled(page)
    const table = page.locator('[data-testid="my-appointments"]')
    for (const no of [s.bookedNo, s.todayNo]) {
      const row = rowOf(table, no)
      await row.locator('[data-status="booked"]').getByText('已预约').waitFor()
      await row.getByRole('link', { name: '出生一件事' }).waitFor()
    }
    await screenshot(page, 'appt-mine')
    const mine = (await apiGet(page, '/appointments/mine')).body
    const items = Array.isArray(mine) ? mine : mine.items
    assert.equal(items.find((x) => x.bookingNo === s.bookedNo)?.counterType, 'birth')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})

test('the clerk sees it in 今日预约, checks it in and opens 代为申请 with 出生一件事 chosen', async () => {
  const page = b.page
  await withScreenshot(page, 'appt-counter', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/appointments')
    await settled(page)
    await chooseOption(page, page.locator('[data-testid="hall-select"]'), HALL_NAME)
    await settled(page)
    const table = page.locator('[data-testid="counter-appointments"]')
    const row = table.locator('.el-table__row').filter({ hasText: s.todayNo })
    await row.waitFor()
    assert.ok(!(await table.innerText()).includes(s.bookedNo), 'the other day\'s booking is not in today\'s list')
    await screenshot(page, 'appt-counter')
    await row.locator('[data-action="check-in"]').click()
    await row.locator('[data-status="checked_in"]').getByText('已签到').waitFor()
    await screenshot(page, 'appt-counter-checked-in')
    // The hall is remembered on this computer.
    assert.equal(await page.evaluate(() => localStorage.getItem('onestop.counter.hall')), s.hall.id)
    await row.locator('[data-action="intake"]').click()
    await page.waitForURL(/\/counter\/apply\?kind=bundle&code=birth/)
    await settled(page)
    await page.locator('[data-testid="bundle-select"]').getByText('出生一件事').waitFor()
  })
})

test('the citizen cancels the other booking after confirming', async () => {
  const page = b.page
  await withScreenshot(page, 'appt-cancel', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + '/my/appointments')
    await settled(page)
    const table = page.locator('[data-testid="my-appointments"]')
    await rowOf(table, s.todayNo).locator('[data-status="checked_in"]').waitFor()
    const row = rowOf(table, s.bookedNo)
    await row.locator('[data-action="cancel"]').click()
    const box = page.locator('.el-message-box')
    await box.getByText('确定要取消').waitFor()
    await box.locator('input').fill('孩子出院时间推迟')
    await screenshot(page, 'appt-cancel-confirm')
    await box.getByRole('button', { name: '确定取消预约' }).click()
    await row.locator('[data-status="cancelled"]').getByText('已取消').waitFor()
    await row.getByText('孩子出院时间推迟').waitFor()
    await screenshot(page, 'appt-cancelled')
    // The seat is free again; the clerk's booking still counts.
    const day = (await slotsOf(page, 'birth')).days.find((d) => d.date === s.nextWorkday)
    assert.equal(day.slots.find((x) => x.start === s.citizenSlot).available, 1, 'the cancelled seat is free again')
    assert.equal(day.slots.find((x) => x.start === s.fullSlot).available, 0)
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})
