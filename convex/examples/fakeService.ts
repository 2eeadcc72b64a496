import { v } from 'convex/values'
import { nonRetryable, vServiceCallArgs } from '../../src'
import { BUSY_MS, SLOW_MS, vServiceStep } from '../../src/domain/fakeService'
import { internal } from '../_generated/api'
import { internalAction, internalMutation } from '../_generated/server'

/**
 * A fake payment service: the action `charge` is what a service work item runs (src/workflows/charge.ts).
 * It logs each request (`fakeServiceRequests`), then does what the start payload's script says for
 * this attempt number.
 */
export const charge = internalAction({
  args: vServiceCallArgs,
  handler: async (ctx, { workItemId, attempt, idempotencyKey, payload }): Promise<unknown> => {
    const script = (payload as { script: Array<typeof vServiceStep.type> }).script
    const step = script[attempt - 1] ?? 'ok'
    const requestId = await ctx.runMutation(internal.examples.fakeService.received, { workItemId, attempt, idempotencyKey, step })
    if (step === 'slow' || step === 'busy') await new Promise((resolve) => setTimeout(resolve, step === 'slow' ? SLOW_MS : BUSY_MS))
    await ctx.runMutation(internal.examples.fakeService.answered, { requestId })
    if (step === 'fail') throw new Error(`service unavailable (attempt ${attempt})`)
    if (step === 'decline') throw new Error('card_declined: insufficient funds')
    if (step === 'refuse') throw nonRetryable('the card is blocked')
    if (step === 'malformed') return { charge: 42 }
    return { chargeId: `ch_${idempotencyKey}` }
  },
})

export const received = internalMutation({
  args: { workItemId: v.id('tasknet_workItems'), attempt: v.number(), idempotencyKey: v.string(), step: vServiceStep },
  returns: v.id('fakeServiceRequests'),
  handler: (ctx, args) => ctx.db.insert('fakeServiceRequests', { ...args, startedAt: Date.now() }),
})

export const answered = internalMutation({
  args: { requestId: v.id('fakeServiceRequests') },
  returns: v.null(),
  handler: async (ctx, { requestId }) => {
    await ctx.db.patch(requestId, { finishedAt: Date.now() })
    return null
  },
})
