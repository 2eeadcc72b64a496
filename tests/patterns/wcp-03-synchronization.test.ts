/**
 * WCP-3 Synchronization: several parallel branches converge, and the task
 * after them starts only once every one of them has completed. In tasknet
 * that is an AND-join (the default join): the task is enabled when each of its
 * input conditions holds a token and takes one from each when it fires.
 * Net: `parallelWorkflow`, convex/examples/parallel.ts, where `pack` AND-joins
 * `pick` and `invoice`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'

const fns = internal.examples.parallel
const tasks = (pick: string, invoice: string, pack: string) => ({ split: 'completed', pick, invoice, pack })
const marking = (over: Partial<Record<'split__to__pick' | 'split__to__invoice' | 'pick__to__pack' | 'invoice__to__pack' | 'end', number>> = {}) => ({
  start: 0,
  end: 0,
  split__to__pick: 0,
  split__to__invoice: 0,
  pick__to__pack: 0,
  invoice__to__pack: 0,
  ...over,
})
/** Both branches have arrived: pack is enabled with a token in each input. */
const SYNCHRONIZED = {
  workflow: 'started',
  tasks: tasks('completed', 'completed', 'enabled'),
  marking: marking({ pick__to__pack: 1, invoice__to__pack: 1 }),
  workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:initialized'],
}

describe('WCP-3 synchronization', () => {
  it.each([
    ['pick', 'invoice'],
    ['invoice', 'pick'],
  ] as const)('pack waits while only %s has arrived, and is enabled once %s arrives too', async (first, second) => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()

    await wf.run(first)
    const waiting = await wf.snapshot()
    expect(waiting).toEqual({
      workflow: 'started',
      tasks: { ...tasks('enabled', 'enabled', 'disabled'), [first]: 'completed' },
      marking: marking({ [`split__to__${second}`]: 1, [`${first}__to__pack`]: 1 }),
      workItems: first === 'pick' ? ['pick#1:completed', 'invoice#1:initialized'] : ['pick#1:initialized', 'invoice#1:completed'],
    })
    // One token is not enough: pack cannot even be offered a work item.
    const error = await errorOf(
      t.mutation(fns.internalInitializeWorkItem, { target: { workflowId: wf.workflowId, taskName: 'pack' }, args: { name: 'pack' } }),
    )
    expect(error.code).toBe('INVALID_STATE')
    expect(await wf.snapshot()).toEqual(waiting)

    await wf.run(second)
    expect(await wf.snapshot()).toEqual(SYNCHRONIZED)
  })

  it('pack fires once, taking one token from each input, and completes the workflow', async () => {
    const wf = driver(backend(), fns)
    await wf.initialize()
    await wf.run('pick')
    await wf.run('invoice')
    expect(await wf.snapshot()).toEqual(SYNCHRONIZED)

    await wf.start('pack')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started'),
      marking: marking(),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:started'],
    })

    await wf.complete('pack')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed'),
      marking: marking({ end: 1 }),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:completed'],
    })
  })
})
