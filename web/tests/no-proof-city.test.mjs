// 无证明城市 end to end: the citizen has applied online for 户籍证明开具 (through the API, with the
// 身份证 only); in 亮证码 the citizen shares only the 居民户口簿; the counter clerk picks the item,
// states the purpose, picks the case and types the token as a scanner would (Enter submits), sees
// the holder masked and only the 户口簿, and attaches it to the case as its 居民户口簿 material; the
// same token typed again is refused in place (已使用过). The citizen sees the retrieval in 谁查看了我的
// 数据, generates a 有无房产证明 in 我的证明 and downloads the PDF; the public /verify page (signed out)
// shows it 有效; the 自然资源局 reviewer revokes it in 证明审核 and the same code shows 已撤销.
// Needs a server with --demo and a seal master key (the demo licences and proofs are signed).
// Screenshots of every page go to test-results/ (and SHOTS_DIR when set).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { readFile, mkdir } from 'node:fs/promises'
import { join } from 'node:path'
import { launch, login, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet, apiSend, pdfBytes, randomIdNumber, fillCatalogForm, withIdCheck } from './helpers.mjs'

const ITEM = '11430100MB1A01039K3432003501000' // 户籍证明开具 (materials: 身份证, 居民户口簿)
const HUKOU = '居民户口簿'
const ZRZYJ_REVIEWER = { username: 'zrzyj_reviewer', password: 'Demo@2026' }
const SHOTS = process.env.SHOTS_DIR ?? ''

let b
const s = { caseId: '', token: '', proofId: '', code: '' }

async function shot(page, name) {
  await screenshot(page, `npc-${name}`)
  if (SHOTS) {
    await mkdir(SHOTS, { recursive: true })
    await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true }).catch(() => undefined)
  }
}

before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

test('the citizen applies for 户籍证明开具 online without the 户口簿', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-apply', async () => {
    await login(page, ACCOUNTS.citizen)
    const me = (await apiGet(page, '/auth/me')).body.user
    const blob = await page.evaluate(async (bytes) => {
      const me = await (await fetch('/api/v1/auth/me', { credentials: 'include' })).json()
      const r = await fetch('/api/v1/blobs', {
        method: 'POST',
        credentials: 'include',
        headers: { 'Content-Type': 'application/pdf', 'X-CSRF-Token': me.csrfToken },
        body: new Uint8Array(bytes),
      })
      return { status: r.status, body: await r.json() }
    }, [...pdfBytes('ID card')])
    assert.ok(blob.status === 200 || blob.status === 201, `blob upload: ${JSON.stringify(blob)}`)
    const r = await apiSend(page, 'POST', '/cases', {
      kind: 'item',
      catalogCode: ITEM,
      answers: {},
      form: {
        'student.name': me.displayName,
        'student.idNumber': randomIdNumber(),
        'student.birthDate': '2012-03-01',
        'applicant.name': me.displayName,
        'applicant.idNumber': randomIdNumber(),
        'applicant.phone': '13800000000',
      },
      materials: [{ key: 'doc.applicantIdCard', sha256: blob.body.sha256, fileName: '身份证.pdf' }],
      channel: 'online',
      delivery: 'electronic',
    })
    assert.ok(r.status === 200 || r.status === 201, `case submitted: ${JSON.stringify(r.body)}`)
    s.caseId = r.body.id
  })
})

test('the citizen shows 亮证码 sharing only the 户口簿', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-qr', async () => {
    await page.goto(BASE_URL + '/my/licences')
    await settled(page)
    const table = page.locator('[data-testid="my-licences"]')
    await table.locator('.el-table__row').filter({ hasText: HUKOU }).waitFor()
    await table.locator('.el-table__row').filter({ hasText: HUKOU }).locator('[data-action="view"]').click()
    await page.locator('[data-testid="licence-face"]').getByText('户号').waitFor()
    await shot(page, '01-my-licences-detail')
    await page.keyboard.press('Escape')

    await page.goto(BASE_URL + '/my/identity-qr')
    await page.locator('[data-testid="qr-image"]').waitFor({ timeout: 10000 })
    const boxes = page.locator('[data-testid="share-types"] .el-checkbox')
    const n = await boxes.count()
    assert.ok(n >= 2, `the citizen holds several licence types (${n})`)
    for (let i = 0; i < n; i++) {
      const box = boxes.nth(i)
      const text = await box.innerText()
      const checked = await box.evaluate((e) => e.classList.contains('is-checked'))
      if (text.includes(HUKOU) !== checked) await box.click()
    }
    await page.locator('[data-testid="qr-shares"]').getByText(`可出示：${HUKOU}`, { exact: true }).waitFor()
    await page.locator('[data-testid="qr-countdown"]').waitFor()
    s.token = (await page.locator('[data-testid="identity-token"]').innerText()).trim()
    assert.match(s.token, /^OS1\./)
    await shot(page, '02-identity-qr')
  })
})

test('the clerk scans the token, sees only the 户口簿 (masked) and attaches it; a replay is refused', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-scan', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/licence-scan')
    await settled(page)
    // 办理事项: a remote search.
    const item = page.locator('[data-testid="scan-item"]')
    await item.click()
    await page.keyboard.type('户籍证明')
    const opt = page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: '户籍证明开具' }).first()
    await opt.waitFor()
    await opt.click()
    await item.locator('.el-select__selected-item').filter({ hasText: '户籍证明开具' }).waitFor()
    await page.locator('input[name="purpose"]').fill('办理户籍证明开具，核验户籍信息')
    // The case, by its 申请编号.
    const kase = page.locator('[data-testid="scan-case"]')
    await kase.click()
    await page.keyboard.type(s.caseId)
    await page.keyboard.press('Enter')
    await page.locator('[data-testid="case-picked"]').waitFor()
    await page.keyboard.press('Escape').catch(() => undefined)
    // The scanner types the token and Enter.
    const input = page.locator('[data-testid="scan-token"]')
    await input.fill(s.token)
    await input.press('Enter')
    const result = page.locator('[data-testid="scan-result"]')
    await result.waitFor()
    const holder = await result.locator('[data-testid="holder-name"]').innerText()
    assert.match(holder, /\*/, `the holder's name is masked: ${holder}`)
    assert.match(await result.locator('[data-testid="holder-code"]').innerText(), /\*{4,}/)
    const rows = result.locator('[data-testid="scan-licences"] .el-table__body .el-table__row')
    assert.equal(await rows.count(), 1, 'only the shared licence')
    assert.ok((await rows.first().innerText()).includes(HUKOU))
    await shot(page, '03-scan-result')
    await rows.first().locator('[data-action="attach"]').click()
    await result.locator('[data-testid="attached"]').waitFor()
    await shot(page, '04-attached')
    const c = (await apiGet(page, `/cases/${s.caseId}`)).body
    const m = c.materials.find((x) => x.key === 'doc.householdRegister')
    assert.ok(m && m.sha256, `the case now has the 户口簿 material: ${JSON.stringify(m)}`)

    // The same token again: refused, under the token input.
    await input.fill(s.token)
    await input.press('Enter')
    const err = page.locator('.el-form-item.is-error').filter({ has: page.locator('[data-testid="scan-token"]') })
    await err.getByText(/已使用过/).waitFor()
    await shot(page, '05-replayed-token')

    // 材料复用: the case's materials beside the applicant's archive (the 户口簿 copy is level A).
    await page.goto(`${BASE_URL}/counter/archive?case=${s.caseId}`)
    await page.locator('[data-testid="reuse-materials"]').getByText(HUKOU).first().waitFor()
    await page.locator('[data-testid="reuse-archive"] .el-table__row').first().waitFor()
    await shot(page, '05b-archive-reuse')
  })
})

test('the citizen sees the retrieval, generates a 有无房产证明 and downloads the PDF', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-proof', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + '/my-access')
    await settled(page)
    await page.locator('[data-testid="my-access-table"]').getByText(HUKOU).first().waitFor()
    await shot(page, '06-my-access')

    await page.goto(BASE_URL + '/my/grants')
    await settled(page)
    await page.locator('[data-testid="grants"] .el-table__row').first().waitFor()
    await shot(page, '07-grants')

    await page.goto(BASE_URL + '/my/proofs')
    await settled(page)
    await page.locator('[data-testid="instant-types"] [data-type="no_property"]').click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '有无房产证明' })
    await dlg.locator('input[name="purpose"]').fill('申请公租房')
    await dlg.locator('[data-action="save"]').click()
    await dlg.waitFor({ state: 'hidden' })
    const mine = (await apiGet(page, '/me/proofs')).body.items.find((p) => p.type === 'no_property' && p.purpose === '申请公租房')
    assert.ok(mine, 'the proof is listed')
    assert.equal(mine.status, 'valid')
    s.proofId = mine.id
    s.code = mine.verificationCode
    const row = page.locator('[data-testid="my-proofs"] .el-table__row').filter({ hasText: s.code })
    await row.waitFor()
    await shot(page, '08-my-proofs')
    const [download] = await Promise.all([page.waitForEvent('download'), row.locator('[data-action="pdf"]').click()])
    const bytes = await readFile(await download.path())
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-', 'a PDF')
    assert.ok(bytes.length > 2000, `a real document (${bytes.length} bytes)`)
  })
})

test('the public page verifies the proof; after revocation it shows 已撤销', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-verify', async () => {
    await page.context().clearCookies()
    await page.goto(`${BASE_URL}/verify?code=${s.code}`)
    const result = page.locator('[data-testid="verify-result"]')
    await result.waitFor({ timeout: 10000 })
    assert.equal(await result.locator('[data-testid="verdict"]').innerText(), '有效')
    const text = await result.innerText()
    assert.ok(text.includes('有无房产证明'), text)
    assert.match(text, /\*/, 'masked holder')
    await result.locator('[data-testid="seal-picture"]').waitFor()
    await shot(page, '09-verify-valid')

    // A wrong code: 无法验证.
    await page.locator('[data-testid="verify-input"]').fill('ABCDEFGHJKLMNPQR')
    await page.locator('[data-action="verify"]').click()
    await page.locator('[data-testid="verify-result"][data-verdict^="无法验证"]').waitFor()
    await shot(page, '10-verify-unknown')

    await login(page, ZRZYJ_REVIEWER)
    await page.goto(`${BASE_URL}/review/proofs?id=${s.proofId}`)
    const card = page.locator('[data-testid="revoke-proof"]')
    await card.waitFor()
    await card.locator('[data-action="revoke"]').click()
    const box = page.locator('.el-message-box').filter({ hasText: '撤销证明' })
    await box.locator('input').fill('房产登记信息有误，重新出具')
    await box.getByRole('button', { name: '确定撤销' }).click()
    await card.locator('[data-status="revoked"]').waitFor()
    await shot(page, '11-proof-revoked')

    await page.context().clearCookies()
    await page.goto(`${BASE_URL}/verify?code=${s.code}`)
    await page.locator('[data-testid="verify-result"][data-verdict="已撤销"]').waitFor({ timeout: 10000 })
    await shot(page, '12-verify-revoked')
    assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the page')
  })
})

test('department pages: 证照管理, 批量导入, 电子印章, 证明审核', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-dept', async () => {
    await login(page, ACCOUNTS.hr_admin)
    await page.goto(BASE_URL + '/admin/licences')
    await settled(page)
    await page.locator('[data-testid="licences"] .el-table__row').first().waitFor()
    await shot(page, '13-licences-admin')
    await page.locator('[data-action="issue"]').click()
    const dlg = page.locator('.el-dialog').filter({ hasText: '签发电子证照' })
    await dlg.locator('[data-testid="issue-type"]').click()
    await page.locator('.el-select__popper[aria-hidden="false"] .el-select-dropdown__item').filter({ hasText: '居住证' }).first().click()
    await dlg.getByText('照面信息').waitFor()
    await dlg.locator('[data-action="save"]').click()
    await dlg.locator('.el-form-item.is-error').first().waitFor()
    await shot(page, '14-issue-form')
    await dlg.getByRole('button', { name: '取消' }).click()

    await page.goto(BASE_URL + '/admin/licences/import')
    await settled(page)
    await shot(page, '15-import')
    await page.goto(BASE_URL + '/admin/seals')
    await settled(page)
    await page.locator('[data-testid="seals"] .el-table__row').first().waitFor()
    await shot(page, '16-seals')
    await page.goto(BASE_URL + '/review/proofs')
    await settled(page)
    await shot(page, '17-proof-queue')
  })
})

// 减证办: applying online for 老年人优待证办理, the ID card is marked 由电子证照自动提供 and not
// uploaded; after submission the case holds it as a PDF copy of the citizen's licence.
test('the citizen applies online and the 居民身份证 licence provides the ID card', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-by-licence', async () => {
    await login(page, ACCOUNTS.citizen)
    await page.goto(BASE_URL + '/apply/item/11430100MB1A01098N3432030101000')
    const form = page.locator('[data-testid="apply-form"]')
    await form.waitFor()
    await fillCatalogForm(page, form)
    await page.locator('[data-action="next"]').click()
    const table = page.locator('[data-testid="apply-materials"]')
    await table.waitFor()
    const byLicence = table.locator('[data-testid="by-licence"][data-material="doc.applicantIdCard"]')
    await byLicence.getByText('由电子证照自动提供').waitFor()
    await shot(page, '18-apply-by-licence')
    const photo = table.locator('[data-material="doc.photo"]')
    await photo.locator('input[type="file"]').setInputFiles({ name: '照片.pdf', mimeType: 'application/pdf', buffer: pdfBytes('photo') })
    await photo.locator('[data-testid="uploaded"]').waitFor({ timeout: 10000 })
    await page.locator('[data-action="next"]').click()
    await page.locator('[data-action="next"]').click()
    await page.locator('.el-checkbox').filter({ hasText: '承诺' }).first().click()
    await page.locator('[data-action="submit"]').click()
    await page.locator('[data-testid="licence-note"]').getByText('已由电子证照提供 1 份材料').waitFor({ timeout: 15000 })
    await shot(page, '19-apply-done')
    const id = (await page.getByText('申请编号').first().innerText()).match(/申请编号：\s*([0-9A-Z]{26})/)?.[1]
    assert.ok(id, 'the application number is shown')
    const c = (await apiGet(page, `/cases/${id}`)).body
    const card = c.materials.find((m) => m.key === 'doc.applicantIdCard')
    assert.equal(card?.status, 'provided')
    assert.equal(card?.contentType, 'application/pdf')
  })
})

// 政务数据查询单: the clerk looks 张三 up with a purpose and sees fields with their sources.
test('the clerk builds a 政务数据查询单', async () => {
  const { page } = b
  await withScreenshot(page, 'npc-data-sheet', async () => {
    await login(page, ACCOUNTS.clerk)
    await page.goto(BASE_URL + '/counter/data-sheet')
    await page.locator('[data-action="query"]').click()
    await page.getByText('请输入18位公民身份号码或统一社会信用代码').waitFor()
    const code = withIdCheck('43010419900307123') // the demo 张三
    await page.locator('input[data-testid="sheet-code"]').fill(code)
    await page.locator('input[data-testid="sheet-purpose"]').fill('办理居住证，核对户籍')
    await page.locator('[data-action="query"]').click()
    await page.locator('[data-testid="sheet-rows"]').first().waitFor()
    await page.getByText('数据来源').first().waitFor()
    await shot(page, '20-data-sheet')
  })
})
