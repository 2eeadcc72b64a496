import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { ActivityLog } from '../../src/domain/activityLog'
import { backend, driver, errorOf } from '../support/harness'

/**
 * Cancellation regions (docs/semantics.md#cancellation-regions) through the generated functions, on
 * `cancelRegionWorkflow` (WCP-25): `decide`'s region is { decide, pick, pack, label; picked, toLabel }.
 */
const tasks = (over: Record<string, string>) => ({
  split: 'completed',
  decide: 'enabled',
  pick: 'enabled',
  pack: 'enabled',
  label: 'enabled',
  ship: 'disabled',
  wrapUp: 'disabled',
  ...over,
})
const marking = (over: Record<string, number>) => ({
  start: 0,
  end: 0,
  picked: 0,
  toLabel: 1,
  split__to__decide: 1,
  split__to__pick: 1,
  split__to__pack: 1,
  decide__to__wrapUp: 0,
  ...over,
})

async function opened() {
  const t = backend()
  const wf = driver(t, internal.examples.cancelRegion)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: marking({}),
    workItems: ['decide#1:initialized', 'pick#1:initialized', 'pack#1:initialized', 'label#1:initialized'],
  })
  return { t, wf }
}

describe('cancellation region (WCP-25): applied when the owning task completes', () => {
  it('cancels the started and the enabled region task, empties the region conditions, disables the task that lost its enabling, then routes', async () => {
    const { t, wf } = await opened()

    await wf.run('pick')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ pick: 'completed', ship: 'enabled' }),
      marking: marking({ split__to__pick: 0, picked: 1 }),
      workItems: ['decide#1:initialized', 'pick#1:completed', 'pack#1:initialized', 'label#1:initialized', 'ship#1:initialized'],
    })

    await wf.start('pack')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ pick: 'completed', pack: 'started', ship: 'enabled' }),
      marking: marking({ split__to__pick: 0, split__to__pack: 0, picked: 1 }),
      workItems: ['decide#1:initialized', 'pick#1:completed', 'pack#1:started', 'label#1:initialized', 'ship#1:initialized'],
    })

    await wf.start('decide')
    await wf.complete('decide')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      // pack (started) and label (enabled) canceled; pick (completed) left alone; decide is not canceled by
      // its own region; ship lost the token in `picked` and is disabled; decide's split enabled wrapUp.
      tasks: tasks({ decide: 'completed', pick: 'completed', pack: 'canceled', label: 'canceled', ship: 'disabled', wrapUp: 'enabled' }),
      marking: marking({ split__to__decide: 0, split__to__pick: 0, split__to__pack: 0, picked: 0, toLabel: 0, decide__to__wrapUp: 1 }),
      workItems: [
        'decide#1:completed',
        'pick#1:completed',
        'pack#1:canceled',
        'label#1:canceled',
        'ship#1:canceled',
        'wrapUp#1:initialized',
      ],
    })
    // docs/semantics.md#exit: onCompleted (step 1), then the region (step 2) in order: cancel, then disable.
    expect(await t.run((ctx) => ActivityLog.entries(ctx))).toEqual([
      'pick.onCompleted',
      'decide.onCompleted',
      'pack.onCanceled',
      'label.onCanceled',
      'ship.onDisabled',
    ])

    await wf.run('wrapUp')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ decide: 'completed', pick: 'completed', pack: 'canceled', label: 'canceled', ship: 'disabled', wrapUp: 'completed' }),
      marking: marking({ split__to__decide: 0, split__to__pick: 0, split__to__pack: 0, toLabel: 0, end: 1 }),
      workItems: [
        'decide#1:completed',
        'pick#1:completed',
        'pack#1:canceled',
        'label#1:canceled',
        'ship#1:canceled',
        'wrapUp#1:completed',
      ],
    })
  })

  it('cancels every enabled region task when nothing has started in the branch and withdraws the tokens of their implicit inputs', async () => {
    const { t, wf } = await opened()
    await wf.run('decide')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ decide: 'completed', pick: 'canceled', pack: 'canceled', label: 'canceled', wrapUp: 'enabled' }),
      // pick's and pack's input tokens sit in implicit conditions, which exist only to enable them: canceling
      // them withdraws those tokens too, so neither is enabled again.
      marking: marking({ split__to__decide: 0, split__to__pick: 0, split__to__pack: 0, toLabel: 0, decide__to__wrapUp: 1 }),
      workItems: ['decide#1:completed', 'pick#1:canceled', 'pack#1:canceled', 'label#1:canceled', 'wrapUp#1:initialized'],
    })
    expect(await t.run((ctx) => ActivityLog.entries(ctx))).toEqual([
      'decide.onCompleted',
      'pick.onCanceled',
      'pack.onCanceled',
      'label.onCanceled',
    ])
  })

  it('a canceled region task takes no more actions: its canceled work item cannot be started', async () => {
    const { wf } = await opened()
    await wf.run('decide')
    expect(await errorOf(wf.start('label'))).toMatchObject({ code: 'INVALID_TRANSITION' })
  })
})

describe('a region naming a task-to-task flow', () => {
  it('cancels the enabled task and empties the implicit condition in front of it: no token is left behind', async () => {
    const wf = driver(backend(), internal.examples.cancelRegionFlow)
    await wf.initialize()
    await wf.run('prep')
    expect(await wf.marking()).toMatchObject({ prep__to__use: 1, split__to__stop: 1 })
    await wf.run('stop')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { split: 'completed', prep: 'completed', use: 'canceled', stop: 'completed', wrapUp: 'enabled' },
      marking: { start: 0, end: 0, split__to__prep: 0, split__to__stop: 0, prep__to__use: 0, stop__to__wrapUp: 1 },
      workItems: ['prep#1:completed', 'stop#1:completed', 'use#1:canceled', 'wrapUp#1:initialized'],
    })
    await wf.run('wrapUp')
    expect(await wf.snapshot()).toMatchObject({
      workflow: 'completed',
      marking: { start: 0, end: 1, split__to__prep: 0, split__to__stop: 0, prep__to__use: 0, stop__to__wrapUp: 0 },
    })
  })
})
