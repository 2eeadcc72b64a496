/**
 * WCP-40 Interleaved Routing: every task of a set runs exactly once, in any
 * order, but never two at the same time; the task after the set starts once
 * all have run. tasknet expresses it with a mutex condition holding one token:
 * `a`, `b` and `c` each AND-join their input with it and give it back when
 * they complete, and `close` AND-joins the three outputs and takes the token
 * back. Whoever starts first takes the mutex; the others lose their enabling
 * (their offered work items are canceled) and are offered again, as a new
 * generation, when it returns. Net: `interleavedRoutingWorkflow`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.patterns.interleavedRouting
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  a: 'enabled',
  b: 'enabled',
  c: 'enabled',
  close: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  mutex: 0,
  fork__to__a: 0,
  fork__to__b: 0,
  fork__to__c: 0,
  a__to__close: 0,
  b__to__close: 0,
  c__to__close: 0,
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, fork__to__a: 1, fork__to__b: 1, fork__to__c: 1, mutex: 1 },
    workItems: ['a#1:initialized', 'b#1:initialized', 'c#1:initialized'],
  })
  return wf
}

describe('WCP-40 interleaved routing', () => {
  it('runs b, c, a one at a time, then close', async () => {
    const wf = await opened()

    await wf.start('b')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a: 'disabled', b: 'started', c: 'disabled' }),
      marking: { ...none, fork__to__a: 1, fork__to__c: 1 },
      workItems: ['a#1:canceled', 'b#1:started', 'c#1:canceled'],
    })

    await wf.complete('b')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ b: 'completed' }),
      marking: { ...none, fork__to__a: 1, fork__to__c: 1, b__to__close: 1, mutex: 1 },
      workItems: ['a#1:canceled', 'b#1:completed', 'c#1:canceled', 'a#2:initialized', 'c#2:initialized'],
    })

    await wf.start('c')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a: 'disabled', b: 'completed', c: 'started' }),
      marking: { ...none, fork__to__a: 1, b__to__close: 1 },
      workItems: ['a#1:canceled', 'b#1:completed', 'c#1:canceled', 'a#2:canceled', 'c#2:started'],
    })

    await wf.complete('c')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a: 'enabled', b: 'completed', c: 'completed' }),
      marking: { ...none, fork__to__a: 1, b__to__close: 1, c__to__close: 1, mutex: 1 },
      workItems: ['a#1:canceled', 'b#1:completed', 'c#1:canceled', 'a#2:canceled', 'c#2:completed', 'a#3:initialized'],
    })

    // The last one done: close follows, taking the mutex with the three threads.
    await wf.run('a')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a: 'completed', b: 'completed', c: 'completed', close: 'enabled' }),
      marking: { ...none, a__to__close: 1, b__to__close: 1, c__to__close: 1, mutex: 1 },
      workItems: [
        'a#1:canceled',
        'b#1:completed',
        'c#1:canceled',
        'a#2:canceled',
        'c#2:completed',
        'a#3:completed',
        'close#1:initialized',
      ],
    })

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ a: 'completed', b: 'completed', c: 'completed', close: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: [
        'a#1:canceled',
        'b#1:completed',
        'c#1:canceled',
        'a#2:canceled',
        'c#2:completed',
        'a#3:completed',
        'close#1:completed',
      ],
    })
  })

  it('refuses to start a second task while one runs; nothing changes', async () => {
    const wf = await opened()
    await wf.start('a')
    const before = await wf.snapshot()
    expect(await errorOf(wf.start('c'))).toMatchObject({ code: 'INVALID_TRANSITION' })
    expect(await wf.snapshot()).toEqual(before)
  })

  it('each task runs once: a task that has run is not offered again when the mutex returns', async () => {
    const wf = await opened()
    await wf.run('a')
    await wf.run('b')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a: 'completed', b: 'completed', c: 'enabled' }),
      marking: { ...none, fork__to__c: 1, a__to__close: 1, b__to__close: 1, mutex: 1 },
      workItems: ['a#1:completed', 'b#1:canceled', 'c#1:canceled', 'b#2:completed', 'c#2:canceled', 'c#3:initialized'],
    })
  })
})
