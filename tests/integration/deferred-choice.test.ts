import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { backend, driver, errorOf } from '../support/harness'
import { Builder, getMarking, getWorkflow, getWorkflowTaskStates, getWorkItems } from '../../src'
import { offeredTask } from '../../src/workflows/basics'
import { stepper } from '../support/stepCost'

const tasks = (prepare: string, accept: string, decline: string) => ({ prepare, accept, decline })
const marking = (start: number, offer: number, end: number) => ({ start, offer, end })

/** `prepare` has put one token into `offer`: both `accept` and `decline` are offered. */
const OFFERED = {
  workflow: 'started',
  tasks: tasks('completed', 'enabled', 'enabled'),
  marking: marking(0, 1, 0),
  workItems: ['prepare#1:completed', 'accept#1:initialized', 'decline#1:initialized'],
}

async function offered() {
  const t = backend()
  const wf = driver(t, internal.examples.deferredChoice)
  await wf.initialize()
  await wf.run('prepare')
  expect(await wf.snapshot()).toEqual(OFFERED)
  return { t, wf }
}

describe('deferred choice (WCP-16, docs/semantics.md#scenarios, scenario 8)', () => {
  it('starting a work item of accept consumes the offer, disables decline and cancels its initialized work item', async () => {
    const { wf } = await offered()

    await wf.start('accept')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'started', 'disabled'),
      marking: marking(0, 0, 0),
      workItems: ['prepare#1:completed', 'accept#1:started', 'decline#1:canceled'],
    })

    await wf.complete('accept')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'completed', 'disabled'),
      marking: marking(0, 0, 1),
      workItems: ['prepare#1:completed', 'accept#1:completed', 'decline#1:canceled'],
    })
  })

  it('starting a work item of decline consumes the offer, disables accept and cancels its initialized work item', async () => {
    const { wf } = await offered()

    await wf.start('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'started',
      tasks: tasks('completed', 'disabled', 'started'),
      marking: marking(0, 0, 0),
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:started'],
    })

    await wf.complete('decline')
    expect(await wf.snapshot()).toEqual({
      workflow: 'completed',
      tasks: tasks('completed', 'disabled', 'completed'),
      marking: marking(0, 0, 1),
      workItems: ['prepare#1:completed', 'accept#1:canceled', 'decline#1:completed'],
    })
  })

  it('the losing work item, canceled by the choice, cannot be started afterwards; nothing changes', async () => {
    const { wf } = await offered()
    await wf.start('accept')
    const before = await wf.snapshot()

    const error = await errorOf(wf.start('decline'))
    expect(error.code).toBe('INVALID_TRANSITION')
    expect(await wf.snapshot()).toEqual(before)
  })
})

describe('a dummy task in a deferred choice at the start', () => {
  // `pass` (a dummy task, declared first) and `offer` share the start condition. Initializing the
  // workflow enables `pass`, which fires at once and takes the token: `offer` must not be enabled
  // after it on a token that is gone (it could then start and create a token from nothing).
  const workflow = Builder.workflow('dummyFirst')
    .startCondition('start')
    .dummyTask('pass', Builder.dummyTask())
    .task('offer', offeredTask('offer'))
    .task('review', offeredTask('review'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('pass').task('offer'))
    .connectTask('pass', (to) => to.task('review'))
    .connectTask('offer', (to) => to.condition('end'))
    .connectTask('review', (to) => to.condition('end'))
  const definition = workflow.build()

  it('the dummy task wins: the other task is never enabled and no token is created', async () => {
    const t = backend({ workflows: [definition] })
    const wf = stepper(t, definition)
    await wf.initialize()
    const states = await t.run((ctx) => getWorkflowTaskStates(ctx.db, definition, wf.workflowId))
    expect(states).toEqual({ pass: 'completed', offer: 'disabled', review: 'enabled' })
    expect(await t.run((ctx) => getMarking(ctx.db, definition, wf.workflowId))).toEqual({ start: 0, end: 0, pass__to__review: 1 })
    expect((await t.run((ctx) => getWorkItems(ctx.db, definition, wf.workflowId))).map((w) => w.taskName)).toEqual(['review'])
  })

  it('the read helpers given the Builder read what they read given its definition', async () => {
    const t = backend({ workflows: [definition] })
    const wf = stepper(t, definition)
    await wf.initialize()
    const reads = (root: typeof workflow | typeof definition) =>
      t.run(async (ctx) => ({
        workflow: await getWorkflow(ctx.db, root, wf.workflowId),
        states: await getWorkflowTaskStates(ctx.db, root, wf.workflowId),
        marking: await getMarking(ctx.db, root, wf.workflowId),
        workItems: await getWorkItems(ctx.db, root, wf.workflowId, 'review', { currentGeneration: true }),
      }))
    const fromBuilder = await reads(workflow)
    expect(fromBuilder).toEqual(await reads(definition))
    expect(fromBuilder.marking).toEqual({ start: 0, end: 0, pass__to__review: 1 })
    expect(fromBuilder.workItems.map((w) => `${w.name}:${w.state}`)).toEqual(['review:initialized'])
    // @ts-expect-error 'reveiw' is not a task of the workflow: a type error, and NOT_FOUND at run time
    const unknownTask = await errorOf(t.run((ctx) => getWorkItems(ctx.db, workflow, wf.workflowId, 'reveiw')))
    expect(unknownTask.code).toBe('NOT_FOUND')
  })
})
