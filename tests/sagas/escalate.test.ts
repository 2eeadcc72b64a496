import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { Faults } from '../../src/domain/faults'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, errorOf, type Backend } from '../support/harness'

/**
 * `onCompensationFailure: 'escalate'` (src/workflows/sagas.ts `escalatingSignupSaga`): a compensation that fails is
 * handed to a person — a work item of its compensation task — who retries it, skips it or says it was resolved by
 * hand; the compensations after it wait for that decision.
 */

const fns = internal.examples.escalatingSignupSaga
type Result = SagaResult & { compensatedSteps: string[]; skippedSteps: string[]; compensationErrors: unknown[]; steps: Array<{ step: string; compensation?: { status: string; reason?: string } }> }
const SITE = 'signup.sendWelcomeEmail.compensate'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/** A signup whose last step fails and whose email compensation fails (the fault armed): it waits for a person. */
async function escalated(t: Backend) {
  await t.run((ctx) => Faults.arm(ctx, SITE))
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { email: 'ada@example.com', failAt: 'activateSubscription' } as never })) as Id<'tasknet_workflows'>
  await runScheduledInTimeOrder(t, vi)
  const items = await t.query(fns.getWorkItems, { workflowId, taskName: 'compensate_sendWelcomeEmail' as never })
  return { workflowId, escalation: items.find((w) => w.state === 'initialized')!._id as Id<'tasknet_workItems'>, items }
}

const decide = async (t: Backend, workItemId: Id<'tasknet_workItems'>, payload: { decision: 'retry' | 'skip' | 'resolved'; note?: string }) => {
  await t.mutation(fns.internalStartWorkItem, { workItemId, args: { name: 'compensate_sendWelcomeEmail' } as never })
  await t.mutation(fns.internalCompleteWorkItem, { workItemId, args: { name: 'compensate_sendWelcomeEmail', payload } as never })
  await runScheduledInTimeOrder(t, vi)
}

const outcome = async (t: Backend, workflowId: Id<'tasknet_workflows'>) => ({
  result: (await t.query(fns.getSagaResult, { workflowId })) as Result,
  workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
  log: await t.run((ctx) => ActivityLog.entries(ctx)),
})

describe('escalating a failed compensation to a person', () => {
  it('waits for the decision: the failed compensation’s work item is failed, an escalation is offered, and the ones after it wait', async () => {
    const t = backend()
    const { workflowId, items } = await escalated(t)
    expect(items.map((w) => w.state)).toEqual(['failed', 'initialized'])
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('started')
    expect(result.status).toBe('compensating')
    expect(result.steps.find((s) => s.step === 'sendWelcomeEmail')!.compensation).toMatchObject({ status: 'escalated' })
    // createUser's compensation comes after, and has not run.
    expect(log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup'])
  })

  it('resolved: the person says it was undone by hand; the compensations go on and the saga is compensated', async () => {
    const t = backend()
    const { workflowId, escalation } = await escalated(t)
    await decide(t, escalation, { decision: 'resolved', note: 'apology sent by hand' })
    const { result, workflow, log } = await outcome(t, workflowId)
    expect(workflow).toBe('failed')
    expect(log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'undo createUser'])
    expect(result).toMatchObject({ status: 'compensated', compensatedSteps: ['sendWelcomeEmail', 'createUser'] })
    expect(result.steps.find((s) => s.step === 'sendWelcomeEmail')!.compensation).toMatchObject({ status: 'compensated', reason: 'resolved by a person: apology sent by hand' })
  })

  it('skip: the compensation is left undone and reported; the others still run', async () => {
    const t = backend()
    const { workflowId, escalation } = await escalated(t)
    await decide(t, escalation, { decision: 'skip' })
    const { result, log } = await outcome(t, workflowId)
    expect(log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'undo createUser'])
    expect(result).toMatchObject({ status: 'compensationFailed', compensatedSteps: ['createUser'], compensationErrors: [{ step: 'sendWelcomeEmail', error: `Fault injected at '${SITE}'.` }] })
  })

  it('retry: a retry that fails again is refused to the person and the escalation stays open; once the fault is gone, it compensates', async () => {
    const t = backend()
    const { workflowId, escalation } = await escalated(t)
    await t.mutation(fns.internalStartWorkItem, { workItemId: escalation, args: { name: 'compensate_sendWelcomeEmail' } as never })
    const error = await errorOf(t.mutation(fns.internalCompleteWorkItem, { workItemId: escalation, args: { name: 'compensate_sendWelcomeEmail', payload: { decision: 'retry' } } as never }))
    expect(error.code).toBe('INVALID_STATE')
    expect(error.message).toContain("The compensation of step 'sendWelcomeEmail' failed again")
    expect((await outcome(t, workflowId)).result.status).toBe('compensating')

    await t.run((ctx) => Faults.disarm(ctx))
    await t.mutation(fns.internalCompleteWorkItem, { workItemId: escalation, args: { name: 'compensate_sendWelcomeEmail', payload: { decision: 'retry' } } as never })
    await runScheduledInTimeOrder(t, vi)
    const { result, log } = await outcome(t, workflowId)
    expect(log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'undo sendWelcomeEmail: logged, cannot unsend', 'undo createUser'])
    expect(result).toMatchObject({ status: 'compensated', compensatedSteps: ['sendWelcomeEmail', 'createUser'] })
  })
})
