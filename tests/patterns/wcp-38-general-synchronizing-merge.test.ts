/**
 * WCP-38 General Synchronizing Merge: like the local one, but the threads into
 * the merge may loop, so whether another token can still arrive depends on
 * where every loop is. tasknet's OR-join decides on the whole state, loops
 * included (backward coverability terminates on cyclic nets): `merge` waits
 * while `review` can still send work round the loop and on to it.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.generalSynchronizingMerge
const none = {
  start: 0, end: 0, fork__to__audit: 0, ready: 0, work__to__review: 0, review__to__merge: 0, audit__to__merge: 0,
}

describe('WCP-38 general synchronizing merge', () => {
  it('waits through every pass of the loop and fires once the loop sends its token on', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('audit')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', audit: 'completed', work: 'enabled', review: 'disabled', merge: 'disabled' },
      marking: { ...none, ready: 1, audit__to__merge: 1 },
      workItems: ['audit#1:completed', 'work#1:initialized'],
    })
    for (let pass = 1; pass <= 2; pass++) {
      await wf.run('work')
      await wf.run('review', { choice: 'again' })
      // Sent round again: the loop can still reach merge, so it keeps waiting.
      expect(await wf.snapshot()).toMatchObject({
        tasks: { work: 'enabled', review: 'completed', merge: 'disabled' },
        marking: { ...none, ready: 1, audit__to__merge: 1 },
      })
    }
    await wf.run('work')
    await wf.run('review', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', audit: 'completed', work: 'completed', review: 'completed', merge: 'enabled' },
      marking: { ...none, audit__to__merge: 1, review__to__merge: 1 },
      workItems: [
        'audit#1:completed', 'work#1:completed', 'review#1:completed', 'work#2:completed', 'review#2:completed',
        'work#3:completed', 'review#3:completed', 'merge#1:initialized',
      ],
    })
    await wf.run('merge')
    expect(await wf.snapshot()).toMatchObject({ workflow: 'completed', marking: { ...none, end: 1 } })
  })

  it('when the loop finishes first, waits for the other thread instead', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('work')
    await wf.run('review', { choice: 'done' })
    expect(await wf.tasks()).toMatchObject({ audit: 'enabled', merge: 'disabled' })
    await wf.run('audit')
    expect(await wf.tasks()).toMatchObject({ audit: 'completed', merge: 'enabled' })
  })
})
