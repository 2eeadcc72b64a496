import { defineApp } from 'convex/server'
import workpool from '@convex-dev/workpool/convex.config'

// The work pool in which the welcome workflow's service work item sends its email (convex/welcome.ts).
const app = defineApp()
app.use(workpool, { name: 'mailer' })
export default app
