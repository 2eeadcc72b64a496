/**
 * WCP-20 Cancel case: a whole process instance is removed at once: the tasks
 * running in it, and those that could still run, never complete. In tasknet
 * that is `cancelRootWorkflow` (or its internal twin), a top-down command:
 * every enabled or started task is canceled with its open work items, no
 * policy is asked, and the workflow becomes `canceled`; tasks that were never
 * enabled stay disabled and finished ones keep their state. Net:
 * `cancelCaseWorkflow` (src/workflows/patterns.ts,
 * convex/patterns/cancelCase.ts): `receive` AND-splits to `pick`, `pack` and
 * `label`, which `ship` AND-joins; its custom cancel action records a reason.
 */
import { describe, expect, it } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, driver, errorOf, type Backend } from '../support/harness'

const fns = internal.patterns.cancelCase
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  receive__to__pick: 0,
  receive__to__pack: 0,
  receive__to__label: 0,
  pick__to__ship: 0,
  pack__to__ship: 0,
  label__to__ship: 0,
  ...over,
})
/** pick has completed, pack is started, label is only enabled, ship waits for all three. */
const RUNNING = {
  workflow: 'started',
  tasks: { receive: 'completed', pick: 'completed', pack: 'started', label: 'enabled', ship: 'disabled' },
  marking: marking({ receive__to__label: 1, pick__to__ship: 1 }),
  workItems: ['receive#1:completed', 'pick#1:completed', 'pack#1:started', 'label#1:initialized'],
}
/**
 * RUNNING after the cancel. The marking is left as it was: docs/semantics.md#failure-and-cancellation does not say what a
 * canceled workflow's conditions hold, and the engine does not empty them (no task can consume them).
 */
const CANCELED = {
  workflow: 'canceled',
  tasks: { receive: 'completed', pick: 'completed', pack: 'canceled', label: 'canceled', ship: 'disabled' },
  marking: RUNNING.marking,
  workItems: ['receive#1:completed', 'pick#1:completed', 'pack#1:canceled', 'label#1:canceled'],
}

const cancelReason = (t: Backend, workflowId: Parameters<typeof Decisions.find>[1]) =>
  t.run(async (ctx) => (await Decisions.find(ctx, workflowId, 'cancel'))?.choice ?? null)

async function running() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.run('receive')
  await wf.run('pick')
  await wf.start('pack')
  expect(await wf.snapshot()).toEqual(RUNNING)
  return { t, wf }
}

describe('WCP-20 cancel case', () => {
  it('a client cancels a running case: the started and the enabled task are canceled with their work items', async () => {
    const { t, wf } = await running()

    await t.mutation(api.patterns.cancelCase.cancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'customer withdrew' } })
    expect(await wf.snapshot()).toEqual(CANCELED)
    expect(await cancelReason(t, wf.workflowId)).toBe('customer withdrew')
  })

  it('internalCancelRootWorkflow cancels a case that has not started yet: its enabled first task is canceled', async () => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: { receive: 'enabled', pick: 'disabled', pack: 'disabled', label: 'disabled', ship: 'disabled' },
      marking: marking({ start: 1 }),
      workItems: ['receive#1:initialized'],
    })

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'duplicate' } })
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: { receive: 'canceled', pick: 'disabled', pack: 'disabled', label: 'disabled', ship: 'disabled' },
      marking: marking({ start: 1 }),
      workItems: ['receive#1:canceled'],
    })
    expect(await cancelReason(t, wf.workflowId)).toBe('duplicate')
  })

  it('nothing in a canceled case moves any more: work items, tasks and the case itself refuse every request', async () => {
    const { t, wf } = await running()
    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'fraud' } })
    expect(await wf.snapshot()).toEqual(CANCELED)

    expect((await errorOf(wf.complete('pack'))).code).toBe('INVALID_TRANSITION')
    expect((await errorOf(wf.start('label'))).code).toBe('INVALID_TRANSITION')
    for (const taskName of ['pack', 'label', 'ship'] as const) {
      const error = await errorOf(
        t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName }, args: { name: taskName } }),
      )
      expect(error.code).toBe('INVALID_STATE')
    }
    const again = await errorOf(t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId, payload: { reason: 'again' } }))
    expect(again.code).toBe('INVALID_TRANSITION')

    expect(await wf.snapshot()).toEqual(CANCELED)
    expect(await cancelReason(t, wf.workflowId)).toBe('fraud')
  })
})
