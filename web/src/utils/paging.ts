// A paged list bound to el-table + el-pagination (v-model:current-page / v-model:page-size).
import { reactive, ref, watch } from 'vue'
import type { Page, PageQuery } from '@/api/types'

export function usePagedList<T, F extends object>(
  fetcher: (q: PageQuery & F) => Promise<Page<T>>,
  filters: F,
  pageSize = 20,
) {
  const items = ref<T[]>([]) as { value: T[] }
  const total = ref(0)
  const loading = ref(false)
  const loaded = ref(false)
  const error = ref('')
  const pager = reactive({ page: 1, pageSize })
  const initialFilters = { ...filters }
  let seq = 0

  async function load() {
    const my = ++seq
    loading.value = true
    error.value = ''
    try {
      const r = await fetcher({ ...filters, page: pager.page, pageSize: pager.pageSize } as PageQuery & F)
      if (my !== seq) return
      items.value = r.items
      total.value = r.total
    } catch (e) {
      if (my !== seq) return
      items.value = []
      total.value = 0
      error.value = e instanceof Error ? e.message : '加载失败'
    } finally {
      if (my === seq) {
        loading.value = false
        loaded.value = true
      }
    }
  }

  /** Search from page 1 (after the filters changed). */
  function search() {
    if (pager.page !== 1) pager.page = 1
    else load()
  }

  /** 重置: the filters as they were at the start, then search. */
  function reset() {
    Object.assign(filters, initialFilters)
    search()
  }

  watch(() => pager.page, load)
  watch(
    () => pager.pageSize,
    () => search(),
  )

  return { items, total, loading, loaded, error, pager, load, search, reset }
}

/** What usePagedList returns; components/PagedTable.vue shows one. */
export type PagedList<T = unknown> = ReturnType<typeof usePagedList<T, object>>
