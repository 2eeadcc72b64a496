import { defineApp } from 'convex/server'
import workpool from '@convex-dev/workpool/convex.config'
import shardedCounter from '@convex-dev/sharded-counter/convex.config'

/**
 * The repository's own Convex app: the components its modules use. `npm run codegen` reads this
 * file to describe them as `components` in convex/_generated/api.
 */
const app = defineApp()
/** The work pool that delivers tasknet's outbox events to their subscribers (convex/examples/outbox.ts). */
app.use(workpool, { name: 'outbox' })
/** The work pool that runs service work items' actions (convex/examples/charge.ts); its maxParallelism is set where it is created. */
app.use(workpool, { name: 'services' })
/** The counters of tasknet's metrics (convex/examples/metered.ts). */
app.use(shardedCounter)

export default app
