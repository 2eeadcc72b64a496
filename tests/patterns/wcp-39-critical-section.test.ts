/**
 * WCP-39 Critical Section: several parts of a net are critical sections; once
 * one section has begun, it must finish before another section may begin. The
 * tasks outside the sections are not restricted. tasknet expresses it with a
 * mutex condition holding one token: the first task of each section AND-joins
 * it, the last task of the section gives it back, and the tasks in between do
 * not touch it — so the token stays inside the section until it is left.
 * Net: `criticalSectionWorkflow`, sections `a1 → a2` and `b1 → b2`, with the
 * non-critical `b0` before section B.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.criticalSection
const tasks = (over: Record<string, string>) => ({
  fork: 'completed',
  a1: 'enabled',
  a2: 'disabled',
  b0: 'enabled',
  b1: 'disabled',
  b2: 'disabled',
  close: 'disabled',
  ...over,
})
const none = {
  start: 0,
  end: 0,
  mutex: 0,
  fork__to__a1: 0,
  fork__to__b0: 0,
  a1__to__a2: 0,
  a2__to__close: 0,
  b0__to__b1: 0,
  b1__to__b2: 0,
  b2__to__close: 0,
}

async function opened() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks({}),
    marking: { ...none, fork__to__a1: 1, fork__to__b0: 1, mutex: 1 },
    workItems: ['a1#1:initialized', 'b0#1:initialized'],
  })
  return wf
}

describe('WCP-39 critical section', () => {
  it('section B waits until section A has been left, not just begun; the non-critical b0 runs meanwhile', async () => {
    const wf = await opened()

    // Entering section A takes the mutex.
    await wf.start('a1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'started' }),
      marking: { ...none, fork__to__b0: 1 },
      workItems: ['a1#1:started', 'b0#1:initialized'],
    })

    // b0 is outside every section: it runs, and section B's entry waits for the mutex.
    await wf.run('b0')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'started', b0: 'completed' }),
      marking: { ...none, b0__to__b1: 1 },
      workItems: ['a1#1:started', 'b0#1:completed'],
    })

    // Still inside section A (a2 to go): b1 stays disabled.
    await wf.complete('a1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'enabled', b0: 'completed' }),
      marking: { ...none, a1__to__a2: 1, b0__to__b1: 1 },
      workItems: ['a1#1:completed', 'b0#1:completed', 'a2#1:initialized'],
    })

    // Leaving section A gives the mutex back: section B may begin.
    await wf.run('a2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'completed', b0: 'completed', b1: 'enabled' }),
      marking: { ...none, a2__to__close: 1, b0__to__b1: 1, mutex: 1 },
      workItems: ['a1#1:completed', 'b0#1:completed', 'a2#1:completed', 'b1#1:initialized'],
    })

    await wf.run('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'completed', b0: 'completed', b1: 'completed', b2: 'enabled' }),
      marking: { ...none, a2__to__close: 1, b1__to__b2: 1 },
      workItems: ['a1#1:completed', 'b0#1:completed', 'a2#1:completed', 'b1#1:completed', 'b2#1:initialized'],
    })

    await wf.run('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'completed', a2: 'completed', b0: 'completed', b1: 'completed', b2: 'completed', close: 'enabled' }),
      marking: { ...none, a2__to__close: 1, b2__to__close: 1, mutex: 1 },
      workItems: [
        'a1#1:completed',
        'b0#1:completed',
        'a2#1:completed',
        'b1#1:completed',
        'b2#1:completed',
        'close#1:initialized',
      ],
    })

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks({ a1: 'completed', a2: 'completed', b0: 'completed', b1: 'completed', b2: 'completed', close: 'completed' }),
      marking: { ...none, end: 1 },
      workItems: [
        'a1#1:completed',
        'b0#1:completed',
        'a2#1:completed',
        'b1#1:completed',
        'b2#1:completed',
        'close#1:completed',
      ],
    })
  })

  it('entering section B first withdraws the offer of section A until B has been left', async () => {
    const wf = await opened()
    await wf.run('b0')

    await wf.start('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'disabled', b0: 'completed', b1: 'started' }),
      marking: { ...none, fork__to__a1: 1 },
      workItems: ['a1#1:canceled', 'b0#1:completed', 'b1#1:started'],
    })

    await wf.complete('b1')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'disabled', b0: 'completed', b1: 'completed', b2: 'enabled' }),
      marking: { ...none, fork__to__a1: 1, b1__to__b2: 1 },
      workItems: ['a1#1:canceled', 'b0#1:completed', 'b1#1:completed', 'b2#1:initialized'],
    })

    await wf.run('b2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks({ a1: 'enabled', b0: 'completed', b1: 'completed', b2: 'completed' }),
      marking: { ...none, fork__to__a1: 1, b2__to__close: 1, mutex: 1 },
      workItems: ['a1#1:canceled', 'b0#1:completed', 'b1#1:completed', 'b2#1:completed', 'a1#2:initialized'],
    })
  })
})
