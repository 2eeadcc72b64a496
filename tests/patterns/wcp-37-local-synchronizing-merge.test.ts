/**
 * WCP-37 Local Synchronizing Merge: a convergence point in a net that is not a
 * neat block synchronises the threads that were activated towards it, and
 * decides from the state of the workflow which threads can still come. In
 * tasknet that is the OR-join: here two independent XOR-decisions each send a
 * thread into `merge` or past it to `close` (an OR-join too).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.patterns.localSynchronizingMerge
const none = {
  start: 0, end: 0, fork__to__d1: 0, fork__to__d2: 0, d1__to__m1: 0, d1__to__close: 0, d2__to__m2: 0, d2__to__close: 0,
  m1__to__merge: 0, m2__to__merge: 0, merge__to__close: 0,
}

async function decided(d1: 'in' | 'out', d2: 'in' | 'out') {
  const wf = driver(backend(), fns)
  await wf.initialize()
  await wf.start('d1')
  await wf.complete('d1', { choice: d1 })
  await wf.start('d2')
  await wf.complete('d2', { choice: d2 })
  return wf
}

describe('WCP-37 local synchronizing merge', () => {
  it('both threads sent in: merge waits for the second, then close follows merge alone', async () => {
    const wf = await decided('in', 'in')
    await wf.run('m2')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', d1: 'completed', d2: 'completed', m1: 'enabled', m2: 'completed', merge: 'disabled', close: 'disabled' },
      marking: { ...none, d1__to__m1: 1, m2__to__merge: 1 },
      workItems: ['d1#1:completed', 'd2#1:completed', 'm1#1:initialized', 'm2#1:completed'],
    })
    await wf.run('m1')
    expect((await wf.tasks()).merge).toBe('enabled')
    await wf.run('merge')
    // No thread went out, so `close` has nothing else to wait for.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', d1: 'completed', d2: 'completed', m1: 'completed', m2: 'completed', merge: 'completed', close: 'enabled' },
      marking: { ...none, merge__to__close: 1 },
      workItems: ['d1#1:completed', 'd2#1:completed', 'm1#1:completed', 'm2#1:completed', 'merge#1:completed', 'close#1:initialized'],
    })
  })

  it('one thread in, one out: merge fires on the one sent to it; close synchronises merge and the other', async () => {
    const wf = await decided('out', 'in')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', d1: 'completed', d2: 'completed', m1: 'disabled', m2: 'enabled', merge: 'disabled', close: 'disabled' },
      marking: { ...none, d1__to__close: 1, d2__to__m2: 1 },
      workItems: ['d1#1:completed', 'd2#1:completed', 'm2#1:initialized'],
    })
    await wf.run('m2')
    expect(await wf.tasks()).toMatchObject({ merge: 'enabled', close: 'disabled' })
    await wf.run('merge')
    expect(await wf.marking()).toEqual({ ...none, d1__to__close: 1, merge__to__close: 1 })
    expect((await wf.tasks()).close).toBe('enabled')
    await wf.start('close')
    // The OR-join consumes from every marked input: both tokens in one firing.
    expect(await wf.marking()).toEqual(none)
    await wf.complete('close')
    expect(await wf.workflowState()).toBe('completed')
  })

  it('both threads out: merge never receives a token and close fires on the two that arrived', async () => {
    const wf = await decided('out', 'out')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', d1: 'completed', d2: 'completed', m1: 'disabled', m2: 'disabled', merge: 'disabled', close: 'enabled' },
      marking: { ...none, d1__to__close: 1, d2__to__close: 1 },
      workItems: ['d1#1:completed', 'd2#1:completed', 'close#1:initialized'],
    })
  })

  it('while the other decision is open, close waits even though one thread is already out', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.start('d1')
    await wf.complete('d1', { choice: 'out' })
    expect(await wf.tasks()).toMatchObject({ d2: 'enabled', close: 'disabled' })
    expect(await wf.marking()).toEqual({ ...none, fork__to__d2: 1, d1__to__close: 1 })
  })
})
