import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const tasks = (prepare: string, accept: string, decline: string) => ({ prepare, accept, decline })
const marking = (start: number, offer: number, end: number) => ({ start, offer, end })

/** `prepare` has put one token into `offer`: both `accept` and `decline` are offered. */
const OFFERED = {
  workflow: 'started',
  tasks: tasks('completed', 'enabled', 'enabled'),
  marking: marking(0, 1, 0),
  workItems: ['prepare#1:completed', 'accept#1:initialized', 'decline#1:initialized'],
}

async function offered() {
  const t = backend()
  const wf = driver(t, internal.examples.deferredChoice)
  await wf.initialize()
  await wf.run('prepare')
  expect(await wf.snapshot()).toEqual(OFFERED)
  return { t, wf }
}

describe('deferred choice (WCP-16, semantics.md §10 scenario 8)', () => {
  it('starting a work item of accept consumes the offer, disables decline and cancels its initialized work item', async () => {
    const { wf } = await offered()

    await wf.start('accept')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'started', 'disabled'),
      marking: marking(0, 0, 0),
      workItems: ['prepare#1:completed', 'accept#1:started', 'decline#1:canceled'],
    })

    await wf.complete('accept')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'disabled'),
      marking: marking(0, 0, 1),
      workItems: ['prepare#1:completed', 'accept#1:completed', 'decline#1:canceled'],
    })
  })

  it('starting a work item of decline consumes the offer, disables accept and cancels its initialized work item', async () => {
    const { wf } = await offered()

    await wf.start('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'disabled', 'started'),
      marking: marking(0, 0, 0),
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:started'],
    })

    await wf.complete('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'disabled', 'completed'),
      marking: marking(0, 0, 1),
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:completed'],
    })
  })

  it('the losing work item, canceled by the choice, cannot be started afterwards; nothing changes', async () => {
    const { wf } = await offered()
    await wf.start('accept')
    const before = await wf.snapshot()

    const error = await errorOf(wf.start('decline'))
    expect(error.code).toBe('INVALID_TRANSITION')
    expect(await wf.snapshot()).toEqual(before)
  })
})
