// The left menu. What a user sees is driven by Me.permissions and Me.kind only; the routes use
// the same predicates, so a page that is not in someone's menu answers 无权访问 (403).
import type { Component } from 'vue'
import {
  Collection,
  Calendar,
  Checked,
  EditPen,
  Files,
  Finished,
  Guide,
  Shop,
  Upload,
  DataLine,
  HomeFilled,
  OfficeBuilding,
  Postcard,
  Setting,
  Stamp,
  User,
  UserFilled,
  View,
  Avatar,
  Tickets,
  AlarmClock,
  List,
  Stopwatch,
  School,
  Medal,
  Grid,
  Connection,
  Document,
  Management,
  FolderAdd,
  Aim,
  Memo,
  Box,
  Present,
  Coin,
  Wallet,
  Notification,
  Money,
} from '@element-plus/icons-vue'
import type { Me } from '@/api/types'

export type Allow = (me: Me) => boolean

const perm = (p: string): Allow => (me) => me.permissions.includes(p)

export const allow = {
  any: (() => true) as Allow,
  departments: perm('departments.manage'),
  users: perm('users.manage'),
  calendarView: ((me) => me.kind === 'staff' || me.permissions.includes('calendar.manage')) as Allow,
  calendarManage: perm('calendar.manage'),
  calendarViewOnly: ((me) => me.kind === 'staff' && !me.permissions.includes('calendar.manage')) as Allow,
  parties: perm('parties.read'),
  audit: perm('audit.read'),
  myAccess: perm('self.access_log'),
  apply: perm('cases.apply'),
  intake: perm('cases.intake'),
  review: perm('cases.review'),
  catalog: perm('catalog.manage'),
  // 无证明城市
  selfLicences: perm('self.licences'),
  useLicences: perm('licences.use'),
  issueLicences: perm('licences.issue'),
  seals: perm('seals.manage'),
  reviewProofs: perm('proofs.review'),
  /** 政务数据查询单: counter and department staff who read parties and use licences. */
  dataSheet: ((me) => me.permissions.includes('parties.read') && me.permissions.includes('licences.use')) as Allow,
  /** Guide pages: staff who file for someone (cases.intake) or citizens (cases.apply) may apply. */
  /** 我的政策兑现 / 快申快享: an enterprise account's own offers and applications. */
  enterprise: ((me) => me.kind === 'enterprise') as Allow,
  partiesWrite: perm('parties.write'),
  /** 兑现初核: reviewers who are not policy authors open campaigns for 人工初核. */
  campaignReview: ((me) => me.permissions.includes('cases.review') && !me.permissions.includes('catalog.manage')) as Allow,
  /** 兑现批次 pages: policy authors and reviewers. */
  campaigns: ((me) => me.permissions.includes('catalog.manage') || me.permissions.includes('cases.review')) as Allow,
  /** 融资对接（银行）: staff of a bank (a department whose name says so) who publish products
   *  (catalog.manage) or answer requests (cases.review); the server checks the scope again. */
  bank: ((me) =>
    me.kind === 'staff' &&
    (me.permissions.includes('catalog.manage') || me.permissions.includes('cases.review')) &&
    /银行|农商行|信用社/.test(me.department?.name ?? '')) as Allow,
  applyAny: ((me) => me.permissions.includes('cases.apply') || me.permissions.includes('cases.intake')) as Allow,
}

export interface MenuNode {
  title: string
  icon: Component
  path?: string
  allow?: Allow
  children?: MenuNode[]
}

export const MENU: MenuNode[] = [
  { title: '首页', icon: HomeFilled, path: '/', allow: allow.any },
  // 一件事一次办: the portal is open to everyone (also without signing in).
  { title: '办事大厅', icon: Shop, path: '/portal', allow: allow.any },
  // 政策超市: open to everyone; enterprises also see 为我推荐 there.
  { title: '政策超市', icon: Present, path: '/policies', allow: allow.any },
  { title: '我的政策兑现', icon: Wallet, path: '/my/policy', allow: allow.enterprise },
  { title: '政策兑现公示', icon: Notification, path: '/policy-notices', allow: allow.any },
  // 融资一件事: banks' loan products; an enterprise sees which it qualifies for and applies.
  { title: '融资对接', icon: Money, path: '/loans', allow: allow.any },
  { title: '融资对接（银行）', icon: Money, path: '/admin/loans', allow: allow.bank },
  { title: '我的办件', icon: Files, path: '/my/cases', allow: allow.apply },
  // 预约: book a time at a service hall's counter, see and cancel one's bookings.
  { title: '预约办事', icon: AlarmClock, path: '/appointments/new', allow: allow.apply },
  { title: '我的预约', icon: List, path: '/my/appointments', allow: allow.apply },
  // 无证明城市: the holder's electronic licences, the dynamic QR, grants and proofs.
  {
    title: '无证明办事',
    icon: Medal,
    children: [
      { title: '我的证照', icon: Postcard, path: '/my/licences', allow: allow.selfLicences },
      { title: '亮证码', icon: Grid, path: '/my/identity-qr', allow: allow.selfLicences },
      { title: '授权管理', icon: Connection, path: '/my/grants', allow: allow.selfLicences },
      { title: '我的证明', icon: Document, path: '/my/proofs', allow: allow.selfLicences },
    ],
  },
  {
    title: '综合窗口',
    icon: Checked,
    children: [
      { title: '窗口受理', icon: Finished, path: '/counter/cases', allow: allow.intake },
      { title: '代为申请', icon: EditPen, path: '/counter/apply', allow: allow.intake },
      { title: '今日预约', icon: Stopwatch, path: '/counter/appointments', allow: allow.intake },
      { title: '扫码用证', icon: Aim, path: '/counter/licence-scan', allow: allow.useLicences },
      { title: '材料复用', icon: Files, path: '/counter/archive', allow: allow.intake },
      { title: '政务数据查询单', icon: Document, path: '/counter/data-sheet', allow: allow.dataSheet },
    ],
  },
  { title: '部门审批', icon: Stamp, path: '/review/tasks', allow: allow.review },
  {
    title: '证照与印章',
    icon: Management,
    children: [
      { title: '证照管理', icon: Memo, path: '/admin/licences', allow: allow.issueLicences },
      { title: '批量导入', icon: FolderAdd, path: '/admin/licences/import', allow: allow.issueLicences },
      { title: '电子印章', icon: Stamp, path: '/admin/seals', allow: allow.seals },
      { title: '证明审核', icon: Box, path: '/review/proofs', allow: allow.reviewProofs },
    ],
  },
  // 惠企政策 / 免申即享: the policy library, campaigns, enterprise data.
  {
    title: '惠企政策',
    icon: Present,
    children: [
      { title: '政策管理', icon: Document, path: '/admin/policies', allow: allow.catalog },
      { title: '兑现批次', icon: Coin, path: '/admin/policy-campaigns', allow: allow.catalog },
      { title: '兑现初核', icon: Coin, path: '/admin/policy-campaigns', allow: allow.campaignReview },
      { title: '快申快享审核', icon: Checked, path: '/review/policy-applications', allow: allow.review },
      { title: '企业数据导入', icon: FolderAdd, path: '/admin/enterprise-imports', allow: allow.partiesWrite },
    ],
  },
  {
    title: '事项管理',
    icon: Collection,
    children: [
      { title: '事项与一件事', icon: Guide, path: '/admin/catalog', allow: allow.catalog },
      { title: '目录导入导出', icon: Upload, path: '/admin/catalog/import', allow: allow.catalog },
      { title: '大厅与预约设置', icon: School, path: '/admin/halls', allow: allow.catalog },
    ],
  },
  {
    title: '系统管理',
    icon: Setting,
    children: [
      { title: '部门管理', icon: OfficeBuilding, path: '/system/departments', allow: allow.departments },
      { title: '用户管理', icon: User, path: '/system/users', allow: allow.users },
      { title: '角色管理', icon: Stamp, path: '/system/roles', allow: allow.users },
      { title: '工作日历', icon: Calendar, path: '/calendar', allow: allow.calendarManage },
    ],
  },
  // Staff who may not edit the calendar still look it up (time limits are in working days).
  { title: '工作日历', icon: Calendar, path: '/calendar', allow: allow.calendarViewOnly },
  {
    title: '群众与企业',
    icon: UserFilled,
    children: [
      { title: '自然人', icon: Avatar, path: '/parties/persons', allow: allow.parties },
      { title: '企业', icon: Postcard, path: '/parties/enterprises', allow: allow.parties },
    ],
  },
  {
    title: '审计监察',
    icon: DataLine,
    children: [{ title: '审计日志', icon: Tickets, path: '/audit/entries', allow: allow.audit }],
  },
  { title: '谁查看了我的数据', icon: View, path: '/my-access', allow: allow.myAccess },
]

/** What a visitor who has not signed in sees: the portal only. */
export const GUEST_MENU: MenuNode[] = [
  { title: '办事大厅', icon: Shop, path: '/portal' },
  { title: '政策超市', icon: Present, path: '/policies' },
  { title: '政策兑现公示', icon: Notification, path: '/policy-notices' },
  { title: '融资对接', icon: Money, path: '/loans' },
]

/** The menu as `me` sees it: leaves it may open, groups with at least one such leaf. */
export function menuFor(me: Me | null): MenuNode[] {
  if (!me) return GUEST_MENU
  const out: MenuNode[] = []
  for (const n of MENU) {
    if (n.children) {
      const children = n.children.filter((c) => !c.allow || c.allow(me))
      if (children.length) out.push({ ...n, children })
    } else if (!n.allow || n.allow(me)) {
      out.push(n)
    }
  }
  return out
}

/** Breadcrumb titles for `path` in `me`'s menu, e.g. ["系统管理", "部门管理"]. */
export function trailFor(menu: MenuNode[], path: string): string[] {
  for (const n of menu) {
    if (n.path === path) return [n.title]
    for (const c of n.children ?? []) if (c.path === path) return [n.title, c.title]
  }
  return []
}
