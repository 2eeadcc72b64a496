import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { isTasknetError } from '../../src'
import { charge, lateOutcomes, receipts, serviceCall, servicesBackend, startCharge } from '../support/services'
import type { Backend } from '../support/harness'
import type { Id } from '../../convex/_generated/dataModel'

/**
 * No result is ever lost (docs/api.md#service-work-items): for one service work item, every ordering of
 * its attempt's result, the attempt's timeout, a cancel of the work item and the end of its workflow.
 * Each is the generated function the work pool, the scheduler or the app would call, called directly,
 * so the ordering is the test's. The result and the timeout never throw; a cancel after the work item
 * ended is refused as usual. Afterwards the result is either applied (the work item completed with it)
 * or recorded as late and passed to `onLateOutcome`.
 */

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

type Event = 'result' | 'timeout' | 'cancel' | 'end'
const EVENTS: Event[] = ['result', 'timeout', 'cancel', 'end']

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

async function happen(t: Backend, event: Event, workflowId: Id<'tasknet_workflows'>, workItemId: Id<'tasknet_workItems'>): Promise<void> {
  const refused = async (call: Promise<unknown>) => {
    try {
      await call
    } catch (error) {
      // Canceling what has already ended is the caller's mistake, refused as before; nothing else may throw.
      if (!isTasknetError(error)) throw error
    }
  }
  if (event === 'result') {
    await t.mutation(charge.serviceComplete, { workId: 'w1', context: { workItemId, attempt: 1 }, result: { kind: 'success', returnValue: { chargeId: 'ch_1' } } })
  } else if (event === 'timeout') {
    await t.mutation(charge.serviceTimeout, { workItemId, attempt: 1, scheduled: true })
  } else if (event === 'cancel') {
    await refused(t.mutation(charge.internalCancelWorkItem, { workItemId, args: { name: 'charge' } }))
  } else {
    await refused(t.mutation(charge.internalCancelRootWorkflow, { workflowId }))
  }
}

describe('every ordering of result, timeout, cancel and workflow end', () => {
  it.each(permutations(EVENTS).map((order) => [order.join(' → '), order] as const))('%s: the result is applied or recorded as late', async (_, order) => {
    const t = servicesBackend()
    const { wf, workItemId } = await startCharge(t, ['ok'])
    for (const event of order) await happen(t, event, wf.workflowId, workItemId)

    const call = (await serviceCall(t, workItemId))!
    const applied = call.state === 'succeeded' && (await receipts(t)).some((r) => r.chargeId === 'ch_1')
    const late = call.late.filter((l) => l.attempt === 1 && l.outcome.kind === 'success')
    expect(applied !== (late.length === 1), `applied: ${applied}, late: ${JSON.stringify(call.late)}`).toBe(true)
    expect((await lateOutcomes(t)).length).toBe(late.length)
    // The result is applied exactly when it came first: anything before it ended the attempt.
    expect(applied).toBe(order[0] === 'result')
  })
})
