import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver } from '../support/harness'

const tasks = (pick: string, invoice: string, pack: string) => ({ split: 'completed', pick, invoice, pack })
const marking = (pickToPack: number, invoiceToPack: number, end = 0) => ({
  start: 0,
  end,
  split__to__pick: 0,
  split__to__invoice: 0,
  pick__to__pack: pickToPack,
  invoice__to__pack: invoiceToPack,
})
/** The marking right after `split` fired: one token in front of each branch. */
const AFTER_SPLIT = { ...marking(0, 0), split__to__pick: 1, split__to__invoice: 1 }

describe('parallel split and synchronization (WCP-2/3)', () => {
  it('split fires on enabling and AND-splits; pack is enabled only after both pick and invoice complete', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.parallel)
    await wf.initialize()
    // The dummy `split` is the first task to start, so the workflow starts with it.
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'enabled', 'disabled'),
      marking: AFTER_SPLIT,
      workItems: ['pick#1:initialized', 'invoice#1:initialized'],
    })

    await wf.run('pick')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'disabled'),
      marking: { ...marking(1, 0), split__to__invoice: 1 },
      workItems: ['pick#1:completed', 'invoice#1:initialized'],
    })

    await wf.run('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: marking(1, 1),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:initialized'],
    })

    await wf.start('pack')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'started'),
      marking: marking(0, 0),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:started'],
    })

    await wf.complete('pack')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed'),
      marking: marking(0, 0, 1),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:completed'],
    })
  })

  it('the branches run in either order: invoice first still leaves pack disabled until pick completes', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.parallel)
    await wf.initialize()

    await wf.run('invoice')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('enabled', 'completed', 'disabled'),
      marking: { ...marking(0, 1), split__to__pick: 1 },
      workItems: ['pick#1:initialized', 'invoice#1:completed'],
    })

    await wf.run('pick')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: marking(1, 1),
      workItems: ['pick#1:completed', 'invoice#1:completed', 'pack#1:initialized'],
    })
  })
})
