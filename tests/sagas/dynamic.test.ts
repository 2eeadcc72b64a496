import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import type { SagaResult } from '../../src'
import { ActivityLog } from '../../src/domain/activityLog'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend } from '../support/harness'

/**
 * `003_…`'s dynamic sagas (src/workflows/sagas.ts `dynamicSaga`): a step with a condition runs only when it holds
 * when the step is reached; a skipped step is recorded as such and never compensated.
 */

const fns = internal.examples.dynamicSaga
type Result = SagaResult & { compensatedSteps: string[]; skippedSteps: string[]; steps: Array<{ step: string; status: string; compensation?: { reason?: string } }> }

beforeEach(() => {
  vi.useFakeTimers()
})
afterEach(() => {
  vi.useRealTimers()
})

async function run(input: { needsValidation: boolean; premium: boolean; managerReview?: boolean; failAt?: string }) {
  const t = backend()
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, { payload: { managerReview: false, ...input } as never })) as Id<'tasknet_workflows'>
  await runScheduledInTimeOrder(t, vi)
  return {
    t,
    workflowId,
    result: (await t.query(fns.getSagaResult, { workflowId })) as Result,
    workflow: (await t.query(fns.getWorkflow, { workflowId })).state,
    log: await t.run((ctx) => ActivityLog.entries(ctx)),
  }
}

describe('003: a dynamic saga', () => {
  it('runs only the steps whose conditions hold; the skipped ones are recorded as skipped', async () => {
    const { result, workflow, log } = await run({ needsValidation: false, premium: true })
    expect(workflow).toBe('completed')
    expect(log).toEqual(['process', 'premium', 'finish'])
    expect(result.steps.map((s) => `${s.step}:${s.status}`)).toEqual(['validate:skipped', 'process:completed', 'managerReview:skipped', 'premium:completed', 'finish:completed'])
  })

  it('a condition reads the app’s data when the step is reached', async () => {
    const { log } = await run({ needsValidation: true, premium: true })
    expect(log).toEqual(['validate', 'process', 'premium', 'finish'])
  })

  it('on a failure, the skipped steps are not compensated: their compensations are recorded as skipped, with the reason', async () => {
    const { result, workflow, log } = await run({ needsValidation: false, premium: true, failAt: 'finish' })
    expect(workflow).toBe('failed')
    expect(log).toEqual(['process', 'premium', 'undo premium', 'undo process'])
    expect(result).toMatchObject({ status: 'compensated', compensatedSteps: ['premium', 'process'], skippedSteps: ['validate'] })
    expect(result.steps.find((s) => s.step === 'validate')!.compensation).toMatchObject({ reason: 'skipped by its condition' })
  })

  it('a human step whose condition holds waits for its person', async () => {
    const { t, workflowId, result } = await run({ needsValidation: false, premium: false, managerReview: true })
    expect(result.status).toBe('running')
    expect((await t.query(fns.getWorkItems, { workflowId, taskName: 'managerReview' as never })).map((w) => w.state)).toEqual(['initialized'])
  })
})
