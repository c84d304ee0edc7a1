// The signed-in user (Me) shared by the layout, the router guard and the pages.
import { computed, reactive } from 'vue'
import * as auth from '@/api/auth'
import { isApiError } from '@/api/http'
import type { Me } from '@/api/types'

const state = reactive<{ me: Me | null; loaded: boolean }>({ me: null, loaded: false })

export const session = {
  state,
  me: computed(() => state.me),

  /** Loads the current session once (GET /auth/me); resolves with null when signed out. */
  async ensureLoaded(): Promise<Me | null> {
    if (state.loaded) return state.me
    try {
      state.me = (await auth.me()).user
    } catch (e) {
      if (!isApiError(e) || e.status !== 401) {
        // The server is unreachable or failing: treat as signed out; login shows the error.
        console.warn('GET /auth/me failed', e)
      }
      state.me = null
    }
    state.loaded = true
    return state.me
  },

  async login(username: string, password: string): Promise<Me> {
    const s = await auth.login(username, password)
    state.me = s.user
    state.loaded = true
    return s.user
  },

  async logout(): Promise<void> {
    try {
      await auth.logout()
    } finally {
      this.clear()
    }
  },

  /** Forgets the user locally (after a 401). */
  clear(): void {
    state.me = null
    state.loaded = true
  },
}

export function hasPerm(me: Me | null, perm: string): boolean {
  return !!me && me.permissions.includes(perm)
}

export function hasRole(me: Me | null, code: string): boolean {
  return !!me && me.roles.some((r) => r.code === code)
}
