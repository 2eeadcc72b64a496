import { v } from 'convex/values'
import { nonRetryable, vServiceCallArgs } from 'tasknet'
import { internal } from './_generated/api.js'
import { internalAction, internalMutation } from './_generated/server.js'

/**
 * The action the welcome workflow's service work item runs (src/workflows/welcome.ts). A deployed app
 * would `fetch` its mail provider here with `Idempotency-Key: idempotencyKey`; this one stands in for
 * the provider: it logs each request (`mailRequests`), answers 503 to every first attempt, and refuses
 * an address without '@'.
 */
export const send = internalAction({
  args: vServiceCallArgs,
  handler: async (ctx, { payload, attempt, idempotencyKey }): Promise<{ messageId: string }> => {
    const { to } = payload as { to: string }
    await ctx.runMutation(internal.mailer.logRequest, { to, attempt, idempotencyKey })
    if (!to.includes('@')) throw nonRetryable(`invalid_recipient: ${to}`)
    if (attempt === 1) throw new Error('mail provider answered 503')
    return { messageId: `msg_${idempotencyKey}` }
  },
})

export const logRequest = internalMutation({
  args: { to: v.string(), attempt: v.number(), idempotencyKey: v.string() },
  returns: v.null(),
  handler: async (ctx, request) => {
    await ctx.db.insert('mailRequests', { ...request, at: Date.now() })
    return null
  },
})
