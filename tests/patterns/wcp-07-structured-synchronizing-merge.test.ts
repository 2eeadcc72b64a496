/**
 * WCP-7 Structured Synchronizing Merge: the branches a multi-choice (OR-split)
 * activated earlier in the same block converge, and the merge waits for
 * exactly those — not for the branches the choice left out. tasknet expresses
 * it with an OR-split and an OR-join (`withJoinType('or')`), whose decision
 * looks at the whole workflow (docs/semantics.md#the-or-join).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.structuredSynchronizingMerge
const none = {
  start: 0, end: 0, choose__to__b1: 0, choose__to__b2: 0, choose__to__b3: 0, b1__to__merge: 0, b2__to__merge: 0, b3__to__merge: 0,
}

async function chosen(choice: string) {
  const wf = driver(backend(), fns)
  await wf.initialize()
  await wf.start('choose')
  await wf.complete('choose', { choice })
  return wf
}

describe('WCP-7 structured synchronizing merge', () => {
  it('synchronises the two branches chosen and ignores the third', async () => {
    const wf = await chosen('b1,b3')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { choose: 'completed', b1: 'enabled', b2: 'disabled', b3: 'enabled', merge: 'disabled' },
      marking: { ...none, choose__to__b1: 1, choose__to__b3: 1 },
      workItems: ['choose#1:completed', 'b1#1:initialized', 'b3#1:initialized'],
    })
    await wf.run('b1')
    // b3 is still to come: the merge waits.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { choose: 'completed', b1: 'completed', b2: 'disabled', b3: 'enabled', merge: 'disabled' },
      marking: { ...none, choose__to__b3: 1, b1__to__merge: 1 },
      workItems: ['choose#1:completed', 'b1#1:completed', 'b3#1:initialized'],
    })
    await wf.run('b3')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { choose: 'completed', b1: 'completed', b2: 'disabled', b3: 'completed', merge: 'enabled' },
      marking: { ...none, b1__to__merge: 1, b3__to__merge: 1 },
      workItems: ['choose#1:completed', 'b1#1:completed', 'b3#1:completed', 'merge#1:initialized'],
    })
    // One firing consumes both tokens; the merge runs once.
    await wf.run('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { choose: 'completed', b1: 'completed', b2: 'disabled', b3: 'completed', merge: 'completed' },
      marking: { ...none, end: 1 },
      workItems: ['choose#1:completed', 'b1#1:completed', 'b3#1:completed', 'merge#1:completed'],
    })
  })

  it('with a single branch chosen, the merge follows it at once', async () => {
    const wf = await chosen('b2')
    await wf.run('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { choose: 'completed', b1: 'disabled', b2: 'completed', b3: 'disabled', merge: 'enabled' },
      marking: { ...none, b2__to__merge: 1 },
      workItems: ['choose#1:completed', 'b2#1:completed', 'merge#1:initialized'],
    })
  })

  it('with every branch chosen, it waits for all three', async () => {
    const wf = await chosen('b1,b2,b3')
    await wf.run('b3')
    await wf.run('b1')
    expect((await wf.tasks()).merge).toBe('disabled')
    await wf.run('b2')
    expect((await wf.tasks()).merge).toBe('enabled')
    expect(await wf.marking()).toEqual({ ...none, b1__to__merge: 1, b2__to__merge: 1, b3__to__merge: 1 })
  })
})
