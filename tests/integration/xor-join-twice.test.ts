import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const tasks = (left: string, right: string, merge: string, review: string) => ({ split: 'completed', left, right, merge, review })
const marking = (leftToMerge: number, rightToMerge: number, mergeToReview: number) => ({
  start: 0,
  end: 0,
  split__to__left: 0,
  split__to__right: 0,
  left__to__merge: leftToMerge,
  right__to__merge: rightToMerge,
  merge__to__review: mergeToReview,
})
const BRANCHES_DONE = ['left#1:completed', 'right#1:completed']

describe('XOR-join with tokens in two inputs (docs/semantics.md#scenarios, scenario 1)', () => {
  it('fires twice, once per token, consuming one token each time (generations 1 and 2)', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.xorJoinTwice)
    await wf.initialize()
    await wf.run('right')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed', 'enabled', 'disabled'),
      marking: { ...marking(0, 1, 0), split__to__left: 1 },
      workItems: ['left#1:initialized', 'right#1:completed', 'merge#1:initialized'],
    })

    // A second token arriving while merge is enabled does not enable it again: still generation 1.
    await wf.run('left')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'disabled'),
      marking: marking(1, 1, 0),
      workItems: [...BRANCHES_DONE, 'merge#1:initialized'],
    })

    // The XOR-join consumes exactly one token, from the first marked input in declaration order (left's).
    await wf.start('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started', 'disabled'),
      marking: marking(0, 1, 0),
      workItems: [...BRANCHES_DONE, 'merge#1:started'],
    })

    // Completing produces one token for review, and the token left in right__to__merge enables merge again.
    await wf.complete('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'enabled'),
      marking: marking(0, 1, 1),
      workItems: [...BRANCHES_DONE, 'merge#1:completed', 'merge#2:initialized', 'review#1:initialized'],
    })

    await wf.start('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started', 'enabled'),
      marking: marking(0, 0, 1),
      workItems: [...BRANCHES_DONE, 'merge#1:completed', 'merge#2:started', 'review#1:initialized'],
    })

    // No token is left in merge's inputs: it is not enabled a third time.
    await wf.complete('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'completed', 'enabled'),
      marking: marking(0, 0, 2),
      workItems: [...BRANCHES_DONE, 'merge#1:completed', 'merge#2:completed', 'review#1:initialized'],
    })
  })

  it('a token that arrives while merge is started enables merge again (generation 2) once it completes', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.xorJoinTwice)
    await wf.initialize()
    await wf.run('left')
    await wf.start('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'started', 'disabled'),
      marking: { ...marking(0, 0, 0), split__to__right: 1 },
      workItems: ['left#1:completed', 'right#1:initialized', 'merge#1:started'],
    })

    await wf.run('right')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started', 'disabled'),
      marking: marking(0, 1, 0),
      workItems: [...BRANCHES_DONE, 'merge#1:started'],
    })

    await wf.complete('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'enabled'),
      marking: marking(0, 1, 1),
      workItems: [...BRANCHES_DONE, 'merge#1:completed', 'merge#2:initialized', 'review#1:initialized'],
    })
  })
})
