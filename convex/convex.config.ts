import { defineApp } from 'convex/server'
import workpool from '@convex-dev/workpool/convex.config'

/**
 * The repository's own Convex app: the components its modules use. `npm run codegen` reads this
 * file to describe them as `components` in convex/_generated/api.
 */
const app = defineApp()
/** The work pool that delivers tasknet's outbox events to their subscribers (convex/examples/outbox.ts). */
app.use(workpool, { name: 'outbox' })

export default app
