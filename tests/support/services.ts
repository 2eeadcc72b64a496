import workpool from '@convex-dev/workpool/test'
import { vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { workflowDriver } from '../../src/testing'
import { backend, type Backend } from './harness'

/**
 * The service work item tests' backend and readers: the app of convex/ with the `services` work pool
 * registered (convex/convex.config.ts), the charge workflow (src/workflows/charge.ts) and the fake
 * payment service's log (src/domain/fakeService.ts). Fake timers must be on before the first start.
 */

export const charge = internal.examples.charge

export function servicesBackend(options: Parameters<typeof backend>[0] = {}): Backend {
  const t = backend(options)
  workpool.register(t, 'services')
  return t
}

// Captured before a test installs fake timers: real event-loop turns, to wait on running functions.
const realSetTimeout = globalThis.setTimeout.bind(globalThis)
const realTurn = () => new Promise((resolve) => realSetTimeout(resolve, 0))

/**
 * Waits for the functions the last timer started to finish, except those waiting on a fake timer
 * themselves (a `slow` attempt): after some real event-loop turns, they are left running.
 */
async function settleRunning(t: Backend): Promise<void> {
  let finished = false
  void t.finishInProgressScheduledFunctions().then(() => (finished = true))
  for (let turn = 0; turn < 30 && !finished; turn++) await realTurn()
}

/**
 * Fires timers one at a time, in time order, letting each one's work settle before the next, until
 * `done()` holds or no timer is left. A `slow` attempt of the fake service waits on a timer of its own,
 * so it is still running, in fake time, while later timers (its timeout, other attempts) fire.
 * tasknet/testing's `runScheduledInTimeOrder(t, vi, { components: ['services'] })` drives the pool as
 * well, and is what the tests use where they can; but it waits for every job it started before it
 * moves time, and only jobs move it, so an attempt sleeping on its own fake timer (`slow`, `busy`)
 * would never finish there. This loop moves time to every timer, the action's own included.
 */
export async function runUntil(t: Backend, done?: () => Promise<boolean>, maxTimers = 5_000): Promise<void> {
  for (let fired = 0; fired < maxTimers; fired++) {
    await settleRunning(t)
    if (done && (await done())) return
    if (vi.getTimerCount() === 0) {
      if (!done) return
      throw new Error('runUntil: no timer is left, and the condition still does not hold')
    }
    vi.advanceTimersToNextTimer()
  }
  throw new Error(`runUntil: still running after ${maxTimers} timers`)
}

/** Starts a charge workflow whose charge attempts follow `script`; returns its driver and the work item's id. */
export async function startCharge(t: Backend, script: Array<'ok' | 'fail' | 'decline' | 'refuse' | 'slow' | 'busy' | 'malformed'>) {
  const wf = workflowDriver(t, charge)
  await wf.initialize()
  const workItem = await wf.start('charge', { script })
  return { wf, workItemId: workItem._id as Id<'tasknet_workItems'> }
}

export const serviceCall = (t: Backend, workItemId: Id<'tasknet_workItems'>) => t.query(charge.getServiceCall, { workItemId })

/** The requests the fake service received for one work item, in arrival order. */
export async function requests(t: Backend, workItemId: Id<'tasknet_workItems'>) {
  const all = await t.run((ctx) => ctx.db.query('fakeServiceRequests').collect())
  return all.filter((r) => r.workItemId === workItemId).map(({ attempt, idempotencyKey, step, startedAt, finishedAt }) => ({ attempt, idempotencyKey, step, startedAt, finishedAt }))
}

export const receipts = (t: Backend) => t.run((ctx) => ctx.db.query('fakeServiceReceipts').collect())
export const lateOutcomes = (t: Backend) => t.run((ctx) => ctx.db.query('fakeServiceLateOutcomes').collect())

/** The `service` changes of a workflow's journal, in order. */
export async function serviceChanges(t: Backend, workflowId: Id<'tasknet_workflows'>) {
  const page = await t.query(charge.getEvents, { workflowId, limit: 1000 })
  return page.events.flatMap((e) => e.changes.filter((c) => c.kind === 'service').map((c) => (c.kind === 'service' ? `${c.attempt} ${c.outcome}` : '')))
}

/** Until the call is no longer `calling`. */
export const callEnded = (t: Backend, workItemId: Id<'tasknet_workItems'>) => async () => (await serviceCall(t, workItemId))?.state !== 'calling'
