import { nonRetryable, vServiceCallArgs } from '../../src'
import { internalAction } from '../_generated/server'

/**
 * A fake payment provider for the service order (src/workflows/serviceOrder.ts), with its failures
 * injected by test card: a card ending 0002 is declined (never retried), a card ending 0003 times
 * out on its first charge attempt. The refund endpoint is unavailable on every first attempt.
 * Results carry the idempotency key, as a provider deduplicating retries would.
 */
export const charge = internalAction({
  args: vServiceCallArgs,
  handler: async (_ctx, { attempt, idempotencyKey, payload }): Promise<{ chargeId: string }> => {
    const { card } = payload as { card: string }
    if (card.endsWith('0002')) throw nonRetryable('card_declined: insufficient funds')
    if (card.endsWith('0003') && attempt === 1) throw new Error('gateway timeout (attempt 1)')
    return { chargeId: `ch_${idempotencyKey}` }
  },
})

export const refund = internalAction({
  args: vServiceCallArgs,
  handler: async (_ctx, { attempt, idempotencyKey }): Promise<{ refundId: string }> => {
    if (attempt === 1) throw new Error('refund service unavailable (attempt 1)')
    return { refundId: `re_${idempotencyKey}` }
  },
})
