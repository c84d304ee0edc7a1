// 出生一件事 end to end with the demo data: the citizen applies once (one merged form, every
// required material uploaded); the counter accepts (receipt number, 受理通知书); the departments
// act in order, each task reaching its department's queue only when its prerequisites are done
// (自动推送); one department asks for a correction — the citizen sees 待补正 and the clock
// paused, and resubmits; the departments finish; the citizen sees 已办结 and the timeline.
// The deadline must be the plan's critical path in working days from the acceptance date on the
// 2026 calendar (scripts/browser-tests.sh runs the server with --now 2026-02-14T09:00:00+08:00, a worked
// Saturday just before the Spring Festival holidays 02-15 … 02-23).
//
// Nothing here depends on the exact demo fields: the form is filled by field type, every
// required material gets a generated PDF, the answers are chosen by the plan figures, and the
// reviewer of each department is found through the user list.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import {
  launch,
  login,
  ACCOUNTS,
  BASE_URL,
  withScreenshot,
  screenshot,
  settled,
  requireServer,
  apiGet,
  apiSend,
  pdfBytes,
  fillCatalogForm,
  randomIdNumber,
} from './helpers.mjs'

const BUNDLE = 'birth'
const DEMO_PASSWORD = 'Demo@2026'
const FIXED_DATE = '2026-02-14'

let b
const s = {
  /** departmentId → reviewer username */
  reviewers: new Map(),
  answers: null,
  plan: null,
  caseId: '',
  receiptNo: '',
  acceptedDate: '',
}

before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

const account = (username) => ({ username, password: DEMO_PASSWORD })

async function caseJson(page) {
  const r = await apiGet(page, `/cases/${s.caseId}`)
  assert.equal(r.status, 200, `GET /cases/${s.caseId}: ${JSON.stringify(r.body)}`)
  return r.body
}

/** Every combination of the bundle's answers (at most 64). */
function combinations(situations) {
  let out = [{}]
  for (const q of situations) {
    const next = []
    for (const a of out) for (const o of q.options) next.push({ ...a, [q.code]: o.code })
    out = next.slice(0, 64)
  }
  return out
}

test('set-up: the reviewers of the demo departments and the answers with the longest plan', async () => {
  const page = b.page
  await login(page, ACCOUNTS.admin)
  const users = await apiGet(page, '/users?pageSize=100')
  assert.equal(users.status, 200)
  for (const u of users.body.items) {
    if (u.roles.includes('reviewer') && u.departmentId && u.status === 'active' && !s.reviewers.has(u.departmentId)) {
      s.reviewers.set(u.departmentId, u.username)
    }
  }
  const depts = await apiGet(page, '/departments')
  const deptIdByCode = new Map(depts.body.items.map((d) => [d.code, d.id]))

  const bundle = await apiGet(page, `/catalog/bundles/${BUNDLE}`)
  assert.equal(bundle.status, 200, 'the demo bundle 出生一件事 exists')
  // The answers whose plan takes longest (so the deadline runs across the Spring Festival)
  // among those whose every department has a demo reviewer.
  for (const answers of combinations(bundle.body.situations)) {
    const r = await apiSend(page, 'POST', `/catalog/bundles/${BUNDLE}/plan`, { answers })
    if (r.status !== 200) continue
    const covered = r.body.items.every((i) => s.reviewers.has(deptIdByCode.get(i.departmentCode)))
    if (covered && (!s.plan || r.body.figures.daysAfter > s.plan.figures.daysAfter)) {
      s.answers = answers
      s.plan = r.body
    }
  }
  assert.ok(s.plan, `a plan of 出生一件事 whose departments all have a reviewer (reviewers: ${[...s.reviewers.values()].join(', ')})`)
  assert.ok(s.plan.items.length >= 3, 'at least three items')
})

test('the citizen finds 出生一件事 in 办事大厅, reads the guide and applies once', async () => {
  const page = b.page
  await withScreenshot(page, 'birth-apply', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + '/portal')
    await settled(page)
    const card = page.locator(`[data-bundle="${BUNDLE}"]`)
    await card.waitFor()
    await card.locator('[data-testid="figures"]').waitFor()
    const figures = await card.locator('[data-testid="figures"]').getAttribute('title')
    assert.match(figures, /材料 \d+ → \d+( → \d+（用电子证照）)?，时限 \d+ → \d+ 个工作日，跑动 \d+ → \d+ 次/)
    await screenshot(page, 'portal')

    await card.getByRole('button', { name: '办事指南' }).click()
    await page.waitForURL(/\/guide\/bundle\/birth/)
    await settled(page)
    await page.locator('[data-testid="plan"]').waitFor()
    const qrOk = await page.locator('[data-testid="guide-qr"]').evaluate((img) => img.complete && img.naturalWidth > 0)
    assert.ok(qrOk, 'the QR code image loads')
    await page.locator('[data-testid="flow-graph"] canvas').first().waitFor()
    await screenshot(page, 'guide-bundle')

    await page.locator('[data-action="apply"]').click()
    await page.waitForURL(/\/apply\/bundle\/birth/)
    await settled(page)
    // 1 情形
    for (const [code, option] of Object.entries(s.answers)) {
      const q = page.locator(`[data-situation="${code}"]`)
      const label = (await apiGet(page, `/catalog/bundles/${BUNDLE}`)).body.situations.find((x) => x.code === code).options.find((o) => o.code === option).label
      await q.locator('.el-radio').filter({ hasText: label }).click()
    }
    await screenshot(page, 'apply-1-situations')
    await page.locator('[data-action="next"]').click()
    // 2 方案
    await page.locator('[data-step="确认方案"] [data-testid="plan"]').waitFor()
    const shown = await page.locator('[data-step="确认方案"] [data-testid="figures"]').getAttribute('title')
    assert.ok(shown.includes(`时限 ${s.plan.figures.daysBefore} → ${s.plan.figures.daysAfter} 个工作日`), `the plan's figures: ${shown}`)
    await screenshot(page, 'apply-2-plan')
    await page.locator('[data-action="next"]').click()
    // 3 申请表: filled by field type
    const form = page.locator('[data-testid="apply-form"]')
    await form.waitFor()
    const asked = await form.locator('[data-field]').count()
    assert.equal(asked, s.plan.fields.filter((f) => !f.filledByPrerequisite).length, 'one input per merged field, none for fields filled by prerequisites')
    await fillCatalogForm(page, form)
    await screenshot(page, 'apply-3-form')
    await page.locator('[data-action="next"]').click()
    // 4 材料: a PDF for every required material
    const table = page.locator('[data-testid="apply-materials"]')
    await table.waitFor()
    for (const m of s.plan.materials.filter((x) => x.need === 'required')) {
      // 减证办: what the citizen's own electronic licences provide is not uploaded.
      if (await table.locator(`[data-testid="by-licence"][data-material="${m.key}"]`).count()) continue
      const cell = table.locator(`[data-material="${m.key}"]`)
      await cell.locator('input[type="file"]').setInputFiles({ name: `${m.name}.pdf`, mimeType: 'application/pdf', buffer: pdfBytes(m.key) })
      await cell.locator('[data-testid="uploaded"]').waitFor({ timeout: 10000 })
    }
    if (s.plan.dropped.length) await page.locator('[data-testid="dropped"]').getByText('由前置事项生成，无需提交').waitFor()
    await screenshot(page, 'apply-4-materials')
    await page.locator('[data-action="next"]').click()
    // 5 送达 (electronic, the default)
    await page.locator('[data-testid="apply-delivery"]').waitFor()
    await page.locator('[data-action="next"]').click()
    // 6 确认
    await page.locator('[data-testid="apply-summary"]').waitFor()
    await page.locator('[data-testid="promise"]').click()
    await screenshot(page, 'apply-6-confirm')
    await page.locator('[data-action="submit"]').click()
    await page.locator('[data-testid="apply-done"]').waitFor({ timeout: 10000 })
    s.caseId = (await page.locator('[data-testid="case-id"]').innerText()).trim()
    assert.match(s.caseId, /^\w{10,}$/)
    await screenshot(page, 'apply-done')

    const c = await caseJson(page)
    assert.equal(c.status, 'submitted')
    assert.equal(c.channel, 'online')
    assert.equal(c.tasks.length, s.plan.items.length, 'one task per selected item')
  })
})

test('the counter accepts it: receipt number and 受理通知书; the deadline is the critical path on the calendar', async (t) => {
  const page = b.page
  await withScreenshot(page, 'birth-accept', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/cases')
    await settled(page)
    const row = page.locator('[data-testid="case-table"] .el-table__row').filter({ hasText: '出生一件事' }).first()
    const listed = await row.isVisible().catch(() => false)
    await screenshot(page, 'counter-queue')
    // Any counter may accept an online application (无差别一窗受理); it is opened from the queue,
    // or by the 申请编号 the applicant shows.
    if (listed) {
      await row.click()
    } else {
      await page.locator('[data-testid="case-no"] input').fill(s.caseId)
      await page.locator('[data-testid="case-no"] input').press('Enter')
    }
    await page.waitForURL(new RegExp(`/counter/cases/${s.caseId}`))
    await settled(page)
    await page.locator('[data-testid="material-check"]').waitFor()
    await screenshot(page, 'counter-case')

    await page.locator('[data-action="accept"]').click()
    const dialog = page.locator('.el-dialog').filter({ hasText: '受理方式' })
    await dialog.waitFor()
    // 容缺受理 when a deferable material is missing (with the applicant's pledge and a due date).
    const deferred = dialog.locator('.el-radio').filter({ hasText: '容缺受理' })
    if (!(await deferred.locator('input').isDisabled())) {
      await deferred.click()
      await dialog.locator('textarea[name="pledge"]').fill('本人承诺于期限内补交上述材料')
      const due = dialog.locator('.el-date-editor input')
      await due.click()
      await due.fill('2026-03-02')
      await due.press('Enter')
    }
    await dialog.locator('[data-action="save"]').click()
    const box = page.locator('.el-message-box').filter({ hasText: '受理编号' })
    await box.waitFor({ timeout: 10000 })
    await screenshot(page, 'counter-accepted')
    await box.getByRole('button', { name: '稍后' }).click()
    const receipt = (await page.locator('[data-testid="receipt-no"]').innerText()).trim()
    assert.ok(receipt && receipt !== '受理后生成', `receipt number shown: ${receipt}`)
    s.receiptNo = receipt
    await page.locator('[data-testid="case-status"]').getByText('办理中').waitFor()

    const c = await caseJson(page)
    assert.equal(c.receiptNo, receipt)
    s.acceptedDate = c.acceptedAt.slice(0, 10)
    // The deadline shown is the critical path (the plan's daysAfter) in working days from the
    // acceptance date, on the server's own calendar.
    const add = await apiGet(page, `/calendar/add?date=${s.acceptedDate}&days=${s.plan.figures.daysAfter}`)
    assert.equal(add.status, 200)
    const shownDate = await page.locator('.case-facts [data-testid="deadline"] .deadline-date').getAttribute('data-date')
    assert.equal(shownDate, add.body.result, `deadline = ${s.acceptedDate} + ${s.plan.figures.daysAfter} working days`)
    assert.equal(c.deadline.date, add.body.result)

    // 受理通知书 (print view)
    await page.goto(BASE_URL + `/print/receipt/${s.caseId}`)
    await page.locator('[data-testid="receipt"]').waitFor()
    assert.equal((await page.locator('[data-testid="receipt"] [data-testid="receipt-no"]').innerText()).trim(), receipt)
    await screenshot(page, 'receipt-print')
  })

  await t.test('across the 2026 Spring Festival (server started with --now 2026-02-14T09:00:00+08:00)', async () => {
    assert.equal(s.acceptedDate, FIXED_DATE, `the server clock must start on ${FIXED_DATE} (onestop serve --now ${FIXED_DATE}T09:00:00+08:00)`)
    const add = await apiGet(b.page, `/calendar/add?date=${FIXED_DATE}&days=${s.plan.figures.daysAfter}`)
    const c = await caseJson(b.page)
    assert.equal(c.deadline.date, add.body.result, `the deadline from ${FIXED_DATE} over ${s.plan.figures.daysAfter} working days`)
    if (s.plan.figures.daysAfter >= 1) {
      // 2026: 2月14日（周六）调休上班, 2月15日–23日 春节假期 — day 1 after 2月14日 is 2月24日.
      assert.ok(c.deadline.date >= '2026-02-24', `the Spring Festival holidays are not counted: ${c.deadline.date}`)
    }
  })
})

test('the departments act in order (自动推送); one asks for a correction; the citizen resubmits; the case completes', async () => {
  const page = b.page
  let corrected = false
  let viewer = ACCOUNTS.clerk
  await withScreenshot(page, 'birth-review', async () => {
    for (let round = 0; round < 30; round++) {
      const c = await caseJson(page)
      if (c.status === 'completed' || c.status === 'rejected') break
      assert.equal(c.status, 'in_progress', `case status in round ${round}`)
      const pending = c.tasks.filter((t) => t.status === 'pending')
      const waiting = c.tasks.filter((t) => t.status === 'waiting')
      assert.ok(pending.length, 'some task is pending while the case is in progress')
      const task = pending[0]
      const reviewer = s.reviewers.get(task.departmentId)
      assert.ok(reviewer, `a reviewer for ${task.departmentName}`)

      await login(page, account(reviewer))
      viewer = account(reviewer)
      // 自动推送: the queue holds the pending task and none whose prerequisites are not done.
      const queue = (await apiGet(page, '/tasks/queue')).body.items.map((x) => x.id)
      assert.ok(queue.includes(task.id), `${task.itemName} is in the queue of ${task.departmentName}`)
      for (const w of waiting) assert.ok(!queue.includes(w.id), `${w.itemName} waits for its prerequisites and is in no queue yet`)

      await page.goto(BASE_URL + '/review/tasks')
      await settled(page)
      const row = page.locator('[data-testid="queue-table"] .el-table__row').filter({ hasText: s.receiptNo }).filter({ hasText: task.itemName })
      await row.first().waitFor()
      await screenshot(page, `review-queue-${round}`)
      await row.first().click()
      await page.waitForURL(/\/review\/tasks\//)
      await settled(page)
      await page.locator('[data-testid="task-bar"]').waitFor()

      // The first department after a prerequisite asks for a correction once.
      if (!corrected && task.prerequisites.length) {
        await page.locator('[data-action="correction"]').click()
        const dlg = page.locator('[data-testid="correction-dialog"]')
        await dlg.waitFor()
        const material = c.materials.find((m) => m.status === 'provided')
        const target = dlg.locator('[data-testid="point-target-0"]')
        await target.click()
        await target.locator('input').fill(material.name)
        await page.locator('.el-select-dropdown__item:visible').filter({ hasText: material.name }).first().click()
        await target.getByText(material.name).waitFor()
        await dlg.locator('input[name="point-message-0"]').fill('扫描件不清晰，请重新上传清晰的彩色扫描件')
        await screenshot(page, 'review-correction-dialog')
        await dlg.locator('[data-action="save"]').click()
        await page.locator('.el-message-box').getByRole('button', { name: '发出补正通知' }).click()
        await dlg.waitFor({ state: 'hidden' })
        await page.locator('[data-testid="case-status"]').getByText('待补正').waitFor()

        // The citizen sees 待补正 and the clock paused, and resubmits.
        await login(page, ACCOUNTS.citizen)
        await page.goto(BASE_URL + '/my/cases')
        await settled(page)
        const mine = page.locator('[data-testid="case-table"] .el-table__row').filter({ hasText: s.receiptNo })
        await mine.getByText('待补正').waitFor()
        await mine.locator('[data-light="paused"]').waitFor()
        await screenshot(page, 'my-cases-correction')
        await mine.click()
        await page.waitForURL(new RegExp(`/my/cases/${s.caseId}`))
        await settled(page)
        await page.locator('[data-testid="correction-notice"]').getByText('扫描件不清晰').waitFor()
        await page.locator('.case-facts [data-testid="deadline"]').getByText('暂停计时').waitFor()
        const paused = await caseJson(page)
        assert.equal(paused.status, 'correction')
        assert.equal(paused.suspended, true, 'the clock is stopped')
        const panel = page.locator('[data-testid="resubmit"]')
        await panel.locator(`[data-material="${material.key}"] input[type="file"]`).setInputFiles({
          name: `${material.name}（清晰）.pdf`,
          mimeType: 'application/pdf',
          buffer: pdfBytes('clear scan'),
        })
        await panel.locator(`[data-material="${material.key}"] [data-testid="uploaded"]`).waitFor({ timeout: 10000 })
        await screenshot(page, 'my-case-correction')
        await panel.locator('[data-action="resubmit"]').click()
        await page.locator('.el-message-box').getByRole('button', { name: '提交补正' }).click()
        await page.locator('[data-testid="case-status"]').getByText('办理中').waitFor()
        const resumed = await caseJson(page)
        assert.equal(resumed.suspended, false)
        assert.ok(resumed.timeline.some((e) => e.kind === 'resubmitted'), 'the timeline records the resubmission')
        corrected = true
        continue // the same task again, now resumed
      }

      // 通过 (with the result fields on the last step)
      await page.locator('[data-action="approve"]').click()
      const dlg = page.locator('[data-testid="approve-dialog"]')
      await dlg.waitFor()
      const inputs = dlg.locator('input[name^="result-"]')
      for (let i = 0; i < (await inputs.count()); i++) {
        const input = inputs.nth(i)
        if ((await input.inputValue()).trim()) continue
        const name = (await input.getAttribute('name')).slice('result-'.length)
        await input.fill(/idnumber/i.test(name) ? randomIdNumber('430104') : /date/i.test(name) ? '2026-02-01' : `CS${Date.now().toString().slice(-8)}`)
      }
      await screenshot(page, `review-approve-${round}`)
      await dlg.locator('[data-action="save"]').click()
      await dlg.waitFor({ state: 'hidden', timeout: 10000 })
    }
    assert.ok(corrected, 'a department asked for a correction')
    await login(page, viewer)
    const done = await caseJson(page)
    assert.equal(done.status, 'completed', `the case completes: ${done.statusName}`)
    assert.ok(done.tasks.every((t) => t.status === 'approved'), 'every task approved')
  })
})

test('the citizen sees 已办结 with the whole timeline and confirms receipt', async () => {
  const page = b.page
  await withScreenshot(page, 'birth-done', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + '/my/cases')
    await settled(page)
    const mine = page.locator('[data-testid="case-table"] .el-table__row').filter({ hasText: s.receiptNo })
    await mine.getByText('已办结').waitFor()
    await screenshot(page, 'my-cases-done')
    await mine.click()
    await settled(page)
    await page.locator('[data-testid="case-status"]').getByText('已办结').waitFor()
    const c = await caseJson(page)
    const events = page.locator('[data-testid="timeline"] .el-timeline-item')
    assert.equal(await events.count(), c.timeline.length, 'every timeline event is shown')
    for (const kind of ['submitted', 'accepted', 'correction', 'resubmitted', 'task_approved', 'completed']) {
      assert.ok(await page.locator(`[data-testid="timeline"] [data-kind="${kind}"]`).count(), `timeline shows ${kind}`)
    }
    await screenshot(page, 'my-case-done')
    if (c.delivery === 'electronic') {
      await page.locator('[data-action="confirm-receipt"]').click()
      await page.locator('.el-message-box').getByRole('button', { name: '确认收件' }).click()
      await page.locator('[data-testid="case-status"]').getByText('已送达').waitFor()
    }

    // 消息: the applicant was told (受理, 补正, 办结 …); the top bar shows the unread count.
    const unread = (await apiGet(page, '/inbox/unread-count')).body.count
    assert.ok(unread > 0, 'the applicant has unread messages about the case')
    await page.locator('[data-testid="inbox-badge"] .el-badge__content').getByText(String(unread > 99 ? '99+' : unread)).waitFor()
    await page.locator('[data-testid="inbox-badge"] button').click()
    await page.waitForURL(/\/inbox/)
    await settled(page)
    const message = page.locator('[data-testid="inbox-table"] .el-table__row').first()
    await message.waitFor()
    await screenshot(page, 'inbox')
    await message.click()
    await page.waitForURL(/\/my\/cases\//)
    assert.equal((await apiGet(page, '/inbox/unread-count')).body.count, unread - 1, 'opening a message marks it read')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the pages')
  })
})
