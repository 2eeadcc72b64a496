/**
 * WCP-27 Complete Multiple Instance Activity.
 * A multiple-instance task is forced to complete before all of its instances
 * have finished: the open instances are withdrawn and control passes on as if
 * the task had completed normally.
 * tasknet has no top-down "complete this task" command; the force arrives as
 * a signal from one of the task's work items, and the policy turns it into a
 * completion. `vote` offers three ballots; a supervisor cancels an open ballot
 * with `{ forceComplete: true }`, whose cancel action records the decision
 * `vote.force`. The policy (that decision, else `instancePolicy.all()`)
 * completes the task: its exit withdraws the other open ballots (teardown, no
 * policy asked), keeps the completed ones, runs `onCompleted`, and produces
 * the tokens, once. Net: `completeMultipleInstancesWorkflow`
 * (src/workflows/patternsMi.ts, convex/patterns/completeMultipleInstances.ts):
 * `vote`, then `count`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.completeMultipleInstances
const marking = (over: Record<string, number> = {}) => ({ start: 0, vote__to__count: 0, end: 0, ...over })

/** Ballot 0 completed, ballot 1 running, ballot 2 offered. */
async function voting() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  const vote = instances(t, fns, wf, 'vote')
  await vote.act('start', 0)
  await vote.act('start', 1)
  await vote.act('complete', 0)
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: { vote: 'started', count: 'disabled' },
    marking: marking(),
    workItems: ['vote#1:completed', 'vote#1:started', 'vote#1:initialized'],
  })
  await drain(t)
  return { t, wf, vote }
}

describe('WCP-27 complete multiple instance activity', () => {
  it('a force-complete cancels the open instances, keeps the completed one, and produces the tokens once', async () => {
    const { t, wf, vote } = await voting()

    await vote.act('cancel', 2, { forceComplete: true })
    expect(await drain(t)).toEqual([
      'vote.item.onCanceled',
      'vote.onWorkItemStateChanged(initialized→canceled)',
      'vote.policy(initialized→canceled): complete',
      // The exit withdraws the ballot still running; no policy is asked about it.
      'vote.item.onCanceled',
      'vote.onWorkItemStateChanged(started→canceled)',
      'vote.onCompleted',
    ])
    const forced = {
      workflow: 'started',
      tasks: { vote: 'completed', count: 'enabled' },
      marking: marking({ vote__to__count: 1 }),
      workItems: ['vote#1:completed', 'vote#1:canceled', 'vote#1:canceled', 'count#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(forced)

    // A ballot completing after the force-complete is refused, and nothing changes.
    expect(await errorOf(vote.act('complete', 1))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(forced)

    await wf.run('count')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { vote: 'completed', count: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['vote#1:completed', 'vote#1:canceled', 'vote#1:canceled', 'count#1:completed'],
    })
  })

  it('without the force, canceling a ballot is an ordinary cancellation: the task waits for the others', async () => {
    const { t, wf, vote } = await voting()

    await vote.act('cancel', 2, { forceComplete: false })
    expect(await drain(t)).toEqual([
      'vote.item.onCanceled',
      'vote.onWorkItemStateChanged(initialized→canceled)',
      'vote.policy(initialized→canceled): continue',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { vote: 'started', count: 'disabled' },
      marking: marking(),
      workItems: ['vote#1:completed', 'vote#1:started', 'vote#1:canceled'],
    })

    await vote.act('complete', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { vote: 'completed', count: 'enabled' },
      marking: marking({ vote__to__count: 1 }),
      workItems: ['vote#1:completed', 'vote#1:completed', 'vote#1:canceled', 'count#1:initialized'],
    })
  })
})
