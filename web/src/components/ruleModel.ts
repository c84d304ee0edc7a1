// The rule builder's editable tree and its conversion to and from the neutral rule JSON
// ({all:[…]} {any:[…]} {not:c} {fact,op,value}); operators and value kinds by fact type.
import type { FactDef, RuleNode } from '@/api/policy'

export type Kind = 'number' | 'string' | 'bool'

export interface LeafModel {
  kind: 'leaf'
  uid: number
  negate: boolean
  fact: string
  op: string
  value: unknown
}
export interface GroupModel {
  kind: 'group'
  uid: number
  negate: boolean
  op: 'all' | 'any'
  children: NodeModel[]
}
export type NodeModel = LeafModel | GroupModel

let next = 1
const uid = () => next++

/** The fact's type as number / string / bool, whatever spelling the server uses. */
export function kindOf(f: FactDef | undefined): Kind {
  const t = String(f?.type ?? '').toLowerCase()
  if (t === 'bool' || t === 'boolean' || t === '是否') return 'bool'
  if (t === 'string' || t === 'text' || t === '文本') return 'string'
  return 'number'
}

export const OPS: Record<Kind, { value: string; label: string }[]> = {
  number: [
    { value: '>=', label: '≥ 大于等于' },
    { value: '>', label: '> 大于' },
    { value: '<=', label: '≤ 小于等于' },
    { value: '<', label: '< 小于' },
    { value: '==', label: '= 等于' },
    { value: '!=', label: '≠ 不等于' },
    { value: 'between', label: '介于（含两端）' },
    { value: 'in', label: '属于其一' },
  ],
  string: [
    { value: '==', label: '= 等于' },
    { value: '!=', label: '≠ 不等于' },
    { value: 'prefix', label: '以…开头' },
    { value: 'in', label: '属于其一' },
  ],
  bool: [
    { value: '==', label: '为' },
    { value: '!=', label: '不为' },
  ],
}

/** A fitting empty value for `op` on a fact of `kind`. */
export function defaultValue(kind: Kind, op: string): unknown {
  if (op === 'in') return []
  if (op === 'between') return [0, 0]
  if (kind === 'bool') return true
  if (kind === 'number') return 0
  return ''
}

export function newLeaf(facts: FactDef[]): LeafModel {
  const f = facts[0]
  const kind = kindOf(f)
  const op = OPS[kind][0].value
  return { kind: 'leaf', uid: uid(), negate: false, fact: f?.key ?? '', op, value: defaultValue(kind, op) }
}

export function newGroup(op: 'all' | 'any' = 'all'): GroupModel {
  return { kind: 'group', uid: uid(), negate: false, op, children: [] }
}

export function fromJson(j: RuleNode | null | undefined): GroupModel {
  const root = j ? toModel(j) : newGroup()
  if (root.kind === 'group' && !root.negate) return root
  const g = newGroup()
  g.children.push(root)
  return g
}

function toModel(j: RuleNode): NodeModel {
  const o = j as Record<string, unknown>
  if ('not' in o) {
    const inner = toModel(o.not as RuleNode)
    if (!inner.negate) {
      inner.negate = true
      return inner
    }
    const g = newGroup()
    g.negate = true
    g.children.push(inner)
    return g
  }
  if ('all' in o || 'any' in o) {
    const op = 'all' in o ? 'all' : 'any'
    const g = newGroup(op)
    g.children = ((o[op] as RuleNode[]) ?? []).map(toModel)
    return g
  }
  return { kind: 'leaf', uid: uid(), negate: false, fact: String(o.fact ?? ''), op: String(o.op ?? '=='), value: o.value }
}

export function toJson(m: NodeModel): RuleNode {
  const base: RuleNode =
    m.kind === 'group'
      ? ((m.op === 'all' ? { all: m.children.map(toJson) } : { any: m.children.map(toJson) }) as RuleNode)
      : { fact: m.fact, op: m.op, value: m.value }
  return m.negate ? { not: base } : base
}
