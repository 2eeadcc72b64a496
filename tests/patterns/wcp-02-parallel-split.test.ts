/**
 * WCP-2 Parallel split: one thread of control diverges into several branches
 * that all run, concurrently and independently of one another. In tasknet a
 * task's AND-split (the default) puts one token into every output condition
 * when it completes. Net: `parallelWorkflow`, convex/examples/parallel.ts,
 * whose dummy task `split` AND-splits to `pick` and `invoice`.
 */
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const fns = internal.examples.parallel
const tasks = (pick: string, invoice: string, pack = 'disabled') => ({ split: 'completed', pick, invoice, pack })
const marking = (over: Partial<Record<'split__to__pick' | 'split__to__invoice' | 'pick__to__pack' | 'invoice__to__pack', number>> = {}) => ({
  start: 0,
  end: 0,
  split__to__pick: 0,
  split__to__invoice: 0,
  pick__to__pack: 0,
  invoice__to__pack: 0,
  ...over,
})

async function split() {
  const wf = driver(backend(), fns)
  await wf.initialize()
  // The dummy split fires as soon as the start condition enables it: one token in front of each branch.
  expect(await wf.snapshot()).toEqual({
    workflow: 'started',
    tasks: tasks('enabled', 'enabled'),
    marking: marking({ split__to__pick: 1, split__to__invoice: 1 }),
    workItems: ['pick#1:initialized', 'invoice#1:initialized'],
  })
  return wf
}

describe('WCP-2 parallel split', () => {
  it('enables every branch at once; both run at the same time and each completes on its own', async () => {
    const wf = await split()

    await wf.start('pick')
    // Starting one branch takes only its own token: the other stays enabled.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('started', 'enabled'),
      marking: marking({ split__to__invoice: 1 }),
      workItems: ['pick#1:started', 'invoice#1:initialized'],
    })

    await wf.start('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('started', 'started'),
      marking: marking(),
      workItems: ['pick#1:started', 'invoice#1:started'],
    })

    await wf.complete('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('started', 'completed'),
      marking: marking({ invoice__to__pack: 1 }),
      workItems: ['pick#1:started', 'invoice#1:completed'],
    })

    await wf.complete('pick')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: marking({ pick__to__pack: 1, invoice__to__pack: 1 }),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:initialized'],
    })
  })

  it('one branch may finish before the other has even started', async () => {
    const wf = await split()

    await wf.run('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed'),
      marking: marking({ split__to__pick: 1, invoice__to__pack: 1 }),
      workItems: ['pick#1:initialized', 'invoice#1:completed'],
    })

    await wf.run('pick')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: marking({ pick__to__pack: 1, invoice__to__pack: 1 }),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:initialized'],
    })
  })
})
