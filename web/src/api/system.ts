// 系统管理: regions, departments, roles, users.
import { http } from './http'
import type { DataScope, Department, Level, Page, PageQuery, Region, Role, User } from './types'

export function listRegions(parent?: string) {
  return http.get<{ items: Region[] }>('/regions', { parent })
}

/** One region with its fullName (e.g. 湖南省长沙市芙蓉区); public. */
export function getRegion(code: string) {
  return http.get<Region>(`/regions/${encodeURIComponent(code)}`, undefined, { silent: true })
}

export function listDepartments() {
  return http.get<{ items: Department[] }>('/departments')
}

export function getDepartment(id: string) {
  return http.get<Department>(`/departments/${encodeURIComponent(id)}`)
}

export interface NewDepartment {
  code: string
  name: string
  parentId: string | null
  regionCode: string
  level: Level
}

export function createDepartment(d: NewDepartment) {
  return http.post<Department>('/departments', d, { silent: true })
}

export function updateDepartment(id: string, d: { name: string; regionCode: string; version: number }) {
  return http.put<Department>(`/departments/${encodeURIComponent(id)}`, d, { silent: true })
}

export function listRoles() {
  return http.get<{ items: Role[] }>('/roles')
}

export interface UserQuery extends PageQuery {
  q?: string
  departmentId?: string
}

export function listUsers(q: UserQuery) {
  return http.get<Page<User>>('/users', { ...q })
}

export interface UserFields {
  displayName: string
  roles: string[]
  departmentId: string | null
  dataScope: DataScope
  customDepartmentIds: string[]
}

export function createUser(u: UserFields & { username: string; password: string }) {
  return http.post<User>('/users', u, { silent: true })
}

export function updateUser(id: string, u: UserFields & { status: User['status']; version: number }) {
  return http.put<User>(`/users/${encodeURIComponent(id)}`, u, { silent: true })
}

export function resetPassword(id: string, password: string) {
  return http.post<{ ok: boolean }>(`/users/${encodeURIComponent(id)}/password`, { password }, { silent: true })
}
