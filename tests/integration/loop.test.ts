import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { backend, driver, errorOf, type Backend } from '../support/harness'

const tasks = (open: string, draft: string, check: string) => ({ open, draft, check })
const marking = (start: number, ready: number, draftToCheck: number, end: number) => ({
  start,
  ready,
  end,
  draft__to__check: draftToCheck,
})
const READY = marking(0, 1, 0, 0)
const DRAFTED = marking(0, 0, 1, 0)
const ENDED = marking(0, 0, 0, 1)

/** Every work item of one pass through the loop, all completed. */
const pass = (n: number) => [`draft#${n}:completed`, `check#${n}:completed`]

async function checkDecision(t: Backend) {
  return t.run(async (ctx) => {
    const doc = await ctx.db.query('decisions').unique()
    return doc && { taskName: doc.taskName, choice: doc.choice, count: doc.count }
  })
}

describe('structured loop (WCP-10/21, docs/semantics.md#scenarios, scenario 9)', () => {
  it("runs three passes (check → 'again', 'again', 'done'): each pass is a new generation of draft and check", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.loop)
    await wf.initialize()
    await wf.run('open')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'disabled'),
      marking: READY,
      workItems: ['open#1:completed', 'draft#1:initialized'],
    })

    await wf.run('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: DRAFTED,
      workItems: ['open#1:completed', 'draft#1:completed', 'check#1:initialized'],
    })

    await wf.run('check', { choice: 'again' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'completed'),
      marking: READY,
      workItems: ['open#1:completed', ...pass(1), 'draft#2:initialized'],
    })

    await wf.run('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: DRAFTED,
      workItems: ['open#1:completed', ...pass(1), 'draft#2:completed', 'check#2:initialized'],
    })

    await wf.run('check', { choice: 'again' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'enabled', 'completed'),
      marking: READY,
      workItems: ['open#1:completed', ...pass(1), ...pass(2), 'draft#3:initialized'],
    })

    await wf.run('draft')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'completed', 'enabled'),
      marking: DRAFTED,
      workItems: ['open#1:completed', ...pass(1), ...pass(2), 'draft#3:completed', 'check#3:initialized'],
    })

    await wf.run('check', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed'),
      marking: ENDED,
      workItems: ['open#1:completed', ...pass(1), ...pass(2), ...pass(3)],
    })
    expect(await checkDecision(t)).toEqual({ taskName: 'check', choice: 'done', count: 3 })
  })

  it('acting on a work item of an older generation is refused with STALE_GENERATION and changes nothing', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.loop)
    await wf.initialize()
    await wf.run('open')
    await wf.run('draft')
    await wf.run('check', { choice: 'again' })
    await wf.run('draft')
    const [draft1, draft2] = await wf.workItems('draft')
    const [check1, check2] = await wf.workItems('check')
    expect([draft1, draft2, check1, check2].map((w) => w && `${w.taskName}#${w.generation}:${w.state}`)).toEqual([
      'draft#1:completed',
      'draft#2:completed',
      'check#1:completed',
      'check#2:initialized',
    ])
    const before = await wf.snapshot()
    const decisionBefore = await checkDecision(t)

    // A custom action of an old generation: its callback (which records a decision) must not run.
    const staleCheck = await errorOf(
      t.mutation(internal.examples.loop.internalCompleteWorkItem, {
        workItemId: check1!._id as Id<'tasknet_workItems'>,
        args: { name: 'check', payload: { choice: 'done' } },
      }),
    )
    expect(staleCheck.code).toBe('STALE_GENERATION')
    expect(staleCheck.message).toContain(check1!._id)

    // A default action of an old generation is refused for its generation, before its (illegal) transition.
    const staleDraft = await errorOf(
      t.mutation(internal.examples.loop.internalStartWorkItem, {
        workItemId: draft1!._id as Id<'tasknet_workItems'>,
        args: { name: 'draft' },
      }),
    )
    expect(staleDraft.code).toBe('STALE_GENERATION')

    expect(await wf.snapshot()).toEqual(before)
    expect(await checkDecision(t)).toEqual(decisionBefore)

    // The current generation's work item still works.
    await wf.run('check', { choice: 'done' })
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'completed'),
      marking: ENDED,
      workItems: ['open#1:completed', ...pass(1), ...pass(2)],
    })
  })

  it('getWorkItems with currentGeneration lists only the work items of each task\'s current generation', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.loop)
    await wf.initialize()
    await wf.run('open')
    await wf.run('draft')
    await wf.run('check', { choice: 'again' })
    await wf.run('draft')
    await wf.run('check', { choice: 'again' })
    const fns = internal.examples.loop
    const current = (taskName?: 'open' | 'draft' | 'check') =>
      t.query(fns.getWorkItems, { workflowId: wf.workflowId, currentGeneration: true, ...(taskName ? { taskName } : {}) })
    const show = (items: Array<{ taskName: string; generation: number; state: string }>) => items.map((w) => `${w.taskName}#${w.generation}:${w.state}`)

    // Every generation is still there without the option...
    expect(show(await wf.workItems())).toEqual(['open#1:completed', ...pass(1), ...pass(2), 'draft#3:initialized'])
    // ...and with it, one task's current generation, or each task's across the workflow.
    expect(show(await current('draft'))).toEqual(['draft#3:initialized'])
    expect(show(await current('check'))).toEqual(['check#2:completed'])
    expect(show(await current())).toEqual(['open#1:completed', 'check#2:completed', 'draft#3:initialized'])
    // A task never enabled has no generation and no work items.
    const fresh = driver(t, fns)
    await fresh.initialize()
    expect(show(await t.query(fns.getWorkItems, { workflowId: fresh.workflowId, taskName: 'check', currentGeneration: true }))).toEqual([])
  })
})
