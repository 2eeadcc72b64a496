import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import type { Doc } from '../../convex/_generated/dataModel'
import { encodeChanges } from '../../src/journal/changes'
import { backend, driver } from '../support/harness'
import { JournalProblem, type Expectation } from '../support/journalCheck'
import { checkerFor } from '../support/journaled'

/**
 * The journal checker (tests/support/journalCheck.ts) that the harness, the fault matrix and the fuzz
 * suite rely on catches each way a journal can break: these tests break the tables by hand, on a
 * backend without the harness's own checks, and expect the checker to name the problem.
 */

const fns = internal.examples.sequence
const anyCall = (label: string): Expectation => ({ steps: 'any', label, atomic: true })

/** A sequence workflow initialized under a checker, its `register` work item offered. */
async function checked() {
  const t = backend({ journal: false })
  const checker = checkerFor(t)
  const wf = driver(t, fns)
  const workflowId = await checker.step(() => wf.initialize(), { steps: 'one', label: 'initialize', operation: 'initializeRootWorkflow', caller: { kind: 'internal' }, args: {} })
  const register = (await wf.workItemOf('register'))._id
  const start = { steps: 'one', label: 'start register', operation: 'startWorkItem', caller: { kind: 'internal' }, args: { workItemId: register } } as const
  /** Runs `edit` in a transaction of its own, unchecked: what a broken engine might have written. */
  const behind = <T>(edit: (ctx: any) => Promise<T>): Promise<T> => t.run(edit)
  const task = (name: string) =>
    behind(async (ctx): Promise<Doc<'tasknet_tasks'>> => ctx.db.query('tasknet_tasks').filter((q: any) => q.eq(q.field('name'), name)).unique())
  const lastEvent = () => behind(async (ctx): Promise<Doc<'tasknet_events'>> => (await ctx.db.query('tasknet_events').collect()).at(-1))
  return { t, checker, wf, workflowId, register, start, behind, task, lastEvent }
}

describe('the journal checker finds', () => {
  it('a change of state without an event', async () => {
    const { t, checker, task } = await checked()
    const { _id } = (await task('register'))!
    const patch = checker.step(() => t.run((ctx) => ctx.db.patch(_id, { state: 'started' })), anyCall('a hand-made task start'))
    await expect(patch).rejects.toThrow(JournalProblem)
    await expect(patch).rejects.toThrow(/a hand-made task start: changed workflow \S+ and wrote no event for it/)
  })

  it('an event for a workflow the step did not change', async () => {
    const { t, checker, lastEvent } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const insert = checker.step(() => t.run((ctx) => ctx.db.insert('tasknet_events', { ...event, sequence: 2 })), anyCall('a stray event'))
    await expect(insert).rejects.toThrow(/a stray event: wrote event 2 for workflow \S+, whose state it did not change/)
  })

  it('a gap in the numbering', async () => {
    const { t, checker, lastEvent, task } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const { _id: register } = (await task('register'))!
    const skip = checker.step(
      () =>
        t.run(async (ctx) => {
          await ctx.db.patch(register, { state: 'started' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 3 })
        }),
      anyCall('a skipped number'),
    )
    await expect(skip).rejects.toThrow(/events are numbered 1, 3: not 1 … 2 without a gap/)
  })

  it('an event changed after it was written', async () => {
    const { t, checker, lastEvent } = await checked()
    const first = (await lastEvent())!
    const rewrite = checker.step(() => t.run((ctx) => ctx.db.patch(first._id, { changes: '[]' })), anyCall('a rewrite'))
    await expect(rewrite).rejects.toThrow(/event 1 of workflow \S+ changed after it was written/)
  })

  it('an event that names the wrong caller', async () => {
    const { checker, wf, start } = await checked()
    const claimed = checker.step(() => wf.start('register'), { ...start, caller: { kind: 'public', subject: 'alice' } })
    await expect(claimed).rejects.toThrow(/start register: event 2 of workflow \S+ names the step wrongly \(caller.kind: "internal" ≠ "public"\)/)
  })

  it('an event that says another workflow state than the document', async () => {
    const { t, checker, lastEvent, task, workflowId } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const { _id: register } = (await task('register'))!
    const wrong = checker.step(
      () =>
        t.run(async (ctx) => {
          await ctx.db.patch(register, { state: 'started' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 2, workflow: { name: 'sequence', state: 'started' } })
        }),
      anyCall('a wrong state'),
    )
    await expect(wrong).rejects.toThrow(`event 2 of workflow ${workflowId} does not say what the step left (state: "started" ≠ "initialized")`)
  })

  it("an event that ends its workflow without saying 'ended'", async () => {
    const { t, checker, lastEvent, workflowId } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const changes = encodeChanges([{ kind: 'workflow', from: 'initialized', to: 'canceled' }])
    const unmarked = checker.step(
      () =>
        t.run(async (ctx) => {
          await ctx.db.patch(workflowId, { state: 'canceled' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 2, changes, workflow: { name: 'sequence', state: 'canceled' } })
        }),
      anyCall('an unmarked end'),
    )
    await expect(unmarked).rejects.toThrow(`event 2 of workflow ${workflowId} has ended=undefined but ends the workflow`)
  })

  it('a journal whose replay differs from the live reads', async () => {
    const { t, checker, lastEvent, task, workflowId } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const { _id: register } = (await task('register'))!
    // The task started, the event says it completed.
    const changes = encodeChanges([{ kind: 'task', task: 'register', generation: 1, from: 'enabled', to: 'completed' }])
    const lying = checker.step(
      () =>
        t.run(async (ctx) => {
          await ctx.db.patch(register, { state: 'started' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 2, changes })
        }),
      anyCall('a lying event'),
    )
    await expect(lying).rejects.toThrow(`a lying event: getWorkflowAt(2) of workflow ${workflowId} ('sequence') differs from the live reads: tasks.register: "completed" ≠ "started"`)
  })

  it('two events from one step', async () => {
    const { t, checker, lastEvent, task, start } = await checked()
    const { _id, _creationTime, ...event } = (await lastEvent())!
    const { _id: register } = (await task('register'))!
    const twice = checker.step(
      () =>
        t.run(async (ctx) => {
          await ctx.db.patch(register, { state: 'started' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 2, changes: '[]' })
          await ctx.db.insert('tasknet_events', { ...event, sequence: 3, changes: encodeChanges([{ kind: 'task', task: 'register', generation: 1, from: 'enabled', to: 'started' }]) })
        }),
      start,
    )
    await expect(twice).rejects.toThrow(/one step wrote 2 events for workflow/)
  })

  it('a call that threw and changed a table', async () => {
    const { t, checker, task } = await checked()
    const before = await checker.before()
    const { _id } = (await task('register'))!
    await t.run((ctx) => ctx.db.patch(_id, { state: 'started' }))
    await expect(checker.after(before, { ok: false }, anyCall('a throw that wrote'))).rejects.toThrow('a throw that wrote threw, and table tasknet_tasks changed')
  })

  it('at the end, a recorded prefix that no longer replays to what the live reads said then', async () => {
    const { checker, wf, start, behind, workflowId } = await checked()
    await checker.step(() => wf.start('register'), start)
    // Event 1 loses its work item afterwards: the replay of 1 … 1 no longer shows `register` offered.
    await behind(async (ctx) => {
      const first = (await ctx.db.query('tasknet_events').collect())[0]!
      await ctx.db.patch(first._id, { changes: encodeChanges([{ kind: 'workflow', from: null, to: 'initialized' }]) })
    })
    await expect(checker.finish()).rejects.toThrow(`replay of events 1 … 1 of workflow ${workflowId} ('sequence') differs from the live reads: tasks.register: "disabled" ≠ "enabled"`)
  })

  it('nothing in a run the engine journaled itself, and counts what it compared', async () => {
    const { checker, wf, start } = await checked()
    await checker.step(() => wf.start('register'), start)
    expect(await checker.finish()).toEqual({ calls: 2, refused: 0, workflows: 1, events: 2, snapshots: 2 })
  })
})
