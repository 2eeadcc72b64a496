/**
 * WCP-36 Dynamic Partial Join for Multiple Instances.
 * Instances may be added while the task runs (as in WCP-15), and a completion
 * condition evaluated on each instance's completion decides when control
 * passes on; the instances still open are then withdrawn.
 * tasknet: `approve` offers one instance when it is enabled, approvers are
 * added while it runs (`initializeWorkItem`), and
 * `instancePolicy.threshold(2)` — the completion condition "two approvals" —
 * is evaluated on every completion, whichever instances give it. The open
 * instances are canceled by the exit (teardown), and no instance can be added
 * afterwards. Net: `dynamicPartialJoinWorkflow` (src/workflows/patternsMi.ts,
 * convex/patterns/dynamicPartialJoin.ts): `approve`, then `proceed`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { drain, instances } from '../support/instances'

const fns = internal.patterns.dynamicPartialJoin
const marking = (over: Record<string, number> = {}) => ({ start: 0, approve__to__proceed: 0, end: 0, ...over })
const approving = (...states: string[]) => ({
  workflow: 'started',
  tasks: { approve: 'started', proceed: 'disabled' },
  marking: marking(),
  workItems: states.map((s) => `approve#1:${s}`),
})

async function started() {
  const t = backend()
  const wf = driver(t, fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'initialized',
    tasks: { approve: 'enabled', proceed: 'disabled' },
    marking: marking({ start: 1 }),
    workItems: ['approve#1:initialized'],
  })
  const approve = instances(t, fns, wf, 'approve')
  await approve.act('start', 0)
  expect(await wf.snapshot()).toEqual(approving('started'))
  return { t, wf, approve }
}

describe('WCP-36 dynamic partial join for multiple instances', () => {
  it('adds instances at run time and passes control on at the second approval, withdrawing the open ones', async () => {
    const { t, wf, approve } = await started()

    await approve.add()
    await approve.add()
    await approve.act('start', 2)
    expect(await wf.snapshot()).toEqual(approving('started', 'initialized', 'started'))

    // The first approval comes from an instance added after the task started.
    await approve.act('complete', 2)
    expect(await wf.snapshot()).toEqual(approving('started', 'initialized', 'completed'))

    // Still running, an approver is added, then the second approval arrives.
    await approve.add()
    await drain(t)
    await approve.act('complete', 0)
    expect(await drain(t)).toEqual([
      'approve.item.onCompleted',
      'approve.onWorkItemStateChanged(started→completed)',
      'approve.policy(started→completed): complete',
      'approve.item.onCanceled',
      'approve.onWorkItemStateChanged(initialized→canceled)',
      'approve.item.onCanceled',
      'approve.onWorkItemStateChanged(initialized→canceled)',
      'approve.onCompleted',
    ])
    const passedOn = {
      workflow: 'started',
      tasks: { approve: 'completed', proceed: 'enabled' },
      marking: marking({ approve__to__proceed: 1 }),
      workItems: ['approve#1:completed', 'approve#1:canceled', 'approve#1:completed', 'approve#1:canceled', 'proceed#1:initialized'],
    }
    expect(await wf.snapshot()).toEqual(passedOn)

    // Once the condition has held, no instance can be added or finish: nothing changes.
    expect(await errorOf(approve.add())).toMatchObject({ code: 'INVALID_STATE' })
    expect(await errorOf(approve.act('start', 1))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(passedOn)

    await wf.run('proceed')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { approve: 'completed', proceed: 'completed' },
      marking: marking({ end: 1 }),
      workItems: ['approve#1:completed', 'approve#1:canceled', 'approve#1:completed', 'approve#1:canceled', 'proceed#1:completed'],
    })
  })

  it('with only one approver the condition cannot hold: the task completes when that instance is final (YAWL: all instances final)', async () => {
    const { t, wf, approve } = await started()
    await drain(t)

    await approve.act('complete', 0)
    expect(await drain(t)).toEqual([
      'approve.item.onCompleted',
      'approve.onWorkItemStateChanged(started→completed)',
      'approve.policy(started→completed): complete',
      'approve.onCompleted',
    ])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { approve: 'completed', proceed: 'enabled' },
      marking: marking({ approve__to__proceed: 1 }),
      workItems: ['approve#1:completed', 'proceed#1:initialized'],
    })
  })

  it('an approver added while the only other one runs keeps the task waiting after the first approval', async () => {
    const { wf, approve } = await started()
    await approve.add()
    await approve.act('complete', 0)
    expect(await wf.snapshot()).toEqual(approving('completed', 'initialized'))

    await approve.act('start', 1)
    await approve.act('complete', 1)
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { approve: 'completed', proceed: 'enabled' },
      marking: marking({ approve__to__proceed: 1 }),
      workItems: ['approve#1:completed', 'approve#1:completed', 'proceed#1:initialized'],
    })
  })
})
