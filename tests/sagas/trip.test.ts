import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { advanceTime, runScheduledInTimeOrder } from '../../src/testing'
import { TRIP_DEADLINE_MS } from '../../src/workflows/sagas'
import { backend, type Backend } from '../support/harness'

/**
 * A saga that waits for a person (src/workflows/sagas.ts `tripSaga`): its human step is a work item the app
 * completes or fails. Canceling the saga, or its deadline passing, while it waits compensates the completed
 * steps instead of tearing the workflow down.
 */

const fns = internal.examples.tripSaga
type Result = SagaResult & { compensatedSteps: string[]; skippedSteps: string[]; steps: Array<{ step: string; status: string; output?: unknown }> }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** Starts a trip and runs it until the approval waits; the approval's work item. */
async function waitingForApproval(t: Backend) {
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { traveller: 'ada' } as never })) as Id<'tasknet_workflows'>
  await advanceTime(t, vi, 0)
  const [approval] = await t.query(fns.getWorkItems, { workflowId, taskName: 'approveBudget' as never })
  expect(approval).toMatchObject({ state: 'initialized' })
  return { workflowId, approval: approval!._id as Id<'tasknet_workItems'> }
}

const outcome = async (t: Backend, workflowId: Id<'tasknet_workflows'>) => ({
  result: (await t.query(fns.getSagaResult, { workflowId })) as Result,
  workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
  log: await t.run((ctx) => ActivityLog.entries(ctx)),
})

describe('a saga with a human step', () => {
  it('completes when the person approves: the approval is the step’s output, read by the next step', async () => {
    const t = backend()
    const { workflowId, approval } = await waitingForApproval(t)
    await t.mutation(fns.internalStartWorkItem, { workItemId: approval, args: { name: 'approveBudget' } as never })
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: approval, args: { name: 'approveBudget', payload: { approver: 'grace' } } as never })
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('completed')
    expect(result.status).toBe('completed')
    expect(log).toEqual(['holdRoom for ada', 'bookFlight approved by grace'])
    // The deadline's job went with the saga's end.
    expect((await t.run((ctx) => ctx.db.system.query('_scheduled_functions').collect())).filter((j) => j.state.kind === 'pending')).toEqual([])
  })

  it('compensates when the person refuses: the room is released', async () => {
    const t = backend()
    const { workflowId, approval } = await waitingForApproval(t)
    await t.mutation(fns.internalStartWorkItem, { workItemId: approval, args: { name: 'approveBudget' } as never })
    await t.mutation(fns.internalFailWorkItem, { workItemId: approval, args: { name: 'approveBudget', payload: { reason: 'over budget' } } as never })
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect(log).toEqual(['holdRoom for ada', 'release hold_ada (stepFailed)'])
    expect(result).toMatchObject({ status: 'compensated', error: 'over budget', failedAtStep: 'approveBudget', compensatedSteps: ['holdRoom'], skippedSteps: ['bookFlight'] })
  })

  it('cancelSaga while the approval waits: the approval is withdrawn and the room released', async () => {
    const t = backend()
    const { workflowId, approval } = await waitingForApproval(t)
    await t.mutation(fns.cancelSaga, { workflowId, reason: 'trip called off' })
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect((await t.query(fns.getWorkItems, { workflowId, taskName: 'approveBudget' as never })).map((w) => w._id === approval && w.state)).toEqual(['canceled'])
    expect(log).toEqual(['holdRoom for ada', 'release hold_ada (canceled)'])
    expect(result).toMatchObject({ status: 'compensated', cause: 'canceled', error: 'canceled: trip called off', compensatedSteps: ['holdRoom'] })
    expect(result).not.toHaveProperty('failedAtStep')
  })

  it('the deadline passing while the approval waits compensates, with the deadline as the cause; not a millisecond before', async () => {
    const t = backend()
    const started = Date.now()
    const { workflowId } = await waitingForApproval(t)
    await advanceTime(t, vi, TRIP_DEADLINE_MS - (Date.now() - started) - 1)
    expect((await outcome(t, workflowId)).result.status).toBe('running')
    await runScheduledInTimeOrder(t, vi)
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect(log).toEqual(['holdRoom for ada', 'release hold_ada (deadline)'])
    expect(result).toMatchObject({ status: 'compensated', cause: 'deadline', error: `the saga's deadline of ${TRIP_DEADLINE_MS} ms passed`, compensatedSteps: ['holdRoom'] })
  })
})
