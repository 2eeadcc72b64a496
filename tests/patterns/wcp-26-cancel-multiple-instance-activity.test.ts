/**
 * WCP-26 Cancel Multiple Instance Activity.
 * A multiple-instance task is withdrawn as a whole: every instance that has
 * not completed is canceled, and the task does not pass control on.
 * tasknet: canceling the task cancels its open work items by teardown (no
 * policy is asked) and leaves the completed ones as they are. Two ways to
 * cancel it: another task's cancellation region that holds it, and canceling
 * the workflow. Net: `cancelMultipleInstancesWorkflow`
 * (src/workflows/patternsMi.ts, convex/patterns/cancelMultipleInstances.ts):
 * `split` opens `review` (three instances) and `withdraw`; each one's
 * cancellation region holds the other, and both lead to the XOR-join `close`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.cancelMultipleInstances
const tasks = (over: Record<string, string> = {}) => ({ split: 'completed', review: 'enabled', withdraw: 'enabled', close: 'disabled', ...over })
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  split__to__review: 1,
  split__to__withdraw: 1,
  review__to__close: 0,
  withdraw__to__close: 0,
  end: 0,
  ...over,
})

async function offered() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks(),
    marking: marking(),
    workItems: ['review#1:initialized', 'review#1:initialized', 'review#1:initialized', 'withdraw#1:initialized'],
  })
  return { t, wf, review: instances(t, fns, wf, 'review') }
}

/** One instance completed, one running, one offered. */
async function underway() {
  const { t, wf, review } = await offered()
  await review.act('start', 0)
  await review.act('start', 1)
  await review.act('complete', 1)
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({ review: 'started' }),
    marking: marking({ split__to__review: 0 }),
    workItems: ['review#1:started', 'review#1:completed', 'review#1:initialized', 'withdraw#1:initialized'],
  })
  await drain(t)
  return { t, wf, review }
}

describe("WCP-26 cancel multiple instance activity: a cancellation region", () => {
  it('cancels every open instance (teardown, no policy asked), leaves the completed one alone, and the task produces nothing', async () => {
    const { t, wf, review } = await underway()

    await wf.run('withdraw')
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCanceled',
    ])
    const withdrawn = {
      workflow: 'started',
      tasks: tasks({ review: 'canceled', withdraw: 'completed', close: 'enabled' }),
      marking: marking({ split__to__review: 0, split__to__withdraw: 0, withdraw__to__close: 1 }),
      workItems: ['review#1:canceled', 'review#1:completed', 'review#1:canceled', 'withdraw#1:completed', 'close#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(withdrawn)

    // The canceled instances can no longer move, and the canceled task takes no new one.
    expect(await errorOf(review.act('complete', 0))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await errorOf(review.act('start', 2))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await errorOf(review.add())).toMatchObject({ code: 'INVALID_STATE' })
    expect(await wf.snapshot()).toEqual(withdrawn)

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ review: 'canceled', withdraw: 'completed', close: 'completed' }),
      marking: marking({ split__to__review: 0, split__to__withdraw: 0, end: 1 }),
      workItems: ['review#1:canceled', 'review#1:completed', 'review#1:canceled', 'withdraw#1:completed', 'close#1:completed'],
    })
  })

  it('withdraws a task whose instances are all still offered, and empties the flow into it', async () => {
    const { wf } = await offered()

    await wf.run('withdraw')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ review: 'canceled', withdraw: 'completed', close: 'enabled' }),
      marking: marking({ split__to__review: 0, split__to__withdraw: 0, withdraw__to__close: 1 }),
      workItems: ['review#1:canceled', 'review#1:canceled', 'review#1:canceled', 'withdraw#1:completed', 'close#1:initialized'],
    })
  })

  it('the other way round: the instances all completing completes review, whose region withdraws withdraw', async () => {
    const { wf, review } = await underway()
    await review.act('complete', 0)
    await review.act('start', 2)
    await review.act('complete', 2)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ review: 'completed', withdraw: 'canceled', close: 'enabled' }),
      marking: marking({ split__to__review: 0, split__to__withdraw: 0, review__to__close: 1 }),
      workItems: ['review#1:completed', 'review#1:completed', 'review#1:completed', 'withdraw#1:canceled', 'close#1:initialized'],
    })
  })
})

describe('WCP-26 cancel multiple instance activity: canceling the workflow', () => {
  it('tears every open instance down without asking the policy, cancels the other tasks, and the workflow is canceled', async () => {
    const { t, wf } = await underway()

    await t.mutation(fns.internalCancelRootWorkflow, { workflowId: wf.workflowId })
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCanceled',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'canceled',
      tasks: tasks({ review: 'canceled', withdraw: 'canceled' }),
      marking: marking({ split__to__review: 0 }),
      workItems: ['review#1:canceled', 'review#1:completed', 'review#1:canceled', 'withdraw#1:canceled'],
    })
  })
})
