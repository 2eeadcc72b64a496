import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { orSplitJoin } from '../../src/workflows/synthetic'
import { backend, driver } from '../support/harness'
import { stepper } from '../support/stepCost'

/**
 * The OR-join (synchronising merge) through the generated functions:
 * docs/semantics.md#the-or-join and scenarios 2, 3 and 10 of docs/semantics.md#scenarios. The nets are in
 * src/workflows/orJoin.ts.
 */

describe('scenario 2: an OR-join whose pending branch is routed away upstream', () => {
  const fns = internal.examples.orJoinRoutedAway
  const none = {
    start: 0, end: 0, fork__to__prepare: 0, fork__to__decide: 0, prepare__to__merge: 0, decide__to__extra: 0,
    decide__to__skip: 0, extra__to__merge: 0, skip__to__close: 0, merge__to__close: 0,
  }

  async function preparedAndWaiting() {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('prepare')
    // `decide` may still choose `extra`, whose branch reaches merge's other input: merge waits.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', prepare: 'completed', decide: 'enabled', extra: 'disabled', skip: 'disabled', merge: 'disabled', close: 'disabled' },
      marking: { ...none, fork__to__decide: 1, prepare__to__merge: 1 },
      workItems: ['prepare#1:completed', 'decide#1:initialized'],
    })
    return wf
  }

  it('is enabled the moment the branch is routed away, though that exit marks none of its inputs', async () => {
    const wf = await preparedAndWaiting()
    await wf.start('decide')
    await wf.complete('decide', { choice: 'skip' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', prepare: 'completed', decide: 'completed', extra: 'disabled', skip: 'enabled', merge: 'enabled', close: 'disabled' },
      marking: { ...none, prepare__to__merge: 1, decide__to__skip: 1 },
      workItems: ['prepare#1:completed', 'decide#1:completed', 'skip#1:initialized', 'merge#1:initialized'],
    })

    // `close` (an OR-join too) has merge's token but skip is still to come: it waits for it.
    await wf.run('merge')
    expect(await wf.tasks()).toMatchObject({ merge: 'completed', skip: 'enabled', close: 'disabled' })
    await wf.run('skip')
    expect(await wf.tasks()).toMatchObject({ skip: 'completed', close: 'enabled' })
    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: { fork: 'completed', prepare: 'completed', decide: 'completed', extra: 'disabled', skip: 'completed', merge: 'completed', close: 'completed' },
      marking: { ...none, end: 1 },
      workItems: ['prepare#1:completed', 'decide#1:completed', 'skip#1:initialized', 'merge#1:initialized'].map((w) => w.replace('initialized', 'completed')).concat('close#1:completed'),
    })
  })

  it('is enabled by the arriving token when the branch was routed away before', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.start('decide')
    await wf.complete('decide', { choice: 'skip' })
    expect(await wf.tasks()).toMatchObject({ merge: 'disabled', skip: 'enabled' })
    await wf.run('prepare')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', prepare: 'completed', decide: 'completed', extra: 'disabled', skip: 'enabled', merge: 'enabled', close: 'disabled' },
      marking: { ...none, prepare__to__merge: 1, decide__to__skip: 1 },
      workItems: ['prepare#1:completed', 'decide#1:completed', 'skip#1:initialized', 'merge#1:initialized'],
    })
  })

  it('waits for a branch that is taken, through its start, and then consumes both tokens in one firing', async () => {
    const wf = await preparedAndWaiting()
    await wf.start('decide')
    await wf.complete('decide', { choice: 'extra' })
    expect(await wf.tasks()).toMatchObject({ extra: 'enabled', merge: 'disabled' })
    await wf.start('extra')
    // `extra` is started: it will produce into merge's input, so merge still waits.
    expect(await wf.tasks()).toMatchObject({ extra: 'started', merge: 'disabled' })
    await wf.complete('extra')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', prepare: 'completed', decide: 'completed', extra: 'completed', skip: 'disabled', merge: 'enabled', close: 'disabled' },
      marking: { ...none, prepare__to__merge: 1, extra__to__merge: 1 },
      workItems: ['prepare#1:completed', 'decide#1:completed', 'extra#1:completed', 'merge#1:initialized'],
    })
    await wf.start('merge')
    expect(await wf.marking()).toEqual(none)
    // `skip` was not chosen, so `close` does not wait for it: merge's completion enables it.
    await wf.complete('merge')
    expect(await wf.tasks()).toMatchObject({ merge: 'completed', close: 'enabled' })
    await wf.run('close')
    expect(await wf.workflowState()).toBe('completed')
    expect((await wf.workItems('merge')).map((w) => w.generation)).toEqual([1])
  })
})

describe('an OR-join released by a task starting elsewhere (deferred choice)', () => {
  const fns = internal.examples.orJoinDeferred
  const none = {
    start: 0, end: 0, fork__to__prepare: 0, offer: 0, prepare__to__merge: 0, accept__to__merge: 0, decline__to__close: 0,
    merge__to__close: 0,
  }

  it('is enabled when the competing task starts and the branch into it loses its enabling', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('prepare')
    expect(await wf.tasks()).toMatchObject({ accept: 'enabled', decline: 'enabled', merge: 'disabled' })
    await wf.start('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', prepare: 'completed', accept: 'disabled', decline: 'started', merge: 'enabled', close: 'disabled' },
      marking: { ...none, prepare__to__merge: 1 },
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:started', 'merge#1:initialized'],
    })
    // `close` waits for both paths that were taken: merge's and decline's.
    await wf.run('merge')
    expect(await wf.tasks()).toMatchObject({ close: 'disabled' })
    await wf.complete('decline')
    await wf.run('close')
    expect(await wf.snapshot()).toMatchObject({ workflow: 'completed', marking: { ...none, end: 1 } })
  })

  it('keeps waiting when the task that leads into it starts instead', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('prepare')
    await wf.start('accept')
    expect(await wf.tasks()).toMatchObject({ accept: 'started', decline: 'disabled', merge: 'disabled' })
    await wf.complete('accept')
    expect(await wf.tasks()).toMatchObject({ merge: 'enabled' })
    await wf.start('merge')
    expect(await wf.marking()).toEqual(none)
  })
})

describe('scenario 3: an OR-join re-evaluated after a cancellation region empties what it waited on', () => {
  const fns = internal.examples.orJoinRegion
  const none = {
    start: 0, end: 0, fork__to__check: 0, fork__to__abort: 0, pending: 0, check__to__merge: 0, slow__to__merge: 0,
    abort__to__close: 0, merge__to__close: 0,
  }

  async function checkedAndWaiting() {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('check')
    // `pending` enables `slow`, whose output is merge's other input: merge waits.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', check: 'completed', slow: 'enabled', abort: 'enabled', merge: 'disabled', close: 'disabled' },
      marking: { ...none, fork__to__abort: 1, pending: 1, check__to__merge: 1 },
      workItems: ['check#1:completed', 'slow#1:initialized', 'abort#1:initialized'],
    })
    return wf
  }

  it('is enabled when the region empties the enabled branch, though the region owner produces elsewhere', async () => {
    const wf = await checkedAndWaiting()
    await wf.run('abort')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', check: 'completed', slow: 'canceled', abort: 'completed', merge: 'enabled', close: 'disabled' },
      marking: { ...none, check__to__merge: 1, abort__to__close: 1 },
      workItems: ['check#1:completed', 'slow#1:canceled', 'abort#1:completed', 'merge#1:initialized'],
    })
    await wf.run('merge')
    await wf.run('close')
    expect(await wf.snapshot()).toMatchObject({ workflow: 'completed', marking: { ...none, end: 1 } })
  })

  it('is enabled when the region cancels the started task it waited for', async () => {
    const wf = await checkedAndWaiting()
    await wf.start('slow')
    expect(await wf.tasks()).toMatchObject({ slow: 'started', merge: 'disabled' })
    await wf.run('abort')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', check: 'completed', slow: 'canceled', abort: 'completed', merge: 'enabled', close: 'disabled' },
      marking: { ...none, check__to__merge: 1, abort__to__close: 1 },
      workItems: ['check#1:completed', 'slow#1:canceled', 'abort#1:completed', 'merge#1:initialized'],
    })
  })

  it('without the region, waits for the slow branch and synchronises both', async () => {
    const wf = await checkedAndWaiting()
    await wf.run('slow')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', check: 'completed', slow: 'completed', abort: 'enabled', merge: 'enabled', close: 'disabled' },
      marking: { ...none, fork__to__abort: 1, check__to__merge: 1, slow__to__merge: 1 },
      workItems: ['check#1:completed', 'slow#1:completed', 'abort#1:initialized', 'merge#1:initialized'],
    })
    await wf.start('merge')
    expect(await wf.marking()).toEqual({ ...none, fork__to__abort: 1 })
  })
})

describe('an enabled OR-join that a cancellation region makes wait again', () => {
  const fns = internal.examples.orJoinReopen
  const none = { start: 0, end: 0, ca: 0, cb: 0, fork__to__reopen: 0, reopen__to__redo: 0 }

  it('is disabled when the region empties an input that can still be marked, and enabled again when it is', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    // Both inputs marked, none empty: enabled at once.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', reopen: 'enabled', redo: 'disabled', join: 'enabled' },
      marking: { ...none, ca: 1, cb: 1, fork__to__reopen: 1 },
      workItems: ['reopen#1:initialized', 'join#1:initialized'],
    })
    await wf.run('reopen')
    // `ca` emptied by the region, and `redo` will mark it again: join must wait for it.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', reopen: 'completed', redo: 'enabled', join: 'disabled' },
      marking: { ...none, cb: 1, reopen__to__redo: 1 },
      workItems: ['reopen#1:completed', 'join#1:canceled', 'redo#1:initialized'],
    })
    await wf.run('redo')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { fork: 'completed', reopen: 'completed', redo: 'completed', join: 'enabled' },
      marking: { ...none, ca: 1, cb: 1 },
      workItems: ['reopen#1:completed', 'join#1:canceled', 'redo#1:completed', 'join#2:initialized'],
    })
    await wf.start('join')
    expect(await wf.marking()).toEqual(none)
  })
})

describe('scenario 10: an OR-split of 20 outputs synchronised by an OR-join', () => {
  const fns = internal.examples.orJoinWide
  const branches = Array.from({ length: 20 }, (_, i) => `b${i + 1}`)

  async function chosen(choice: string) {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.start('choose')
    await wf.complete('choose', { choice })
    return wf
  }

  it('one branch taken: the OR-join fires on it alone, the 19 routed away never awaited', async () => {
    const wf = await chosen('b1')
    expect(Object.entries(await wf.tasks()).filter(([, s]) => s === 'enabled').map(([t]) => t)).toEqual(['b1'])
    await wf.run('b1')
    const tasks = await wf.tasks()
    expect(tasks.merge).toBe('enabled')
    await wf.run('merge')
    expect(await wf.workflowState()).toBe('completed')
  })

  it('two branches taken: the first to arrive waits for the other', async () => {
    const wf = await chosen('b1,b20')
    await wf.run('b20')
    expect((await wf.tasks()).merge).toBe('disabled')
    await wf.run('b1')
    expect((await wf.tasks()).merge).toBe('enabled')
    await wf.start('merge')
    expect(Object.values(await wf.marking()).reduce((a, b) => a + b, 0)).toBe(0)
  })

  it('all twenty taken: enabled only by the last arrival', async () => {
    const wf = await chosen(branches.join(','))
    for (const b of branches.slice(0, -1)) {
      await wf.run(b)
      expect((await wf.tasks()).merge).toBe('disabled')
    }
    await wf.run('b20')
    expect((await wf.tasks()).merge).toBe('enabled')
    await wf.start('merge')
    await wf.complete('merge')
    expect(await wf.workflowState()).toBe('completed')
  })

  /** Drives `orSplitJoin(20, 200)` (18 prefix tasks, branches of 9 tasks) to the completion that decides the OR-join. */
  async function lastArrival(choice: string[]) {
    const definition = orSplitJoin(20, 200)
    // A timing test of ~400 steps on a 200-task net: the journal's checks (a dump of every table around every call) would take a minute.
    const wf = stepper(backend({ journal: false }), definition)
    await wf.initialize()
    for (let k = 1; k <= 18; k++) await wf.run(`p${k}`)
    await wf.start('choose')
    await wf.complete('choose', { choice: choice.join(',') })
    const chain = (b: string) => [b, ...Array.from({ length: 8 }, (_, i) => `${b}_${i + 2}`)]
    for (const b of choice) await wf.run(...chain(b).slice(0, b === choice.at(-1) ? -1 : undefined))
    const last = chain(choice.at(-1)!).at(-1)!
    await wf.start(last)
    return { definition, wf, last }
  }

  it.each([
    ['one branch taken, 19 routed away', ['b1']],
    ['all twenty taken', branches],
  ])('decides in milliseconds on a net of 200 tasks (%s): the completing step stays under 50 ms', async (_label, choice) => {
    const { definition, wf, last } = await lastArrival(choice)
    expect(Object.keys(definition.net.tasks)).toHaveLength(200)
    const cost = await wf.complete(last)
    expect(cost.ms).toBeLessThan(50)
    const item = await wf.workItemOf('merge')
    expect(item.state).toBe('initialized')
  })
})
