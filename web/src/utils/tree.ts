// Departments arrive flat (GET /departments); the UI shows them as a tree by parentId.
import type { Department } from '@/api/types'

export type DeptNode = Department & { children?: DeptNode[] }

export function buildDeptTree(list: Department[]): DeptNode[] {
  const byId = new Map<string, DeptNode>()
  for (const d of list) byId.set(d.id, { ...d, children: [] })
  const roots: DeptNode[] = []
  for (const n of byId.values()) {
    const parent = n.parentId ? byId.get(n.parentId) : undefined
    if (parent) parent.children!.push(n)
    else roots.push(n) // top level, or a parent outside the user's data scope
  }
  const sort = (ns: DeptNode[]) => {
    ns.sort((a, b) => a.code.localeCompare(b.code))
    for (const n of ns) {
      if (n.children!.length) sort(n.children!)
      else delete n.children
    }
  }
  sort(roots)
  return roots
}
