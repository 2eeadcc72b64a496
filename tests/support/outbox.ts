import workpool from '@convex-dev/workpool/test'
import { vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { OutboxReceipts } from '../../src/domain/outboxReceipts'
import { backend, type Backend } from './harness'

/**
 * The outbox tests' backend and readers: the app of convex/ with the `outbox` work pool registered
 * (convex/convex.config.ts), and the receipts its subscribers keep (src/domain/outboxReceipts.ts).
 * Fake timers must be on (`vi.useFakeTimers()`) before the first step queues a delivery.
 */

export function outboxBackend(): Backend {
  const t = backend()
  workpool.register(t, 'outbox')
  return t
}

type WorkflowId = Id<'tasknet_workflows'>

/**
 * Runs scheduled functions one timer at a time, in time order (each job sees `Date.now()` at its own
 * due time, as on a deployment), until `done()` holds, or with no `done` until no timer is left. The
 * work pool's jobs live in its component, out of reach of tasknet/testing's `runScheduledInTimeOrder`,
 * so this moves fake time to the next timer of any kind. (`finishAllScheduledFunctions(vi.runAllTimers)`
 * fires far timers while a delivery is still running, and the pool's monitor then restarts a loop that
 * was only waiting.)
 */
export async function runUntil(t: Backend, done?: () => Promise<boolean>, maxTimers = 10_000): Promise<void> {
  for (let fired = 0; fired < maxTimers; fired++) {
    await t.finishInProgressScheduledFunctions()
    if (done && (await done())) return
    if (vi.getTimerCount() === 0) {
      if (!done) return
      throw new Error('runUntil: no timer is left, and the condition still does not hold')
    }
    vi.advanceTimersToNextTimer()
  }
  throw new Error(`runUntil: still running after ${maxTimers} timers`)
}

/** Runs every scheduled function, the work pool's included, in time order until none is left. */
export const settle = (t: Backend) => runUntil(t)

export type Receipt = { workflowId: WorkflowId; sequence: number; operation: string; arrivals: number[] }

/** What a subscriber received, in the order each event first arrived. */
export async function receipts(t: Backend, subscriber: string, workflowId?: WorkflowId): Promise<Receipt[]> {
  const all = await t.run((ctx) => OutboxReceipts.of(ctx, subscriber))
  return all
    .filter((r) => workflowId === undefined || r.workflowId === workflowId)
    .map(({ workflowId, sequence, operation, arrivals }) => ({ workflowId, sequence, operation, arrivals }))
}

/** The sequences a subscriber received of one workflow, in the order they first arrived. */
export async function sequencesReceived(t: Backend, subscriber: string, workflowId: WorkflowId): Promise<number[]> {
  return (await receipts(t, subscriber, workflowId)).map((r) => r.sequence)
}

/** The sequences of a workflow's journal, 1 … n. */
export async function journalSequences(t: Backend, workflowId: WorkflowId): Promise<number[]> {
  const page = await t.query(internal.examples.shipment.getEvents, { workflowId, limit: 1000 })
  return page.events.map((e) => e.sequence)
}

export const chains = (t: Backend, subscriber: string, workflowId?: WorkflowId) =>
  t.query(internal.examples.outbox.getOutbox, { subscriber, ...(workflowId ? { workflowId } : {}) })

export const planFailures = (t: Backend, subscriber: string, workflowId: WorkflowId, count: number) =>
  t.run((ctx) => OutboxReceipts.planFailures(ctx, subscriber, workflowId, count))
