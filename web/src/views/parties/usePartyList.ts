// 自然人 and 企业: a list searched by 关键词; `?add=1` (the home page's 登记 shortcuts) opens the
// 登记 dialog at once for users who may register.
import { computed, onMounted, reactive } from 'vue'
import { useRoute } from 'vue-router'
import type { Page, PageQuery } from '@/api/types'
import { session, hasPerm } from '@/stores/session'
import { usePagedList } from '@/utils/paging'

export function usePartyList<T>(fetcher: (q: PageQuery & { q: string }) => Promise<Page<T>>, openAdd: () => void) {
  const route = useRoute()
  const canWrite = computed(() => hasPerm(session.me.value, 'parties.write'))
  const filters = reactive({ q: '' })
  const list = usePagedList(fetcher, filters)

  onMounted(() => {
    list.load()
    if (route.query.add === '1' && canWrite.value) openAdd()
  })

  return { canWrite, filters, list }
}
