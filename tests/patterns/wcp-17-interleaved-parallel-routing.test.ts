/**
 * WCP-17 Interleaved Parallel Routing: a set of tasks, partly ordered among
 * themselves, each runs once, in any order the partial order allows, and never
 * two at the same time. tasknet expresses it with a mutex: an explicit
 * condition holding one token that every task of the set AND-joins with its
 * own input and gives back when it completes. Starting one task takes the
 * token, which disables the others (a deferred choice, docs/semantics.md#firing): their
 * offered work items are canceled and offered again, as a new generation, once
 * the token is back. Net: `interleavedParallelRoutingWorkflow` (a1 → a2 and b1).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.interleavedParallelRouting
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  a1: 'enabled',
  a2: 'disabled',
  b1: 'enabled',
  close: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  mutex: 0,
  fork__to__a1: 0,
  fork__to__b1: 0,
  a1__to__a2: 0,
  a2__to__close: 0,
  b1__to__close: 0,
}
const OPENED = {
  workflow: 'started',
  tasks: tasks({}),
  marking: { ...none, fork__to__a1: 1, fork__to__b1: 1, mutex: 1 },
  workItems: ['a1#1:initialized', 'b1#1:initialized'],
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual(OPENED)
  return wf
}

describe('WCP-17 interleaved parallel routing', () => {
  it('runs a1, b1, a2 one at a time: whoever holds the mutex runs, the others wait and are offered again', async () => {
    const wf = await opened()

    // a1 takes the mutex: b1 loses its enabling and its offered work item is withdrawn.
    await wf.start('a1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'started', b1: 'disabled' }),
      marking: { ...none, fork__to__b1: 1 },
      workItems: ['a1#1:started', 'b1#1:canceled'],
    })

    // a1 gives the mutex back: a2 (next in its thread) and b1 are both offered.
    await wf.complete('a1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'enabled', b1: 'enabled' }),
      marking: { ...none, fork__to__b1: 1, a1__to__a2: 1, mutex: 1 },
      workItems: ['a1#1:completed', 'b1#1:canceled', 'a2#1:initialized', 'b1#2:initialized'],
    })

    await wf.start('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'disabled', b1: 'started' }),
      marking: { ...none, a1__to__a2: 1 },
      workItems: ['a1#1:completed', 'b1#1:canceled', 'a2#1:canceled', 'b1#2:started'],
    })

    await wf.complete('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'enabled', b1: 'completed' }),
      marking: { ...none, a1__to__a2: 1, b1__to__close: 1, mutex: 1 },
      workItems: ['a1#1:completed', 'b1#1:canceled', 'a2#1:canceled', 'b1#2:completed', 'a2#2:initialized'],
    })

    // The last of the set gives the mutex back; close takes it with both threads.
    await wf.run('a2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'completed', b1: 'completed', close: 'enabled' }),
      marking: { ...none, a2__to__close: 1, b1__to__close: 1, mutex: 1 },
      workItems: [
        'a1#1:completed',
        'b1#1:canceled',
        'a2#1:canceled',
        'b1#2:completed',
        'a2#2:completed',
        'close#1:initialized',
      ],
    })

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ a1: 'completed', a2: 'completed', b1: 'completed', close: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: [
        'a1#1:completed',
        'b1#1:canceled',
        'a2#1:canceled',
        'b1#2:completed',
        'a2#2:completed',
        'close#1:completed',
      ],
    })
  })

  it('keeps the partial order: with b1 first, a2 is offered only after a1', async () => {
    const wf = await opened()
    await wf.run('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'enabled', b1: 'completed' }),
      marking: { ...none, fork__to__a1: 1, b1__to__close: 1, mutex: 1 },
      workItems: ['a1#1:canceled', 'b1#1:completed', 'a1#2:initialized'],
    })
    await wf.run('a1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'enabled', b1: 'completed' }),
      marking: { ...none, a1__to__a2: 1, b1__to__close: 1, mutex: 1 },
      workItems: ['a1#1:canceled', 'b1#1:completed', 'a1#2:completed', 'a2#1:initialized'],
    })
  })

  it('refuses to start a second task of the set while one runs; nothing changes', async () => {
    const wf = await opened()
    await wf.start('a1')
    const before = await wf.snapshot()
    expect(await errorOf(wf.start('b1'))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(before)
  })
})
