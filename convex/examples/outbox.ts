import { Workpool } from '@convex-dev/workpool'
import { defineOutbox } from '../../src'
import { components, internal } from '../_generated/api'

/**
 * The outbox of the shipment workflow (convex/examples/shipment.ts) and the sequence workflow
 * (convex/examples/outboxSequence.ts), delivered by the `outbox` work pool of convex/convex.config.ts
 * to three subscribers (convex/examples/outboxSubscribers.ts):
 * - `audit` records every event (a mutation);
 * - `flaky` records every event, then fails when a test plans it (an action), retried with backoff:
 *   4 attempts, the retries after 1 s, 4 s and 16 s (each ×0.5–1.5, the pool's jitter);
 * - `milestones` records the first and the last event of each shipment (`workflows` and a filter).
 */
// logLevel 'ERROR': the pool's periodic reports and the planned failures' warnings would fill the test output.
export const outbox = defineOutbox({
  pool: new Workpool(components.outbox, { maxParallelism: 10, logLevel: 'ERROR' }),
  functions: () => internal.examples.outbox,
  subscribers: {
    audit: { mutation: internal.examples.outboxSubscribers.record },
    flaky: {
      action: internal.examples.outboxSubscribers.recordThenMaybeFail,
      retry: { maxAttempts: 4, initialBackoffMs: 1_000, base: 4 },
    },
    milestones: {
      mutation: internal.examples.outboxSubscribers.record,
      workflows: ['shipment'],
      filter: (event) => event.sequence === 1 || event.workflow.state === 'completed' || event.workflow.state === 'canceled',
    },
  },
})

export const { outboxDeliver, outboxComplete, outboxEvent, outboxResume, getOutbox } = outbox.functions
