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
    public?: boolean
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
      path: '/',
      component: () => import('@/layout/AppLayout.vue'),
      children: [
        { path: '', name: 'home', component: () => import('@/views/home/HomeView.vue'), meta: { title: '首页', allow: allow.any } },
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
