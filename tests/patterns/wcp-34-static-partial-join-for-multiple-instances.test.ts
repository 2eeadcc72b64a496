/**
 * WCP-34 Static Partial Join for Multiple Instances.
 * Of the instances of a task, a number N fixed in the model must complete for
 * control to pass on; the remaining instances may still run to completion, but
 * their completion has no further effect, and the construct resets once they
 * all have.
 *
 * Partly supported: `instancePolicy.threshold(2)` passes control on at the
 * second completion of four instances, whatever their order. The remaining
 * instances are not left to run: the task's exit cancels them (teardown), as
 * in WCP-35, so they cannot complete afterwards, and there is nothing to
 * reset. Keeping them running would need a task that produces its tokens
 * before it ends. Net: `staticPartialJoinWorkflow`
 * (src/workflows/patternsMi.ts, convex/patterns/staticPartialJoin.ts):
 * `review` (four instances), then `decide`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.staticPartialJoin
const marking = (over: Record<string, number> = {}) => ({ start: 0, review__to__decide: 0, end: 0, ...over })

async function offered() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'initialized',
    tasks: { review: 'enabled', decide: 'disabled' },
    marking: marking({ start: 1 }),
    workItems: ['review#1:initialized', 'review#1:initialized', 'review#1:initialized', 'review#1:initialized'],
  })
  return { t, wf, review: instances(t, fns, wf, 'review') }
}

describe('WCP-34 static partial join: 2 of 4', () => {
  it('passes control on when the second instance completes, with two instances still open', async () => {
    const { t, wf, review } = await offered()
    await review.act('start', 3)
    await review.act('start', 1)
    await review.act('start', 0)
    await review.act('complete', 3)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'started', decide: 'disabled' },
      marking: marking(),
      workItems: ['review#1:started', 'review#1:started', 'review#1:initialized', 'review#1:completed'],
    })
    await drain(t)

    await review.act('complete', 1)
    expect(await drain(t)).toEqual([
      'review.item.onCompleted',
      'review.onWorkItemStateChanged(started→completed)',
      'review.policy(started→completed): complete',
      // The exit withdraws the open instances, offered ones first, then the started one; no policy is asked.
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(initialized→canceled)',
      'review.item.onCanceled',
      'review.onWorkItemStateChanged(started→canceled)',
      'review.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:canceled', 'review#1:completed', 'review#1:canceled', 'review#1:completed', 'decide#1:initialized'],
    })
  })

  it('the remaining instances cannot complete afterwards (the deviation from the pattern): nothing changes', async () => {
    const { wf, review } = await offered()
    await review.act('start', 0)
    await review.act('start', 1)
    await review.act('start', 2)
    await review.act('complete', 0)
    await review.act('complete', 2)
    const passedOn = {
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:completed', 'review#1:canceled', 'decide#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(passedOn)

    expect(await errorOf(review.act('complete', 1))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await errorOf(review.act('start', 3))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(passedOn)

    await wf.run('decide')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { review: 'completed', decide: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:completed', 'review#1:canceled', 'decide#1:completed'],
    })
  })

  it('a canceled instance does not count: with one completed and one canceled, the task keeps waiting', async () => {
    const { wf, review } = await offered()
    await review.act('start', 0)
    await review.act('complete', 0)
    await review.act('cancel', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'started', decide: 'disabled' },
      marking: marking(),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:initialized', 'review#1:initialized'],
    })

    await review.act('start', 2)
    await review.act('complete', 2)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { review: 'completed', decide: 'enabled' },
      marking: marking({ review__to__decide: 1 }),
      workItems: ['review#1:completed', 'review#1:canceled', 'review#1:completed', 'review#1:canceled', 'decide#1:initialized'],
    })
  })
})
