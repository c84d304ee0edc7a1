// What a case was filed against, for labels: the item's form fields, or the bundle's merged
// form for the case's answers. Falls back to the bare keys when the catalogue cannot be read.
import { reactive } from 'vue'
import * as catalog from '@/api/catalog'
import type { CaseFile, CatalogItem, FormField } from '@/api/types'

export interface CaseDefinition {
  fields: FormField[]
  /** Field keys filled from an earlier item's result (not asked of the applicant). */
  mapped: Set<string>
  loaded: boolean
}

export function useCaseDefinition() {
  const def = reactive<CaseDefinition>({ fields: [], mapped: new Set(), loaded: false })
  const items = new Map<string, Promise<CatalogItem | null>>()

  async function load(c: CaseFile) {
    try {
      if (c.kind === 'item') {
        const item = await catalog.getItem(c.catalogCode, c.catalogVersion || undefined)
        def.fields = item.fields
        def.mapped = new Set()
      } else {
        const plan = await catalog.planBundle(c.catalogCode, c.answers)
        def.fields = plan.fields
        def.mapped = new Set(plan.fields.filter((f) => f.filledByPrerequisite).map((f) => f.key))
      }
    } catch {
      def.fields = Object.keys(c.form).map((key) => ({
        key,
        label: key,
        type: 'text',
        required: false,
        options: [],
        maxLength: 100,
        min: null,
        max: null,
        hint: '',
      }))
    } finally {
      def.loaded = true
    }
  }

  /** The item of a task at its version (result fields, steps), cached; null when unreadable. */
  function item(code: string, version?: number): Promise<CatalogItem | null> {
    const k = `${code}@${version ?? 0}`
    if (!items.has(k)) items.set(k, catalog.getItem(code, version || undefined).catch(() => null))
    return items.get(k)!
  }

  function field(key: string): FormField | undefined {
    return def.fields.find((f) => f.key === key)
  }

  return { def, load, item, field }
}
