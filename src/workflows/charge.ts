import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import type { MutationCtx } from '../../convex/_generated/server'

/** What the charge's attempts do, in order (src/domain/fakeService.ts): its start payload. */
export const chargeScript = z.object({ script: z.array(z.enum(['ok', 'fail', 'decline', 'refuse', 'slow', 'busy', 'malformed'])) })

/** The retry policy of `charge`: 3 attempts, retries after 1 s and 4 s (no jitter, so tests can check the times). */
export const CHARGE_RETRY = { maxAttempts: 3, initialBackoffMs: 1_000, base: 4, jitter: false }
/** How long one attempt of `charge` may take. */
export const CHARGE_TIMEOUT_MS = 5_000

/**
 * A service work item (docs/api.md#service-work-items): `charge` calls the fake payment service of
 * convex/examples/fakeService.ts when it starts, retries transient failures, is declined at once
 * (`card_declined`), times an attempt out after 5 s, and checks the result's shape. Its complete
 * action receives the service's result and keeps a receipt; late outcomes are kept too.
 */
const chargeWorkItem = Builder.workItem('charge')
  .withActions(
    Builder.workItemActions()
      .start(chargeScript, async ({ workItem }) => workItem.start())
      .complete(z.object({ chargeId: z.string() }), async ({ mutationCtx, workItem }, { chargeId }) => {
        await (mutationCtx as MutationCtx).db.insert('fakeServiceReceipts', { workItemId: workItem.id, chargeId })
        await workItem.complete()
      })
      .fail(z.object({ error: z.string(), attempts: z.number() }), async ({ workItem }) => workItem.fail()),
  )
  .service({
    action: internal.examples.fakeService.charge,
    retry: CHARGE_RETRY,
    timeoutMs: CHARGE_TIMEOUT_MS,
    nonRetryable: ['card_declined'],
    result: z.object({ chargeId: z.string() }),
    onLateOutcome: async ({ mutationCtx, workItem, late }) => {
      await mutationCtx.db.insert('fakeServiceLateOutcomes', { workItemId: workItem.id, attempt: late.attempt, reason: late.reason, kind: late.outcome.kind })
    },
  })

export const chargeWorkflow = Builder.workflow('charge')
  .startCondition('start')
  .task(
    'charge',
    Builder.task(chargeWorkItem).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('charge'))
  .connectTask('charge', (to) => to.condition('end'))
