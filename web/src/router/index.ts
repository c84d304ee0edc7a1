import { createRouter, createWebHistory } from 'vue-router'
import type { Allow } from './menu'
import { allow } from './menu'
import { session } from '@/stores/session'
import { APP_NAME } from '@/i18n/zh-CN'

declare module 'vue-router' {
  interface RouteMeta {
    title?: string
    /** Who may open the page; others get the 403 page (the URL stays). */
    allow?: Allow
    /** Open without signing in (the login page; the portal and guides, inside the layout). */
    public?: boolean
    /** The menu path this page belongs under (breadcrumb: its trail, then this title). */
    parent?: string
  }
}

export const router = createRouter({
  history: createWebHistory(),
  routes: [
    {
      path: '/login',
      name: 'login',
      component: () => import('@/views/login/LoginView.vue'),
      meta: { title: '登录', public: true },
    },
    {
      // 受理通知书: a print-styled page without the shell.
      path: '/print/receipt/:id',
      name: 'print-receipt',
      component: () => import('@/views/counter/ReceiptPrintView.vue'),
      props: true,
      meta: { title: '受理通知书', allow: allow.intake },
    },
    {
      // 证照 / 证明核验: public, without the shell (opened from a QR code on a phone).
      path: '/verify',
      name: 'verify',
      component: () => import('@/views/licences/VerifyView.vue'),
      meta: { title: '证照核验', public: true },
    },
    {
      path: '/',
      component: () => import('@/layout/AppLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: '首页', allow: allow.any } },
        {
          path: 'portal',
          name: 'portal',
          component: () => import('@/views/portal/PortalView.vue'),
          meta: { title: '办事大厅', allow: allow.any, public: true },
        },
        {
          path: 'guide/item/:code',
          name: 'item-guide',
          component: () => import('@/views/portal/ItemGuideView.vue'),
          props: true,
          meta: { title: '办事指南', allow: allow.any, public: true, parent: '/portal' },
        },
        {
          path: 'guide/bundle/:code',
          name: 'bundle-guide',
          component: () => import('@/views/portal/BundleGuideView.vue'),
          props: true,
          meta: { title: '一件事办事指南', allow: allow.any, public: true, parent: '/portal' },
        },
        {
          // 政策超市: public search and detail; a signed-in enterprise also gets 为我推荐.
          path: 'policies',
          name: 'policies',
          component: () => import('@/views/policy/PolicyMarketView.vue'),
          meta: { title: '政策超市', allow: allow.any, public: true },
        },
        {
          path: 'policies/:id',
          name: 'policy',
          component: () => import('@/views/policy/PolicyDetailView.vue'),
          props: true,
          meta: { title: '政策详情', allow: allow.any, public: true, parent: '/policies' },
        },
        {
          path: 'my/policy',
          name: 'my-policy',
          component: () => import('@/views/policy/MyPolicyView.vue'),
          meta: { title: '我的政策兑现', allow: allow.enterprise },
        },
        {
          path: 'my/policy-apply/:itemId',
          name: 'policy-apply',
          component: () => import('@/views/policy/QuickApplyView.vue'),
          props: true,
          meta: { title: '快申快享', allow: allow.enterprise, parent: '/policies' },
        },
        {
          // 融资对接: public list of loan products; an enterprise also sees its eligibility and applies.
          path: 'loans',
          name: 'loans',
          component: () => import('@/views/loans/LoanMarketView.vue'),
          meta: { title: '融资对接', allow: allow.any, public: true },
        },
        {
          path: 'admin/loans',
          name: 'bank-loans',
          component: () => import('@/views/loans/BankLoansView.vue'),
          meta: { title: '融资对接（银行）', allow: allow.bank },
        },
        {
          // 政策兑现公示: public.
          path: 'policy-notices',
          name: 'policy-notices',
          component: () => import('@/views/policy/NoticesView.vue'),
          meta: { title: '政策兑现公示', allow: allow.any, public: true },
        },
        {
          path: 'admin/enterprise-imports',
          name: 'enterprise-imports',
          component: () => import('@/views/policy/EnterpriseImportView.vue'),
          meta: { title: '企业数据导入', allow: allow.partiesWrite },
        },
        {
          path: 'apply/:kind(item|bundle)/:code',
          name: 'apply',
          component: () => import('@/views/apply/ApplyView.vue'),
          props: true,
          meta: { title: '在线申请', allow: allow.apply, parent: '/portal' },
        },
        {
          path: 'my/cases',
          name: 'my-cases',
          component: () => import('@/views/cases/MyCasesView.vue'),
          meta: { title: '我的办件', allow: allow.apply },
        },
        {
          path: 'my/cases/:id',
          name: 'my-case',
          component: () => import('@/views/cases/MyCaseView.vue'),
          props: true,
          meta: { title: '办件详情', allow: allow.apply, parent: '/my/cases' },
        },
        {
          path: 'appointments/new',
          name: 'appointment-new',
          component: () => import('@/views/appointments/BookView.vue'),
          meta: { title: '预约办事', allow: allow.apply },
        },
        {
          path: 'my/appointments',
          name: 'my-appointments',
          component: () => import('@/views/appointments/MyAppointmentsView.vue'),
          meta: { title: '我的预约', allow: allow.apply },
        },
        {
          path: 'my/licences',
          name: 'my-licences',
          component: () => import('@/views/licences/MyLicencesView.vue'),
          meta: { title: '我的证照', allow: allow.selfLicences },
        },
        {
          path: 'my/identity-qr',
          name: 'identity-qr',
          component: () => import('@/views/licences/IdentityQrView.vue'),
          meta: { title: '亮证码', allow: allow.selfLicences },
        },
        {
          path: 'my/grants',
          name: 'my-grants',
          component: () => import('@/views/licences/GrantsView.vue'),
          meta: { title: '授权管理', allow: allow.selfLicences },
        },
        {
          path: 'my/proofs',
          name: 'my-proofs',
          component: () => import('@/views/licences/MyProofsView.vue'),
          meta: { title: '我的证明', allow: allow.selfLicences },
        },
        {
          path: 'counter/licence-scan',
          name: 'licence-scan',
          component: () => import('@/views/licences/ScanView.vue'),
          meta: { title: '扫码用证', allow: allow.useLicences },
        },
        {
          path: 'counter/data-sheet',
          name: 'data-sheet',
          component: () => import('@/views/licences/DataSheetView.vue'),
          meta: { title: '政务数据查询单', allow: allow.dataSheet },
        },
        {
          path: 'counter/archive',
          name: 'archive-reuse',
          component: () => import('@/views/licences/ArchiveReuseView.vue'),
          meta: { title: '材料复用', allow: allow.intake },
        },
        {
          path: 'admin/licences',
          name: 'licences-admin',
          component: () => import('@/views/licences/LicencesAdminView.vue'),
          meta: { title: '证照管理', allow: allow.issueLicences },
        },
        {
          path: 'admin/licences/import',
          name: 'licence-import',
          component: () => import('@/views/licences/LicenceImportView.vue'),
          meta: { title: '批量导入', allow: allow.issueLicences },
        },
        {
          path: 'admin/seals',
          name: 'seals',
          component: () => import('@/views/licences/SealsView.vue'),
          meta: { title: '电子印章', allow: allow.seals },
        },
        {
          path: 'review/proofs',
          name: 'proof-review',
          component: () => import('@/views/licences/ProofReviewView.vue'),
          meta: { title: '证明审核', allow: allow.reviewProofs },
        },
        {
          path: 'counter/cases',
          name: 'counter-cases',
          component: () => import('@/views/counter/CounterCasesView.vue'),
          meta: { title: '窗口受理', allow: allow.intake },
        },
        {
          path: 'counter/cases/:id',
          name: 'counter-case',
          component: () => import('@/views/counter/CounterCaseView.vue'),
          props: true,
          meta: { title: '受理办件', allow: allow.intake, parent: '/counter/cases' },
        },
        {
          path: 'counter/apply',
          name: 'counter-apply',
          component: () => import('@/views/counter/IntakeView.vue'),
          meta: { title: '代为申请', allow: allow.intake },
        },
        {
          path: 'counter/appointments',
          name: 'counter-appointments',
          component: () => import('@/views/appointments/CounterAppointmentsView.vue'),
          meta: { title: '今日预约', allow: allow.intake },
        },
        {
          path: 'review/tasks',
          name: 'review-tasks',
          component: () => import('@/views/review/ReviewQueueView.vue'),
          meta: { title: '部门审批', allow: allow.review },
        },
        {
          path: 'review/tasks/:taskId',
          name: 'review-task',
          component: () => import('@/views/review/ReviewTaskView.vue'),
          props: (r) => ({ taskId: r.params.taskId, caseId: r.query.case }),
          meta: { title: '审批办件', allow: allow.review, parent: '/review/tasks' },
        },
        {
          path: 'admin/policies',
          name: 'policy-admin',
          component: () => import('@/views/policy/PolicyAdminView.vue'),
          meta: { title: '政策管理', allow: allow.catalog },
        },
        {
          path: 'admin/policies/:id',
          name: 'policy-edit',
          component: () => import('@/views/policy/PolicyEditView.vue'),
          props: true,
          meta: { title: '政策编辑', allow: allow.catalog, parent: '/admin/policies' },
        },
        {
          // 快申快享审核: the department's reviewers decide on the applications.
          path: 'review/policy-applications',
          name: 'policy-applications',
          component: () => import('@/views/policy/ApplicationReviewView.vue'),
          meta: { title: '快申快享审核', allow: allow.review },
        },
        {
          path: 'admin/policy-campaigns',
          name: 'policy-campaigns',
          component: () => import('@/views/policy/CampaignsView.vue'),
          meta: { title: '兑现批次', allow: allow.campaigns },
        },
        {
          path: 'admin/policy-campaigns/:id',
          name: 'policy-campaign',
          component: () => import('@/views/policy/CampaignConsoleView.vue'),
          props: true,
          meta: { title: '兑现控制台', allow: allow.campaigns, parent: '/admin/policy-campaigns' },
        },
        {
          path: 'admin/policy-payments/:id/trace',
          name: 'policy-payment-trace',
          component: () => import('@/views/policy/PaymentTraceView.vue'),
          props: true,
          meta: { title: '每笔资金去向', allow: allow.catalog, parent: '/admin/policy-campaigns' },
        },
        {
          path: 'admin/catalog',
          name: 'catalog-admin',
          component: () => import('@/views/catalog/CatalogAdminView.vue'),
          meta: { title: '事项与一件事', allow: allow.catalog },
        },
        {
          path: 'admin/catalog/import',
          name: 'catalog-import',
          component: () => import('@/views/catalog/CatalogImportView.vue'),
          meta: { title: '目录导入导出', allow: allow.catalog },
        },
        {
          path: 'admin/catalog/bundles/:code',
          name: 'catalog-bundle',
          component: () => import('@/views/catalog/BundleAdminView.vue'),
          props: true,
          meta: { title: '一件事配置', allow: allow.catalog, parent: '/admin/catalog' },
        },
        {
          path: 'admin/catalog/items/:code',
          name: 'catalog-item',
          component: () => import('@/views/catalog/ItemAdminView.vue'),
          props: true,
          meta: { title: '事项配置', allow: allow.catalog, parent: '/admin/catalog' },
        },
        {
          path: 'admin/halls',
          name: 'halls',
          component: () => import('@/views/appointments/HallsView.vue'),
          meta: { title: '大厅与预约设置', allow: allow.catalog },
        },
        {
          path: 'admin/halls/:id',
          name: 'hall-edit',
          component: () => import('@/views/appointments/HallEditView.vue'),
          props: true,
          meta: { title: '服务大厅设置', allow: allow.catalog, parent: '/admin/halls' },
        },
        {
          path: 'inbox',
          name: 'inbox',
          component: () => import('@/views/inbox/InboxView.vue'),
          meta: { title: '消息', allow: allow.any },
        },
        {
          path: 'system/departments',
          name: 'departments',
          component: () => import('@/views/system/DepartmentsView.vue'),
          meta: { title: '部门管理', allow: allow.departments },
        },
        {
          path: 'system/users',
          name: 'users',
          component: () => import('@/views/system/UsersView.vue'),
          meta: { title: '用户管理', allow: allow.users },
        },
        {
          path: 'system/roles',
          name: 'roles',
          component: () => import('@/views/system/RolesView.vue'),
          meta: { title: '角色管理', allow: allow.users },
        },
        {
          path: 'calendar',
          name: 'calendar',
          component: () => import('@/views/system/CalendarView.vue'),
          meta: { title: '工作日历', allow: allow.calendarView },
        },
        {
          path: 'parties/persons',
          name: 'persons',
          component: () => import('@/views/parties/PersonsView.vue'),
          meta: { title: '自然人', allow: allow.parties },
        },
        {
          path: 'parties/enterprises',
          name: 'enterprises',
          component: () => import('@/views/parties/EnterprisesView.vue'),
          meta: { title: '企业', allow: allow.parties },
        },
        {
          path: 'audit/entries',
          name: 'audit',
          component: () => import('@/views/audit/AuditLogView.vue'),
          meta: { title: '审计日志', allow: allow.audit },
        },
        {
          path: 'my-access',
          name: 'my-access',
          component: () => import('@/views/self/MyAccessView.vue'),
          meta: { title: '谁查看了我的数据', allow: allow.myAccess },
        },
        {
          path: ':pathMatch(.*)*',
          name: 'not-found',
          component: () => import('@/views/error/ErrorView.vue'),
          props: { code: 404 },
          meta: { title: '页面不存在', allow: allow.any },
        },
      ],
    },
  ],
})

router.beforeEach(async (to) => {
  const me = await session.ensureLoaded()
  if (to.meta.public) {
    if (to.name === 'login' && me) {
      const r = to.query.redirect
      return typeof r === 'string' && r.startsWith('/') && !r.startsWith('//') ? r : '/'
    }
    return true
  }
  if (!me) return { name: 'login', query: to.fullPath === '/' ? {} : { redirect: to.fullPath } }
  return true
})

router.afterEach((to) => {
  document.title = to.meta.title ? `${to.meta.title} - ${APP_NAME}` : APP_NAME
})
