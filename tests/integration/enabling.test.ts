import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { verifyWorkflow } from '../../src'
import { regionWithdrawWorkflow } from '../../src/workflows/enabling'
import { dumpTables } from '../support/dump'
import { backend, driver, errorOf } from '../support/harness'

/**
 * The enabling invariant (docs/semantics.md#enabling) through the generated functions: after every
 * step, a task that is not started is enabled exactly when its join holds on the marking. Each net
 * here was once left stuck, or had a legal step refused.
 */

describe('a region that cancels an enabled task withdraws the tokens that enabled it', () => {
  it('c is canceled, a__to__c is empty, the OR-join j is enabled and the workflow completes when j does', async () => {
    const wf = driver(backend(), internal.examples.regionWithdraw)
    await wf.initialize()
    await wf.run('a')
    await wf.run('b')
    await wf.run('k')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: { a: 'completed', b: 'completed', c: 'canceled', k: 'completed', j: 'enabled' },
      marking: { start: 0, end: 0, a__to__b: 0, a__to__c: 0, a__to__k: 0, b__to__j: 1, c__to__j: 0, k__to__j: 1 },
      workItems: ['a#1:completed', 'b#1:completed', 'c#1:canceled', 'k#1:completed', 'j#1:initialized'],
    })
    await wf.run('j')
    expect(await wf.workflowState()).toBe('completed')
    expect(await wf.marking()).toMatchObject({ end: 1, b__to__j: 0, k__to__j: 0 })
  })

  it('verifyWorkflow finds nothing on that net', () => {
    expect(verifyWorkflow(regionWithdrawWorkflow)).toMatchObject({ ok: true, findings: [] })
  })
})

describe('a loop through dummy tasks', () => {
  it("completing t4's work item completes the workflow: the dummies fire before anything else is enabled", async () => {
    const wf = driver(backend(), internal.examples.dummyLoop)
    await wf.initialize()
    await wf.run('t4')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      // t2 fires first (declared first) and marks t2__to__t4; t3 fires next and marks the end, so the
      // workflow completes before t4 is offered again: dummies settle before any other task.
      tasks: { t4: 'completed', t2: 'completed', t3: 'completed' },
      marking: { start: 0, end: 1, t4__to__t2: 0, t4__to__t3: 0, t2__to__t4: 1 },
      workItems: ['t4#1:completed'],
    })
  })
})

describe('a region that cancels a started XOR-join whose other input still holds a token', () => {
  it('enables it again in a new generation, so the AND-join after it is still reached', async () => {
    const wf = driver(backend(), internal.examples.regionXorJoin)
    await wf.initialize()
    await wf.run('p')
    await wf.run('q')
    await wf.start('merge')
    expect(await wf.marking()).toMatchObject({ left: 0, right: 1 })
    await wf.run('halt')
    expect(await wf.snapshot()).toMatchObject({
      workflow: 'started',
      tasks: { merge: 'enabled', sync: 'disabled' },
      marking: { left: 0, right: 1, halt__to__sync: 1, merge__to__sync: 0 },
      workItems: ['p#1:completed', 'q#1:completed', 'halt#1:completed', 'merge#1:canceled', 'merge#2:initialized'],
    })
    await wf.run('merge')
    await wf.run('sync')
    expect(await wf.workflowState()).toBe('completed')
  })
})

describe('a region that empties an input of an OR-join never enabled', () => {
  it('leaves the OR-join waiting for the live branch, then enables it on the tokens it has', async () => {
    const wf = driver(backend(), internal.examples.regionOrJoinInput)
    await wf.initialize()
    await wf.run('k')
    expect(await wf.snapshot()).toMatchObject({
      workflow: 'started',
      tasks: { a: 'enabled', k: 'completed', j: 'disabled' },
      marking: { x: 0, k__to__j: 1, a__to__j: 0 },
    })
    await wf.run('a')
    expect(await wf.tasks()).toMatchObject({ j: 'enabled' })
    await wf.run('j')
    expect(await wf.workflowState()).toBe('completed')
  })
})

describe('an OR-join whose empty input waits on a loop that needs its own output', () => {
  it('is decided at once (in milliseconds) and enabled after t5 completes', async () => {
    const wf = driver(backend(), internal.examples.orJoinBounded)
    await wf.initialize()
    const started = performance.now()
    await wf.run('t5')
    expect(performance.now() - started).toBeLessThan(1000)
    expect(await wf.tasks()).toMatchObject({ t5: 'completed', t3: 'enabled', t8: 'disabled' })
    await wf.run('t3')
    expect(await wf.tasks()).toMatchObject({ t3: 'completed', t8: 'enabled' })
  })
})

describe('a cycle of dummy tasks that never leaves the cycle', () => {
  it('is stopped with LIMIT_EXCEEDED naming the loop, and nothing is written', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.dummyCycle)
    await wf.initialize()
    await wf.start('a')
    const before = await dumpTables(t)
    const error = await errorOf(wf.complete('a'))
    expect(error.code).toBe('LIMIT_EXCEEDED')
    expect(error.message).toContain('fired dummy tasks 1000 times in one step')
    expect(await dumpTables(t)).toEqual(before)
  })
})

describe('a dummy task that routes away releases a dummy OR-join that reaches the end', () => {
  it('completes the workflow once the dummy has exited: no transition of the dummy is refused', async () => {
    const wf = driver(backend(), internal.examples.dummyReleasesOrJoin)
    await wf.initialize()
    await wf.run('a')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      // `t`'s document exists (it counts its marked input) but it was never enabled.
      tasks: { a: 'completed', d: 'completed', j: 'completed', t: 'disabled' },
      // `z` keeps the token `d` routed there: the end was marked first, and nothing runs in a completed workflow.
      marking: { start: 0, end: 1, z: 1, a__to__j: 0, a__to__d: 0, d__to__j: 0 },
      workItems: ['a#1:completed'],
    })
  })
})
