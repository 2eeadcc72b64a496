/**
 * WCP-19 Cancel task: an enabled task is withdrawn before it starts, or a
 * started one is stopped and removed. In tasknet another task's cancellation
 * region does this: when that task completes, each region task is canceled,
 * enabled or started. Canceling a work item is weaker: while its task is only
 * enabled it withdraws the work item, not the task (the token stays); once the
 * task has started, canceling its only work item ends the task through the
 * default policy, which completes it. Net: `cancelTaskWorkflow`
 * (src/workflows/patterns.ts, convex/patterns/cancelTask.ts): `work` and
 * `withdraw` run in parallel; `withdraw`'s region is { work, toWork }.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.cancelTask
const tasks = (over: Record<string, string>) => ({ open: 'completed', work: 'enabled', withdraw: 'enabled', close: 'disabled', ...over })
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  toWork: 1,
  open__to__withdraw: 1,
  work__to__close: 0,
  withdraw__to__close: 0,
  ...over,
})
const OPEN = {
  workflow: 'started',
  tasks: tasks({}),
  marking: marking(),
  workItems: ['open#1:completed', 'work#1:initialized', 'withdraw#1:initialized'],
}

async function opened() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  await wf.run('open')
  expect(await wf.snapshot()).toEqual(OPEN)
  return { t, wf }
}

describe('WCP-19 cancel task: canceling a work item', () => {
  it("of an enabled task withdraws the work item only: work stays enabled, its token stays, and it can be offered again", async () => {
    const { t, wf } = await opened()

    await wf.act('cancel', 'work')
    expect(await wf.snapshot()).toEqual({
      ...OPEN,
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:initialized'],
    })

    await t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: 'work' }, args: { name: 'work' } })
    expect(await wf.snapshot()).toEqual({
      ...OPEN,
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:initialized', 'work#1:initialized'],
    })
  })

  it('of a started task, its only one, ends the task: the default policy completes it and the token moves on', async () => {
    const { wf } = await opened()

    await wf.start('work')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ work: 'started' }),
      marking: marking({ toWork: 0 }),
      workItems: ['open#1:completed', 'work#1:started', 'withdraw#1:initialized'],
    })

    await wf.act('cancel', 'work')
    // The task is 'completed', not 'canceled': the default policy treats a canceled work item as final.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ work: 'completed', close: 'enabled' }),
      marking: marking({ toWork: 0, work__to__close: 1 }),
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:initialized', 'close#1:initialized'],
    })
  })
})

describe("WCP-19 cancel task: another task's cancellation region", () => {
  it('cancels an enabled task: work and its work item are canceled and the token in front of it is removed', async () => {
    const { t, wf } = await opened()

    await wf.run('withdraw')
    const withdrawn = {
      workflow: 'started',
      tasks: tasks({ work: 'canceled', withdraw: 'completed', close: 'enabled' }),
      marking: marking({ toWork: 0, open__to__withdraw: 0, withdraw__to__close: 1 }),
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:completed', 'close#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(withdrawn)

    // A canceled task takes no more work.
    expect((await errorOf(wf.start('work'))).code).toBe('INVALID_TRANSITION')
    const reoffer = await errorOf(
      t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: 'work' }, args: { name: 'work' } }),
    )
    expect(reoffer.code).toBe('INVALID_STATE')
    expect(reoffer.message).toContain("the task is 'canceled'")
    expect(await wf.snapshot()).toEqual(withdrawn)

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ work: 'canceled', withdraw: 'completed', close: 'completed' }),
      marking: marking({ toWork: 0, open__to__withdraw: 0, end: 1 }),
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:completed', 'close#1:completed'],
    })
  })

  it('cancels a started task: its running work item is canceled and it produces nothing', async () => {
    const { wf } = await opened()
    await wf.start('work')

    await wf.run('withdraw')
    const withdrawn = {
      workflow: 'started',
      tasks: tasks({ work: 'canceled', withdraw: 'completed', close: 'enabled' }),
      marking: marking({ toWork: 0, open__to__withdraw: 0, withdraw__to__close: 1 }),
      workItems: ['open#1:completed', 'work#1:canceled', 'withdraw#1:completed', 'close#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(withdrawn)

    // Its canceled work item cannot complete after the fact.
    expect((await errorOf(wf.complete('work'))).code).toBe('INVALID_TRANSITION')
    expect(await wf.snapshot()).toEqual(withdrawn)
  })
})
