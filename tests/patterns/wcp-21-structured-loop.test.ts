/**
 * WCP-21 Structured loop: a part of the process is repeated while (or until)
 * a condition holds, the loop having one entry and one exit, with the test
 * either before the body (while: zero or more passes) or after it (repeat: at
 * least one pass). In tasknet the deciding task has an XOR-split whose route
 * either sends the token back to the condition in front of the loop or lets it
 * out; every pass enables the loop's tasks again, each time as a new
 * generation. Nets: `loopWorkflow` (convex/examples/loop.ts: repeat `draft`
 * until `check` says 'done') and `whileLoopWorkflow` (src/workflows/patterns.ts,
 * convex/patterns/whileLoop.ts: while `check` says 'more', run `process`).
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

describe('WCP-21 structured loop, post-tested (repeat … until)', () => {
  const fns = internal.examples.loop
  const tasks = (draft: string, check: string) => ({ open: 'completed', draft, check })
  const READY = { start: 0, end: 0, ready: 1, draft__to__check: 0 }
  const DRAFTED = { start: 0, end: 0, ready: 0, draft__to__check: 1 }

  it('the body runs before the first test; check sends it round once more, then out', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('open')
    // The loop is entered: its body is enabled with no decision made yet.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'disabled'),
      marking: READY,
      workItems: ['open#1:completed', 'draft#1:initialized'],
    })

    await wf.run('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: DRAFTED,
      workItems: ['open#1:completed', 'draft#1:completed', 'check#1:initialized'],
    })

    await wf.run('check', { choice: 'again' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: READY,
      workItems: ['open#1:completed', 'draft#1:completed', 'check#1:completed', 'draft#2:initialized'],
    })

    await wf.run('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: DRAFTED,
      workItems: ['open#1:completed', 'draft#1:completed', 'check#1:completed', 'draft#2:completed', 'check#2:initialized'],
    })

    await wf.run('check', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed'),
      marking: { start: 0, end: 1, ready: 0, draft__to__check: 0 },
      workItems: ['open#1:completed', 'draft#1:completed', 'check#1:completed', 'draft#2:completed', 'check#2:completed'],
    })
  })
})

describe('WCP-21 structured loop, pre-tested (while)', () => {
  const fns = internal.patterns.whileLoop
  const tasks = (check: string, process: string) => ({ receive: 'completed', check, process })
  const READY = { start: 0, end: 0, ready: 1, check__to__process: 0 }
  const IN_BODY = { start: 0, end: 0, ready: 0, check__to__process: 1 }
  const DONE = { start: 0, end: 1, ready: 0, check__to__process: 0 }

  async function atTest() {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('receive')
    // The test comes first: check is enabled, the body is not.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'disabled'),
      marking: READY,
      workItems: ['receive#1:completed', 'check#1:initialized'],
    })
    return wf
  }

  it("runs the body zero times when the first test says 'done'", async () => {
    const wf = await atTest()

    await wf.run('check', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'disabled'),
      marking: DONE,
      workItems: ['receive#1:completed', 'check#1:completed'],
    })
  })

  it("runs the body once per 'more' and tests again after each pass: two passes, three tests", async () => {
    const wf = await atTest()

    await wf.run('check', { choice: 'more' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: IN_BODY,
      workItems: ['receive#1:completed', 'check#1:completed', 'process#1:initialized'],
    })

    await wf.run('process')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: READY,
      workItems: ['receive#1:completed', 'check#1:completed', 'process#1:completed', 'check#2:initialized'],
    })

    await wf.run('check', { choice: 'more' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled'),
      marking: IN_BODY,
      workItems: ['receive#1:completed', 'check#1:completed', 'process#1:completed', 'check#2:completed', 'process#2:initialized'],
    })

    await wf.run('process')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: READY,
      workItems: ['receive#1:completed', 'check#1:completed', 'process#1:completed', 'check#2:completed', 'process#2:completed', 'check#3:initialized'],
    })

    await wf.run('check', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed'),
      marking: DONE,
      workItems: ['receive#1:completed', 'check#1:completed', 'process#1:completed', 'check#2:completed', 'process#2:completed', 'check#3:completed'],
    })
  })
})
