import { defineTable } from 'convex/server'
import { v } from 'convex/values'

/**
 * A fake payment service for the service work item tests (convex/examples/fakeService.ts): every
 * request it receives, as a real service's log would show it, and what the workflow did with the
 * outcomes (the receipt its complete action wrote, the late outcomes `onLateOutcome` was told of).
 */

/** What one attempt does, by its number: succeed, fail transiently, be declined (listed as non-retryable), throw `nonRetryable`, answer after 10 s (`slow`) or 2 s (`busy`), or return a result of the wrong shape. */
export const vServiceStep = v.union(v.literal('ok'), v.literal('fail'), v.literal('decline'), v.literal('refuse'), v.literal('slow'), v.literal('busy'), v.literal('malformed'))

export const fakeServiceTables = {
  /** One per attempt the service received, in arrival order; `finishedAt` once it answered. */
  fakeServiceRequests: defineTable({
    idempotencyKey: v.string(),
    workItemId: v.id('tasknet_workItems'),
    attempt: v.number(),
    step: vServiceStep,
    startedAt: v.number(),
    finishedAt: v.optional(v.number()),
  }).index('by_idempotencyKey', ['idempotencyKey']),
  /** Written by the charge work item's complete action, which receives the service's result. */
  fakeServiceReceipts: defineTable({ workItemId: v.id('tasknet_workItems'), chargeId: v.string() }),
  /** Written by `onLateOutcome`. */
  fakeServiceLateOutcomes: defineTable({ workItemId: v.id('tasknet_workItems'), attempt: v.number(), reason: v.string(), kind: v.string() }),
}

/** How long a `slow` attempt takes: longer than the charge's timeout. */
export const SLOW_MS = 10_000
/** How long a `busy` attempt takes: shorter than the charge's timeout. */
export const BUSY_MS = 2_000
