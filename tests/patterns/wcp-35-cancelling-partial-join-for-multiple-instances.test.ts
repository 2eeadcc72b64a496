/**
 * WCP-35 Cancelling Partial Join for Multiple Instances.
 * Of the instances of a task, a number N fixed in the model must complete for
 * control to pass on; at that moment the remaining instances are canceled.
 * tasknet: the instances are the work items of one generation, offered by
 * `onEnabled`, and `instancePolicy.threshold(2, { maxFailures: 1 })` completes
 * the task on the second completion. The task's exit cancels the open
 * instances (teardown, docs/semantics.md#exit): no policy is asked about
 * them. One failed instance is tolerated; a second fails the task. Net:
 * `cancellingPartialJoinWorkflow` (src/workflows/patternsMi.ts,
 * convex/patterns/cancellingPartialJoin.ts): `review` (three instances), then
 * `decide`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.cancellingPartialJoin
const marking = (over: Record<string, number> = {}) => ({ start: 0, review__to__decide: 0, end: 0, ...over })

async function offered() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  expect(await drain(t)).toEqual(['review.onEnabled', 'review.item.onInitialized', 'review.item.onInitialized', 'review.item.onInitialized'])
  expect(await wf.snapshot()).toEqual({
    workflow: 'initialized',
    tasks: { review: 'enabled', decide: 'disabled' },
    marking: marking({ start: 1 }),
    workItems: ['review#1:initialized', 'review#1:initialized', 'review#1:initialized'],
  })
  return { t, wf, review: instances(t, fns, wf, 'review') }
}

/** All three instances started. */
async function running() {
  const { t, wf, review } = await offered()
  await review.act('start', 0)
  await review.act('start', 1)
  await review.act('start', 2)
  expect(await drain(t)).toEqual([
    'review.item.onStarted',
    'review.onStarted',
    'review.onWorkItemStateChanged(initialized→started)',
    'review.item.onStarted',
    'review.onWorkItemStateChanged(initialized→started)',
    'review.item.onStarted',
    'review.onWorkItemStateChanged(initialized→started)',
  ])
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: { review: 'started', decide: 'disabled' },
    marking: marking(),
    workItems: ['review#1:started', 'review#1:started', 'review#1:started'],
  })
  return { t, wf, review }
}

describe('WCP-35 cancelling partial join: threshold 2 of 3', () => {
  it('completes after 2 of 3 and cancels the third by teardown: the policy is not asked about it', async () => {
    const { t, wf, review } = await running()

    await review.act('complete', 2)
    expect(await drain(t)).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): continue',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'started', decide: 'disabled' },
      marking: marking(),
      workItems: ['review#1:started', 'review#1:started', 'review#1:completed'],
    })

    await review.act('complete', 0)
    expect(await drain(t)).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): complete',
      // The exit: the third instance, still running, is torn down — its onCanceled and the
      // task's onWorkItemStateChanged run, and no policy call follows — then onCompleted, once.
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCompleted',
    ])
    const passedOn = {
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:completed', 'decide#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(passedOn)

    // The canceled instance cannot complete afterwards, and nothing changes.
    expect(await errorOf(review.act('complete', 1))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await drain(t)).toEqual([])
    expect(await wf.snapshot()).toEqual(passedOn)

    await wf.run('decide')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { review: 'completed', decide: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:completed', 'decide#1:completed'],
    })
  })

  it('an instance still only offered is canceled the same way', async () => {
    const { t, wf, review } = await offered()
    await review.act('start', 0)
    await review.act('start', 1)
    await review.act('complete', 0)
    await drain(t)

    await review.act('complete', 1)
    expect(await drain(t)).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): complete',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:completed', 'review#1:canceled', 'decide#1:initialized'],
    })
  })
})

describe('WCP-35 with maxFailures: 1', () => {
  it('one failed instance is tolerated; the task still waits for two completions', async () => {
    const { t, wf, review } = await running()

    await review.act('fail', 1)
    expect(await drain(t)).toEqual([
      'review.item.onFailed',
      'review.onWorkItemStateChanged(started→failed)',
      'review.policy(started→failed): continue',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'started', decide: 'disabled' },
      marking: marking(),
      workItems: ['review#1:started', 'review#1:failed', 'review#1:started'],
    })

    await review.act('complete', 0)
    await review.act('complete', 2)
    expect(await drain(t)).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): continue',
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): complete',
      'review.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:failed', 'review#1:completed', 'decide#1:initialized'],
    })
  })

  it('a second failure fails the task and the workflow; the open instance is torn down', async () => {
    const { t, wf, review } = await running()
    await review.act('fail', 0)
    await drain(t)

    await review.act('fail', 2)
    expect(await drain(t)).toEqual([
      'review.item.onFailed',
      'review.onWorkItemStateChanged(started→failed)',
      'review.policy(started→failed): fail',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onFailed',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'failed',
      tasks: { review: 'failed', decide: 'disabled' },
      marking: marking(),
      workItems: ['review#1:failed', 'review#1:canceled', 'review#1:failed'],
    })
  })

  it('when every instance is final short of the threshold (one completed, one failed, one canceled), the task completes', async () => {
    const { t, wf, review } = await running()
    await review.act('complete', 0)
    await review.act('fail', 1)
    await drain(t)

    await review.act('cancel', 2)
    expect(await drain(t)).toEqual([
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      // Nothing is open and no instance can come any more: complete, as YAWL does once every instance is final.
      'review.policy(started→canceled): complete',
      'review.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:failed', 'review#1:canceled', 'decide#1:initialized'],
    })
  })
})
