// (1) Each demo role signs in and sees exactly its menu.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { launch, login, menuItems, menuGroups, ACCOUNTS, BASE_URL, withScreenshot, screenshot, settled, requireServer, apiGet } from './helpers.mjs'

// The menu each demo role should see (leaf items). It follows from the role → permission table
// of src/identity/principal.cc (AllRoles) and the menu rules in web/src/router/menu.ts.
const ALL = [
  '首页', '办事大厅', '政策超市', '我的办件', '预约办事', '我的预约', '窗口受理', '代为申请', '今日预约', '部门审批',
  '事项与一件事', '目录导入导出', '大厅与预约设置',
  '部门管理', '用户管理', '角色管理', '工作日历', '自然人', '企业', '审计日志', '谁查看了我的数据',
  '我的证照', '亮证码', '授权管理', '我的证明', '扫码用证', '材料复用', '政务数据查询单', '证照管理', '批量导入', '电子印章', '证明审核',
  '政策兑现公示', '我的政策兑现', '政策管理', '兑现批次', '企业数据导入', '融资对接', '融资对接（银行）', '兑现初核', '快申快享审核',
]
const EXPECTED = {
  admin: {
    items: ['首页', '办事大厅', '政策超市', '电子印章', '事项与一件事', '目录导入导出', '大厅与预约设置', '部门管理', '用户管理', '角色管理', '工作日历', '自然人', '企业', '审计日志', '政策兑现公示', '融资对接', '政策管理', '兑现批次', '企业数据导入'],
    groups: ['惠企政策', '证照与印章', '事项管理', '系统管理', '群众与企业', '审计监察'],
  },
  hr_admin: {
    items: ['首页', '办事大厅', '政策超市', '证照管理', '批量导入', '电子印章', '证明审核', '事项与一件事', '目录导入导出', '大厅与预约设置', '部门管理', '用户管理', '角色管理', '工作日历', '自然人', '企业', '政策兑现公示', '融资对接', '政策管理', '兑现批次'],
    groups: ['惠企政策', '证照与印章', '事项管理', '系统管理', '群众与企业'],
  },
  clerk: { items: ['首页', '办事大厅', '政策超市', '窗口受理', '代为申请', '今日预约', '扫码用证', '材料复用', '政务数据查询单', '工作日历', '自然人', '企业', '政策兑现公示', '融资对接', '企业数据导入'], groups: ['惠企政策', '综合窗口', '群众与企业'] },
  reviewer: {
    items: ['首页', '办事大厅', '政策超市', '扫码用证', '政务数据查询单', '部门审批', '证照管理', '批量导入', '证明审核', '工作日历', '自然人', '企业', '政策兑现公示', '融资对接', '兑现初核', '快申快享审核'],
    groups: ['惠企政策', '综合窗口', '证照与印章', '群众与企业'],
  },
  supervisor: { items: ['首页', '办事大厅', '政策超市', '工作日历', '自然人', '企业', '审计日志', '政策兑现公示', '融资对接'], groups: ['群众与企业', '审计监察'] },
  agent: { items: ['首页', '办事大厅', '政策超市', '窗口受理', '代为申请', '今日预约', '扫码用证', '材料复用', '政务数据查询单', '工作日历', '自然人', '企业', '政策兑现公示', '融资对接', '企业数据导入'], groups: ['惠企政策', '综合窗口', '群众与企业'] },
  citizen: {
    items: ['首页', '办事大厅', '政策超市', '我的办件', '预约办事', '我的预约', '我的证照', '亮证码', '授权管理', '我的证明', '谁查看了我的数据', '政策兑现公示', '融资对接'],
    groups: ['无证明办事'],
  },
  enterprise: {
    items: ['首页', '办事大厅', '政策超市', '我的办件', '预约办事', '我的预约', '我的证照', '亮证码', '授权管理', '我的证明', '谁查看了我的数据', '政策兑现公示', '融资对接', '我的政策兑现'],
    groups: ['无证明办事'],
  },
}

let b
before(async () => {
  await requireServer()
  b = await launch()
})
after(async () => b?.close())

for (const [role, want] of Object.entries(EXPECTED)) {
  test(`${role} sees exactly its menu`, async () => {
    await withScreenshot(b.page, `menu-${role}`, async () => {
      await login(b.page, ACCOUNTS[role])
      await settled(b.page)
      const items = await menuItems(b.page)
      for (const item of want.items) assert.ok(items.includes(item), `${role} should see menu item ${item}; saw ${items.join('、')}`)
      for (const item of ALL.filter((x) => !want.items.includes(x))) {
        assert.ok(!items.includes(item), `${role} should NOT see menu item ${item}; saw ${items.join('、')}`)
      }
      assert.equal(items.length, want.items.length, `no duplicate or unknown items for ${role}: ${items.join('、')}`)
      assert.deepEqual((await menuGroups(b.page)).sort(), [...want.groups].sort(), `${role} menu groups`)
      // The top bar shows who is signed in, the role and the 退出登录 button.
      const bar = b.page.locator('[data-testid="current-user"]')
      await bar.getByRole('button', { name: '退出登录' }).waitFor()
      const me = (await apiGet(b.page, '/auth/me')).body.user
      const barText = await bar.innerText()
      assert.ok(barText.includes(me.displayName), `top bar shows the user's name: ${barText}`)
      for (const r of me.roles) assert.ok(barText.includes(r.name), `top bar shows the role ${r.name}: ${barText}`)
      if (me.department) assert.ok(barText.includes(me.department.name), `top bar shows the department: ${barText}`)
      assert.deepEqual(b.pageErrors, [], 'no uncaught errors in the page')
      await screenshot(b.page, `home-${role}`)
    })
  })
}

test('a page outside the menu answers 无权访问', async () => {
  await withScreenshot(b.page, 'forbidden', async () => {
    await login(b.page, ACCOUNTS.citizen)
    await b.page.goto(BASE_URL + '/system/users')
    await b.page.locator('[data-testid="forbidden"]').getByText('无权访问').waitFor()
    await screenshot(b.page, 'forbidden-citizen-users')
  })
})

test('signing out returns to the login page and guards the pages', async () => {
  await withScreenshot(b.page, 'logout', async () => {
    await login(b.page, ACCOUNTS.clerk)
    await b.page.locator('[data-testid="current-user"]').getByRole('button', { name: '退出登录' }).click()
    await b.page.locator('.el-message-box').getByRole('button', { name: '退出登录' }).click()
    await b.page.waitForURL(/\/login/)
    await b.page.goto(BASE_URL + '/calendar')
    await b.page.waitForURL(/\/login\?redirect=/)
  })
})
