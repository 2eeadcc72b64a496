/**
 * WCP-8 Multi-merge: several branches converge without synchronization, and
 * every thread that arrives passes the control on separately, so the task
 * after the merge runs once per arriving thread. In tasknet that is an
 * XOR-join fed by concurrent branches: each firing consumes one token, and a
 * token left in an input enables the task again, as a new generation, once
 * the current one ends. Net: `xorJoinTwiceWorkflow`,
 * convex/examples/xorJoinTwice.ts: `left` and `right` run in parallel into the
 * XOR-join `merge`, then `review`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.examples.xorJoinTwice
const tasks = (left: string, right: string, merge: string, review: string) => ({ split: 'completed', left, right, merge, review })
const marking = (over: Record<string, number> = {}) => ({
  start: 0,
  end: 0,
  split__to__left: 0,
  split__to__right: 0,
  left__to__merge: 0,
  right__to__merge: 0,
  merge__to__review: 0,
  ...over,
})

describe('WCP-8 multi-merge', () => {
  it('threads arriving one after the other each pass merge on its own: merge runs twice, review receives two tokens', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()

    await wf.run('left')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'enabled', 'disabled'),
      marking: marking({ split__to__right: 1, left__to__merge: 1 }),
      workItems: ['left#1:completed', 'right#1:initialized', 'merge#1:initialized'],
    })

    // merge does not wait for right: the first thread passes through.
    await wf.run('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'completed', 'enabled'),
      marking: marking({ split__to__right: 1, merge__to__review: 1 }),
      workItems: ['left#1:completed', 'right#1:initialized', 'merge#1:completed', 'review#1:initialized'],
    })

    // The second thread enables merge again: generation 2.
    await wf.run('right')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'enabled'),
      marking: marking({ right__to__merge: 1, merge__to__review: 1 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:completed', 'review#1:initialized', 'merge#2:initialized'],
    })

    await wf.run('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'completed', 'enabled'),
      marking: marking({ merge__to__review: 2 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:completed', 'review#1:initialized', 'merge#2:completed'],
    })
  })

  it('threads waiting at the same time are not merged into one: merge fires once per token, in two generations', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('left')
    await wf.run('right')
    // Still generation 1: a token arriving while merge is enabled does not enable it a second time.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'disabled'),
      marking: marking({ left__to__merge: 1, right__to__merge: 1 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:initialized'],
    })

    // Firing takes one token only, from the first marked input in declaration order.
    await wf.start('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started', 'disabled'),
      marking: marking({ right__to__merge: 1 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:started'],
    })

    await wf.complete('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled', 'enabled'),
      marking: marking({ right__to__merge: 1, merge__to__review: 1 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:completed', 'merge#2:initialized', 'review#1:initialized'],
    })

    await wf.run('merge')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'completed', 'enabled'),
      marking: marking({ merge__to__review: 2 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:completed', 'merge#2:completed', 'review#1:initialized'],
    })

    // review leads to the end condition, so its first completion ends the workflow (WCP-43 explicit
    // termination): the second thread's token is left in front of it and review is not enabled again.
    await wf.run('review')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed', 'completed'),
      marking: marking({ merge__to__review: 1, end: 1 }),
      workItems: ['left#1:completed', 'right#1:completed', 'merge#1:completed', 'merge#2:completed', 'review#1:completed'],
    })
  })
})
