import { describe, expect, it } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { backend, driver, type Backend } from '../support/harness'

const tasks = (triage: string, repair: string, replace: string, close: string) => ({ triage, repair, replace, close })
const marking = (m: Partial<Record<'start' | 'toRepair' | 'toReplace' | 'repairToClose' | 'replaceToClose' | 'end', number>>) => ({
  start: m.start ?? 0,
  end: m.end ?? 0,
  triage__to__repair: m.toRepair ?? 0,
  triage__to__replace: m.toReplace ?? 0,
  repair__to__close: m.repairToClose ?? 0,
  replace__to__close: m.replaceToClose ?? 0,
})

/** The decisions recorded by triage's complete action (domain state the route reads). */
async function decisions(t: Backend) {
  return t.run(async (ctx) => (await ctx.db.query('decisions').collect()).map(({ taskName, choice, count }) => ({ taskName, choice, count })))
}

describe('exclusive choice and simple merge (WCP-4/5)', () => {
  it("triage completed with { choice: 'repair' } XOR-splits to repair only; close XOR-joins and completes the workflow", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.exclusiveChoice)
    await wf.initialize()
    expect(await wf.snapshot()).toEqual({
      workflow: 'initialized',
      tasks: tasks('enabled', 'disabled', 'disabled', 'disabled'),
      marking: marking({ start: 1 }),
      workItems: ['triage#1:initialized'],
    })

    await wf.run('triage', { choice: 'repair' })
    expect(await decisions(t)).toEqual([{ taskName: 'triage', choice: 'repair', count: 1 }])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'disabled', 'disabled'),
      marking: marking({ toRepair: 1 }),
      workItems: ['triage#1:completed', 'repair#1:initialized'],
    })

    await wf.run('repair')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'disabled', 'enabled'),
      marking: marking({ repairToClose: 1 }),
      workItems: ['triage#1:completed', 'repair#1:completed', 'close#1:initialized'],
    })

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'disabled', 'completed'),
      marking: marking({ end: 1 }),
      workItems: ['triage#1:completed', 'repair#1:completed', 'close#1:completed'],
    })
  })

  it("triage completed with { choice: 'replace' } XOR-splits to replace only; close XOR-joins and completes the workflow", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.exclusiveChoice)
    await wf.initialize()

    await wf.run('triage', { choice: 'replace' })
    expect(await decisions(t)).toEqual([{ taskName: 'triage', choice: 'replace', count: 1 }])
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'disabled', 'enabled', 'disabled'),
      marking: marking({ toReplace: 1 }),
      workItems: ['triage#1:completed', 'replace#1:initialized'],
    })

    await wf.run('replace')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'disabled', 'completed', 'enabled'),
      marking: marking({ replaceToClose: 1 }),
      workItems: ['triage#1:completed', 'replace#1:completed', 'close#1:initialized'],
    })

    await wf.run('close')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'disabled', 'completed', 'completed'),
      marking: marking({ end: 1 }),
      workItems: ['triage#1:completed', 'replace#1:completed', 'close#1:completed'],
    })
  })

  it("a client completes triage through the public completeWorkItem, because triage's complete action is custom", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.exclusiveChoice)
    await wf.initialize()
    const triage = await wf.start('triage')

    await t.mutation(api.examples.exclusiveChoice.completeWorkItem, {
      workItemId: triage._id as Id<'tasknet_workItems'>,
      args: { name: 'triage', payload: { choice: 'repair' } },
    })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'disabled', 'disabled'),
      marking: marking({ toRepair: 1 }),
      workItems: ['triage#1:completed', 'repair#1:initialized'],
    })
  })
})
