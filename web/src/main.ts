import { createApp } from 'vue'
// Styles of the Element Plus services called from plain TS (ElMessage, ElMessageBox); components
// used in templates get theirs through unplugin-vue-components.
import 'element-plus/es/components/message/style/css'
import 'element-plus/es/components/message-box/style/css'
import 'element-plus/es/components/loading/style/css'
import './styles/index.css'
import App from './App.vue'
import { router } from './router'
import { onUnauthenticated } from './api/http'
import { session } from './stores/session'

onUnauthenticated(() => {
  session.clear()
  const here = router.currentRoute.value
  if (here.name !== 'login') {
    router.replace({ name: 'login', query: here.fullPath === '/' ? {} : { redirect: here.fullPath } })
  }
})

createApp(App).use(router).mount('#app')
