import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, type Backend } from '../support/harness'

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

/**
 * `001_…`'s user signup (CompensationPrimitive) on tasknet: src/workflows/sagas.ts `signupSaga`, four local
 * steps, one of them (`trackSignup`) with no compensation. A failure compensates the completed steps in
 * reverse order, the failed step's own writes rolled back with it; a failing compensation is collected
 * (`continue`) or stops the rest (`halt`).
 */

type Fns = typeof internal.examples.signupSaga

async function signup(t: Backend, fns: Fns, input: { failAt?: string; failCompensationOf?: string[] } = {}) {
  // The saga's net is compiled from its steps, so the generated functions do not know the input's type.
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { email: 'ada@example.com', ...input } as never })) as Id<'tasknet_workflows'>
  // Each step and each compensation is a step of its own, scheduled by the one before.
  await runScheduledInTimeOrder(t, vi)
  // Any variant's fields, for the assertions below.
  const result = (await t.query(fns.getSagaResult, { workflowId })) as SagaResult & { skippedSteps: string[]; steps: Array<{ step: string; status: string; output?: unknown; compensation?: unknown }> }
  const workflow = (await t.query(fns.getWorkflow, { workflowId })).state
  const log = await t.run((ctx) => ActivityLog.entries(ctx))
  const users = await t.run((ctx) => ctx.db.query('users').collect())
  const emails = await t.run((ctx) => ctx.db.query('sentEmails').collect())
  return { workflowId, result, workflow, log, users, emails }
}

describe('001: user signup as a saga', () => {
  const fns = internal.examples.signupSaga

  it('completes every step in order; nothing is compensated and the workflow completes', async () => {
    const run = await signup(backend(), fns)
    expect(run.workflow).toBe('completed')
    expect(run.log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'activateSubscription'])
    expect(run.result).toMatchObject({ status: 'completed' })
    expect(run.result.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'createUser:completed',
      'sendWelcomeEmail:completed',
      'trackSignup:completed',
      'activateSubscription:completed',
    ])
    expect(run.result.steps[1]!.output).toEqual({ userId: run.users[0]!._id, emailSent: true })
    expect(run.users.map((u) => u.subscription)).toEqual(['active'])
  })

  it('a failure in the last step rolls back its own writes and compensates the others in reverse; tracking has nothing to undo', async () => {
    const run = await signup(backend(), fns, { failAt: 'activateSubscription' })
    expect(run.workflow).toBe('failed')
    // The failed step's log entry rolled back with its other writes; the compensations ran newest first.
    expect(run.log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'undo sendWelcomeEmail: logged, cannot unsend', 'undo createUser'])
    expect(run.users).toEqual([])
    expect(run.emails).toHaveLength(1)
    expect(run.result).toMatchObject({
      status: 'compensated',
      cause: 'stepFailed',
      error: 'activateSubscription failed',
      failedAtStep: 'activateSubscription',
      compensatedSteps: ['sendWelcomeEmail', 'createUser'],
      skippedSteps: ['activateSubscription'],
    })
    expect(run.result.steps.find((s) => s.step === 'trackSignup')).toMatchObject({ status: 'completed' })
    expect(run.result.steps.find((s) => s.step === 'trackSignup')).not.toHaveProperty('compensation')
  })

  it('a failure in the second step compensates only the first; the steps never reached are skipped', async () => {
    const run = await signup(backend(), fns, { failAt: 'sendWelcomeEmail' })
    expect(run.log).toEqual(['createUser', 'undo createUser'])
    expect(run.emails).toEqual([])
    expect(run.result).toMatchObject({ status: 'compensated', failedAtStep: 'sendWelcomeEmail', compensatedSteps: ['createUser'] })
    expect(run.result.skippedSteps).toEqual(['activateSubscription', 'sendWelcomeEmail'])
    expect(run.result.steps.map((s) => `${s.step}:${s.status}`)).toEqual([
      'createUser:completed',
      'sendWelcomeEmail:failed',
      'trackSignup:notReached',
      'activateSubscription:notReached',
    ])
  })

  it('continue: a compensation that fails is collected, and the ones before it in reverse order still run', async () => {
    const run = await signup(backend(), fns, { failAt: 'activateSubscription', failCompensationOf: ['sendWelcomeEmail'] })
    expect(run.workflow).toBe('failed')
    expect(run.log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup', 'undo createUser'])
    expect(run.users).toEqual([])
    expect(run.result).toMatchObject({
      status: 'compensationFailed',
      failedAtStep: 'activateSubscription',
      compensatedSteps: ['createUser'],
      compensationErrors: [{ step: 'sendWelcomeEmail', error: 'compensating sendWelcomeEmail failed' }],
    })
  })

  it('halt: the first compensation that fails stops the rest, which are recorded as skipped', async () => {
    const run = await signup(backend(), internal.examples.haltingSignupSaga as unknown as Fns, { failAt: 'activateSubscription', failCompensationOf: ['sendWelcomeEmail'] })
    expect(run.workflow).toBe('failed')
    expect(run.log).toEqual(['createUser', 'sendWelcomeEmail', 'trackSignup'])
    expect(run.users).toHaveLength(1)
    expect(run.result).toMatchObject({ status: 'compensationFailed', compensatedSteps: [], compensationErrors: [{ step: 'sendWelcomeEmail' }] })
    expect(run.result.steps.find((s) => s.step === 'createUser')!.compensation).toMatchObject({ status: 'skipped', reason: expect.stringContaining('halted') })
  })
})
