import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { api, internal } from '../../convex/_generated/api'
import type { Id } from '../../convex/_generated/dataModel'
import { runScheduledInTimeOrder } from '../../src/testing'
import { backend, driver, errorOf, type Backend } from '../support/harness'

/**
 * The journal (docs/api.md#the-journal) read through the generated `getEvents` and `getWorkflowAt`
 * of the example modules: what one step writes in each workflow of a hierarchy, who it says called,
 * the decisions and jobs it records, and the reads' pages and refusals. (Every test on the
 * harness's backend also checks each step's events and their replay; see tests/support/journaled.ts.)
 */

type WorkflowId = Id<'tasknet_workflows'>
type EventFns = { getEvents: typeof internal.examples.sequence.getEvents }

/** Every event of a workflow, read page by page. */
async function eventsOf(t: Backend, fns: EventFns, workflowId: WorkflowId) {
  const all = []
  for (let after = 0, done = false; !done; ) {
    const page = await t.query(fns.getEvents, { workflowId, after, limit: 1000 })
    all.push(...page.events)
    ;({ continueAfter: after, isDone: done } = page)
  }
  return all
}

/** Each event as `sequence operation`, the compact view of a journal. */
const steps = (events: Array<{ sequence: number; operation: string }>) => events.map((e) => `${e.sequence} ${e.operation}`)

describe('a step journals each workflow of a hierarchy it changes, once', () => {
  const fns = internal.examples.fulfilment

  /** A fulfilment: `pack` starts one packing child when it is enabled. */
  async function fulfilment() {
    const t = backend()
    const root = await t.mutation(fns.internalInitializeRootWorkflow, {})
    const [child] = await t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'pack' })
    const item = async (taskName: 'pick' | 'box') => (await t.query(fns.getWorkItems, { workflowId: child!._id, taskName }))[0]!._id
    const act = async (action: 'start' | 'complete', taskName: 'pick' | 'box') =>
      t.mutation(action === 'start' ? fns.internalStartWorkItem : fns.internalCompleteWorkItem, { workItemId: await item(taskName), args: { name: taskName } })
    return { t, root, child: child!._id, item, act }
  }

  it('initializing the root starts its child: one event in each, the parent recording the child, both naming the same step', async () => {
    const { t, root, child, item } = await fulfilment()
    const [rootEvent] = await eventsOf(t, fns, root)
    const [childEvent] = await eventsOf(t, fns, child)
    const step = { operation: 'initializeRootWorkflow', target: { kind: 'workflow', name: 'fulfilment' }, caller: { kind: 'internal' }, time: rootEvent!.time }
    expect(rootEvent).toMatchObject({ ...step, sequence: 1, workflow: { name: 'fulfilment', state: 'initialized' } })
    expect(rootEvent!.changes).toEqual([
      { kind: 'workflow', from: null, to: 'initialized' },
      { kind: 'marking', condition: 'start', delta: 1, marking: 1 },
      { kind: 'task', task: 'pack', generation: 1, from: 'disabled', to: 'enabled' },
      { kind: 'childWorkflow', task: 'pack', generation: 1, workflowId: child, name: 'packing' },
    ])
    expect(childEvent).toMatchObject({ ...step, sequence: 1, workflow: { name: 'packing', state: 'initialized', parent: { workflowId: root, taskName: 'pack', taskGeneration: 1 } } })
    expect(childEvent!.changes).toEqual([
      { kind: 'workflow', from: null, to: 'initialized' },
      { kind: 'marking', condition: 'start', delta: 1, marking: 1 },
      { kind: 'task', task: 'pick', generation: 1, from: 'disabled', to: 'enabled' },
      { kind: 'workItem', workItemId: await item('pick'), name: 'pick', task: 'pick', generation: 1, from: null, to: 'initialized' },
    ])
  })

  it("the child's first start starts the composite task: event 2 in the child and event 2 in the parent, at the same time", async () => {
    const { t, root, child, act } = await fulfilment()
    await act('start', 'pick')
    const [rootEvents, childEvents] = [await eventsOf(t, fns, root), await eventsOf(t, fns, child)]
    expect(steps(rootEvents)).toEqual(['1 initializeRootWorkflow', '2 startWorkItem'])
    expect(steps(childEvents)).toEqual(['1 initializeRootWorkflow', '2 startWorkItem'])
    expect(rootEvents[1]!.time).toBe(childEvents[1]!.time)
    expect(rootEvents[1]!.changes).toEqual([
      { kind: 'marking', condition: 'start', delta: -1, marking: 0 },
      { kind: 'task', task: 'pack', generation: 1, from: 'enabled', to: 'started' },
      { kind: 'workflow', from: 'initialized', to: 'started' },
    ])
  })

  it("a step inside the child that leaves the parent alone journals the child only; the child's end journals the parent's policy answer", async () => {
    const { t, root, child, act } = await fulfilment()
    await act('start', 'pick')
    await act('complete', 'pick')
    await act('start', 'box')
    expect(steps(await eventsOf(t, fns, root))).toEqual(['1 initializeRootWorkflow', '2 startWorkItem'])
    expect(steps(await eventsOf(t, fns, child))).toEqual(['1 initializeRootWorkflow', '2 startWorkItem', '3 completeWorkItem', '4 startWorkItem'])

    await act('complete', 'box')
    const rootEvents = await eventsOf(t, fns, root)
    const childEvents = await eventsOf(t, fns, child)
    expect(steps(rootEvents)).toEqual(['1 initializeRootWorkflow', '2 startWorkItem', '3 completeWorkItem'])
    expect(childEvents.at(-1)).toMatchObject({ sequence: 5, workflow: { state: 'completed' } })
    expect(childEvents.at(-1)!.changes.at(-1)).toEqual({ kind: 'workflow', from: 'started', to: 'completed' })
    expect(rootEvents[2]!.changes.slice(0, 2)).toEqual([
      { kind: 'policy', task: 'pack', generation: 1, decision: 'complete', signal: { id: child, state: 'completed' } },
      { kind: 'task', task: 'pack', generation: 1, from: 'started', to: 'completed' },
    ])
    // `ended` marks the event of the step that ended a workflow, and only that one.
    const ended = await t.run(async (ctx) => (await ctx.db.query('tasknet_events').collect()).filter((e) => e.ended).map((e) => `${e.workflowId === child ? 'child' : 'root'} ${e.sequence}`))
    expect(ended).toEqual(['child 5'])
  })

  it('a refused step journals nothing, and the next step takes the next number', async () => {
    const { t, child, item, act } = await fulfilment()
    const before = await eventsOf(t, fns, child)
    const refused = await errorOf(t.mutation(fns.internalCompleteWorkItem, { workItemId: await item('pick'), args: { name: 'pick' } }))
    expect(refused.code).toBe('INVALID_TRANSITION')
    expect(await eventsOf(t, fns, child)).toEqual(before)
    await act('start', 'pick')
    expect(steps(await eventsOf(t, fns, child))).toEqual(['1 initializeRootWorkflow', '2 startWorkItem'])
  })

  it('getWorkflowAt answers for a child through the root’s function, as the child was after each of its events', async () => {
    const { t, child, item, act } = await fulfilment()
    await act('start', 'pick')
    await act('complete', 'pick')
    const EMPTY = { start: 0, end: 0, pick__to__box: 0 }
    const pick = { _id: await item('pick'), name: 'pick', taskName: 'pick', generation: 1 }
    expect(await t.query(fns.getWorkflowAt, { workflowId: child, sequence: 1 })).toEqual({
      workflow: { state: 'initialized' },
      tasks: { pick: 'enabled', box: 'disabled' },
      marking: { ...EMPTY, start: 1 },
      workItems: [{ ...pick, state: 'initialized' }],
    })
    expect(await t.query(fns.getWorkflowAt, { workflowId: child, sequence: 3 })).toEqual({
      workflow: { state: 'started' },
      tasks: { pick: 'completed', box: 'enabled' },
      marking: { ...EMPTY, pick__to__box: 1 },
      workItems: [
        { ...pick, state: 'completed' },
        { _id: await item('box'), name: 'box', taskName: 'box', generation: 1, state: 'initialized' },
      ],
    })
  })
})

describe('the caller', () => {
  const fns = internal.examples.exclusiveChoice

  async function triageStarted() {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    await wf.start('triage')
    return { t, wf, triage: (await wf.workItemOf('triage'))._id }
  }
  const callers = async (t: Backend, workflowId: WorkflowId) => (await eventsOf(t, fns, workflowId)).map((e) => e.caller)
  const decision = { name: 'triage' as const, payload: { choice: 'repair' as const } }

  it("is 'public' with the signed-in identity's subject for a public mutation, 'internal' for an internal one", async () => {
    const { t, wf, triage } = await triageStarted()
    await t.withIdentity({ subject: 'alice' }).mutation(api.examples.exclusiveChoice.completeWorkItem, { workItemId: triage, args: decision })
    expect(await callers(t, wf.workflowId)).toEqual([{ kind: 'internal' }, { kind: 'internal' }, { kind: 'public', subject: 'alice' }])
  })

  it("is 'public' without a subject when nobody is signed in, and 'internal' with the subject of an internal call made as someone", async () => {
    const { t, wf, triage } = await triageStarted()
    await t.mutation(api.examples.exclusiveChoice.completeWorkItem, { workItemId: triage, args: decision })
    await t.withIdentity({ subject: 'ops' }).mutation(fns.internalStartWorkItem, { workItemId: (await wf.workItemOf('repair'))._id, args: { name: 'repair' } })
    expect((await callers(t, wf.workflowId)).slice(2)).toEqual([{ kind: 'public' }, { kind: 'internal', subject: 'ops' }])
  })

  it("is 'scheduled' for an internal mutation called with scheduled: true, which a public mutation cannot claim", async () => {
    const { t, wf, triage } = await triageStarted()
    const refused = t.mutation(api.examples.exclusiveChoice.completeWorkItem, { workItemId: triage, args: decision, scheduled: true } as never)
    await expect(refused).rejects.toThrow(/scheduled/)
    expect(await callers(t, wf.workflowId)).toHaveLength(2)

    await t.mutation(fns.internalCompleteWorkItem, { workItemId: triage, args: decision, scheduled: true })
    expect((await callers(t, wf.workflowId)).at(-1)).toEqual({ kind: 'scheduled' })
  })

  describe('through the scheduler', () => {
    beforeEach(() => {
      vi.useFakeTimers()
    })
    afterEach(() => {
      vi.useRealTimers()
    })

    it("a job that calls the engine with scheduled: true is journaled as 'scheduled'", async () => {
      const { t, wf, triage } = await triageStarted()
      await t.run((ctx) => ctx.scheduler.runAfter(1_000, fns.internalCompleteWorkItem, { workItemId: triage, args: decision, scheduled: true }))
      await runScheduledInTimeOrder(t, vi)
      const last = (await eventsOf(t, fns, wf.workflowId)).at(-1)!
      expect(last).toMatchObject({ sequence: 3, operation: 'completeWorkItem', caller: { kind: 'scheduled' }, target: { kind: 'workItem', workItemId: triage } })
    })
  })
})

describe('decisions and jobs', () => {
  it("an XOR-split's route: the conditions it chose, between the task's completion and the tokens it produces", async () => {
    const t = backend()
    const fns = internal.examples.exclusiveChoice
    const wf = driver(t, fns)
    await wf.initialize()
    await wf.start('triage')
    const triage = (await wf.workItemOf('triage'))._id
    await wf.complete('triage', { choice: 'replace' })
    const completion = (await eventsOf(t, fns, wf.workflowId)).at(-1)!
    expect(completion.changes).toEqual([
      { kind: 'workItem', workItemId: triage, name: 'triage', task: 'triage', generation: 1, from: 'started', to: 'completed' },
      { kind: 'policy', task: 'triage', generation: 1, decision: 'complete', signal: { id: triage, state: 'completed' } },
      { kind: 'task', task: 'triage', generation: 1, from: 'started', to: 'completed' },
      { kind: 'route', task: 'triage', generation: 1, targets: ['triage__to__replace'] },
      { kind: 'marking', condition: 'triage__to__replace', delta: 1, marking: 1 },
      { kind: 'task', task: 'replace', generation: 1, from: 'disabled', to: 'enabled' },
      { kind: 'workItem', workItemId: (await wf.workItemOf('replace'))._id, name: 'replace', task: 'replace', generation: 1, from: null, to: 'initialized' },
    ])
  })

  describe('registered jobs', () => {
    beforeEach(() => {
      vi.useFakeTimers()
    })
    afterEach(() => {
      vi.useRealTimers()
    })
    const fns = internal.examples.scheduling
    const jobsOf = (changes: Array<{ kind: string }>) => changes.filter((c) => c.kind === 'jobRegistered' || c.kind === 'jobForgotten')
    /** The scheduled functions' ids by the entry their job appends to the log (`job:a.onEnabled`). */
    const scheduled = async (t: Backend) =>
      new Map(
        await t.run(async (ctx) => (await ctx.db.system.query('_scheduled_functions').collect()).map((job) => [(job.args[0] as { entry: string }).entry, job._id] as const)),
      )

    it('are journaled when registered, and forgotten (canceled: true) when their element ends before they ran', async () => {
      const t = backend()
      const wf = driver(t, fns)
      await wf.initialize()
      const w = wf.workflowId
      const ids = await scheduled(t)
      const [initialized] = await eventsOf(t, fns, w)
      expect(jobsOf(initialized!.changes)).toEqual([
        { kind: 'jobRegistered', element: `workflow:${w}`, scheduledId: ids.get('job:workflow.onInitialized') },
        { kind: 'jobRegistered', element: `task:${w}:a:1`, scheduledId: ids.get('job:a.onEnabled') },
        { kind: 'jobRegistered', element: `task:${w}:b:1`, scheduledId: ids.get('job:b.onEnabled') },
      ])
      // Starting `a` disables `b` (a deferred choice): b's job is canceled with it.
      await wf.start('a')
      const started = (await eventsOf(t, fns, w)).at(-1)!
      const after = await scheduled(t)
      expect(jobsOf(started.changes)).toEqual([
        { kind: 'jobRegistered', element: `workflow:${w}`, scheduledId: after.get('job:workflow.onStarted') },
        { kind: 'jobRegistered', element: `task:${w}:a:1`, scheduledId: after.get('job:a.onStarted') },
        { kind: 'jobForgotten', element: `task:${w}:b:1`, scheduledId: ids.get('job:b.onEnabled'), canceled: true },
      ])
    })

    it('a job that already ran is forgotten with canceled: false when its element ends', async () => {
      const t = backend()
      const wf = driver(t, fns)
      await wf.initialize()
      await wf.start('a')
      await runScheduledInTimeOrder(t, vi)
      await wf.complete('a')
      const w = wf.workflowId
      const ids = await scheduled(t)
      const completed = (await eventsOf(t, fns, w)).at(-1)!
      expect(jobsOf(completed.changes).filter((c) => c.kind === 'jobForgotten')).toEqual([
        { kind: 'jobForgotten', element: `task:${w}:a:1`, scheduledId: ids.get('job:a.onEnabled'), canceled: false },
        { kind: 'jobForgotten', element: `task:${w}:a:1`, scheduledId: ids.get('job:a.onStarted'), canceled: false },
      ])
    })
  })
})

describe('getEvents', () => {
  const fns = internal.examples.sequence

  /** A sequence run to its end: six events. */
  async function finished() {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    for (const task of ['register', 'review', 'archive'] as const) await wf.run(task)
    return { t, workflowId: wf.workflowId }
  }

  it('pages in sequence order: continueAfter is the last sequence read, isDone says whether more remain', async () => {
    const { t, workflowId } = await finished()
    const page = (after?: number, limit?: number) =>
      t.query(fns.getEvents, { workflowId, ...(after === undefined ? {} : { after }), ...(limit === undefined ? {} : { limit }) })
    const view = async (after?: number, limit?: number) => {
      const { events, continueAfter, isDone } = await page(after, limit)
      return { sequences: events.map((e) => e.sequence), continueAfter, isDone }
    }
    expect(await view()).toEqual({ sequences: [1, 2, 3, 4, 5, 6, 7], continueAfter: 7, isDone: true })
    expect(await view(0, 3)).toEqual({ sequences: [1, 2, 3], continueAfter: 3, isDone: false })
    expect(await view(3, 3)).toEqual({ sequences: [4, 5, 6], continueAfter: 6, isDone: false })
    expect(await view(6, 3)).toEqual({ sequences: [7], continueAfter: 7, isDone: true })
    // A page that takes exactly the rest is the last: one more document was read to know it.
    expect(await view(4, 3)).toEqual({ sequences: [5, 6, 7], continueAfter: 7, isDone: true })
    expect(await view(7)).toEqual({ sequences: [], continueAfter: 7, isDone: true })
    expect(await view(0, 1000)).toEqual({ sequences: [1, 2, 3, 4, 5, 6, 7], continueAfter: 7, isDone: true })
  })

  it.each([0, -1, 1001, 2.5])('refuses a limit of %s: INVALID_STATE, a whole number from 1 to 1000', async (limit) => {
    const { t, workflowId } = await finished()
    const error = await errorOf(t.query(fns.getEvents, { workflowId, limit }))
    expect(error).toEqual({ code: 'INVALID_STATE', message: `getEvents was asked for ${limit} events of workflow ${workflowId}; expected a whole number from 1 to 1000.` })
  })

  it("refuses another definition's workflow: NOT_FOUND", async () => {
    const { t } = await finished()
    const other = await t.mutation(internal.examples.exclusiveChoice.internalInitializeRootWorkflow, {})
    const error = await errorOf(t.query(fns.getEvents, { workflowId: other }))
    expect(error).toEqual({ code: 'NOT_FOUND', message: `Workflow ${other} is a 'exclusiveChoice' workflow, not 'sequence' or one of its children.` })
  })
})

describe('getWorkflowAt', () => {
  const fns = internal.examples.sequence

  it('returns the workflow as it was right after each event, in the shapes of the live reads', async () => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    await wf.start('register')
    const register = { _id: (await wf.workItemOf('register'))._id, name: 'register', taskName: 'register', generation: 1 }
    const marking = { start: 0, end: 0, register__to__review: 0, review__to__archive: 0 }
    expect(await t.query(fns.getWorkflowAt, { workflowId: wf.workflowId, sequence: 1 })).toEqual({
      workflow: { state: 'initialized' },
      tasks: { register: 'enabled', review: 'disabled', archive: 'disabled' },
      marking: { ...marking, start: 1 },
      workItems: [{ ...register, state: 'initialized' }],
    })
    expect(await t.query(fns.getWorkflowAt, { workflowId: wf.workflowId, sequence: 2 })).toEqual({
      workflow: { state: 'started' },
      tasks: { register: 'started', review: 'disabled', archive: 'disabled' },
      marking,
      workItems: [{ ...register, state: 'started' }],
    })
  })

  it.each([
    [0, 'sequences are whole numbers from 1'],
    [1.5, 'sequences are whole numbers from 1'],
    [3, 'has 2 events; there is no event 3'],
  ])('refuses sequence %s: NOT_FOUND (%s)', async (sequence, says) => {
    const t = backend()
    const wf = driver(t, fns)
    await wf.initialize()
    await wf.start('register')
    const error = await errorOf(t.query(fns.getWorkflowAt, { workflowId: wf.workflowId, sequence }))
    expect(error.code).toBe('NOT_FOUND')
    expect(error.message).toContain(says)
  })

  it("refuses another definition's workflow: NOT_FOUND", async () => {
    const t = backend()
    const other = await t.mutation(internal.examples.exclusiveChoice.internalInitializeRootWorkflow, {})
    const error = await errorOf(t.query(fns.getWorkflowAt, { workflowId: other, sequence: 1 }))
    expect(error).toEqual({ code: 'NOT_FOUND', message: `Workflow ${other} is a 'exclusiveChoice' workflow, not 'sequence' or one of its children.` })
  })
})
