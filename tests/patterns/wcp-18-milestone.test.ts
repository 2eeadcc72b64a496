/**
 * WCP-18 Milestone: a task may run only while the workflow is at a given
 * point (the milestone) — not before it is reached, and never again once the
 * workflow has moved past it. tasknet expresses the milestone as an explicit
 * condition: the milestone task AND-joins it with its own input and puts the
 * token back when it completes, while the task that moves the workflow on
 * consumes it for good. The two compete for the token (a deferred choice), so
 * while the milestone task runs, moving on waits. Net: `milestoneWorkflow` —
 * `amend` may redirect a parcel only while it is `inTransit`, between `ship`
 * and `deliver`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.milestone
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  ship: 'enabled',
  requestChange: 'enabled',
  deliver: 'disabled',
  amend: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  inTransit: 0,
  changeRequested: 0,
  fork__to__ship: 0,
  fork__to__requestChange: 0,
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, fork__to__ship: 1, fork__to__requestChange: 1 },
    workItems: ['ship#1:initialized', 'requestChange#1:initialized'],
  })
  return wf
}

describe('WCP-18 milestone', () => {
  it('a change requested before the milestone waits for it, then runs while the milestone holds', async () => {
    const wf = await opened()

    // Not shipped yet: the request is recorded, amend is not enabled.
    await wf.run('requestChange')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ requestChange: 'completed' }),
      marking: { ...none, fork__to__ship: 1, changeRequested: 1 },
      workItems: ['ship#1:initialized', 'requestChange#1:completed'],
    })

    // The milestone is reached: amend and deliver are both offered.
    await wf.run('ship')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'enabled', amend: 'enabled' }),
      marking: { ...none, inTransit: 1, changeRequested: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:completed', 'deliver#1:initialized', 'amend#1:initialized'],
    })

    // amend holds the milestone token: delivery waits (its offer is withdrawn).
    await wf.start('amend')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'disabled', amend: 'started' }),
      marking: { ...none },
      workItems: ['ship#1:completed', 'requestChange#1:completed', 'deliver#1:canceled', 'amend#1:started'],
    })

    // amend puts the token back: still in transit, delivery is offered again.
    await wf.complete('amend')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'enabled', amend: 'completed' }),
      marking: { ...none, inTransit: 1 },
      workItems: [
        'ship#1:completed',
        'requestChange#1:completed',
        'deliver#1:canceled',
        'amend#1:completed',
        'deliver#2:initialized',
      ],
    })

    await wf.run('deliver')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'completed', amend: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: [
        'ship#1:completed',
        'requestChange#1:completed',
        'deliver#1:canceled',
        'amend#1:completed',
        'deliver#2:completed',
      ],
    })
  })

  it('a change requested while the milestone holds enables amend at once', async () => {
    const wf = await opened()
    await wf.run('ship')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', deliver: 'enabled' }),
      marking: { ...none, fork__to__requestChange: 1, inTransit: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:initialized', 'deliver#1:initialized'],
    })
    await wf.run('requestChange')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'enabled', amend: 'enabled' }),
      marking: { ...none, inTransit: 1, changeRequested: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:completed', 'deliver#1:initialized', 'amend#1:initialized'],
    })
  })

  it('a change requested once delivery has begun is too late: amend is never enabled', async () => {
    const wf = await opened()
    await wf.run('ship')

    // Delivery takes the milestone token: the workflow has moved past it.
    await wf.start('deliver')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', deliver: 'started' }),
      marking: { ...none, fork__to__requestChange: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:initialized', 'deliver#1:started'],
    })

    await wf.run('requestChange')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'started' }),
      marking: { ...none, changeRequested: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:completed', 'deliver#1:started'],
    })

    // The workflow ends with the late request unanswered; amend never ran.
    await wf.complete('deliver')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ ship: 'completed', requestChange: 'completed', deliver: 'completed' }),
      marking: { ...none, changeRequested: 1, end: 1 },
      workItems: ['ship#1:completed', 'requestChange#1:completed', 'deliver#1:completed'],
    })
  })
})
