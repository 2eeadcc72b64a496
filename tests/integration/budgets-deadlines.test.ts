import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Builder, workflowHandlers } from '../../src'
import { backend } from '../support/harness'
import { measure, stepper, type StepCost } from '../support/stepCost'

/**
 * What a deadline costs, step by step, from Convex's transaction metrics: the same one-task workflow
 * (start → approve → end) without a deadline and with one on its work item, its task or itself. Budgets of workflows
 * without deadlines are those of budgets.test.ts, unchanged.
 */
/** The one-task workflow with a deadline on its work item, its task, its workflow, or none. */
function single(deadline: boolean | 'workItem' | 'task' | 'workflow') {
  const on = deadline === true ? 'workItem' : deadline
  const approve = Builder.workItem('approve')
  const task = Builder.task(on === 'workItem' ? approve.deadline({ after: 60_000, onExpiry: 'fail' }) : approve).withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize()
    },
  })
  const net = Builder.workflow('approval')
    .startCondition('start')
    .task('approve', on === 'task' ? task.deadline({ after: 60_000, onExpiry: 'fail' }) : task)
    .endCondition('end')
    .connectCondition('start', (to) => to.task('approve'))
    .connectTask('approve', (to) => to.condition('end'))
  return (on === 'workflow' ? net.deadline({ after: 60_000, onExpiry: 'cancel' }) : net).build()
}

const self = () => internal.examples.approval
const figures = ({ documentsRead, documentsWritten, databaseQueries }: StepCost) => ({ documentsRead, documentsWritten, databaseQueries })

async function run(deadline: Parameters<typeof single>[0]) {
  const t = backend()
  const wf = stepper(t, single(deadline), { self })
  return { initialize: figures(await wf.initialize()), start: figures(await wf.start('approve')), complete: figures(await wf.complete('approve')) }
}

describe('the cost of a deadline', () => {
  it('initializing writes its job registration (1 write); ending the work item looks it up, cancels it and forgets it (2 queries, 3 reads, 1 write); start costs nothing more', async () => {
    const without = await run(false)
    const withDeadline = await run(true)
    expect({
      initialize: diff(withDeadline.initialize, without.initialize),
      start: diff(withDeadline.start, without.start),
      complete: diff(withDeadline.complete, without.complete),
    }).toEqual({
      initialize: { documentsRead: 0, documentsWritten: 1, databaseQueries: 0 },
      start: { documentsRead: 0, documentsWritten: 0, databaseQueries: 0 },
      complete: { documentsRead: 3, documentsWritten: 1, databaseQueries: 2 },
    })
  })

  it.each(['task', 'workflow'] as const)(
    // The element's jobs are looked up at its end in any case (the query is in both); a work item's deadline is
    // registered under a key of its own, so it needs a second query, a task's or workflow's does not.
    'a %s deadline: +1 write when scheduled (initialize enables the task); its end reads the job found, cancels and forgets it (+1 query, 3 reads, 1 write)',
    async (on) => {
      const without = await run(false)
      const withDeadline = await run(on)
      expect({
        initialize: diff(withDeadline.initialize, without.initialize),
        start: diff(withDeadline.start, without.start),
        complete: diff(withDeadline.complete, without.complete),
      }).toEqual({
        initialize: { documentsRead: 0, documentsWritten: 1, databaseQueries: 0 },
        start: { documentsRead: 0, documentsWritten: 0, databaseQueries: 0 },
        complete: { documentsRead: 3, documentsWritten: 1, databaseQueries: 1 },
      })
    },
  )

  it('the deadline step that fails a started work item costs what an internal fail of it costs', async () => {
    const t = backend()
    const definition = single(true)
    const wf = stepper(t, definition, { self })
    await wf.initialize()
    await wf.start('approve')
    const item = await wf.workItemOf('approve')
    const handlers = workflowHandlers(definition, { self }).internal
    const { cost } = await measure(t, (ctx) => handlers.deadlineReached(ctx, { element: { kind: 'workItem', workItemId: item._id }, scheduled: true }))

    const t2 = backend()
    const wf2 = stepper(t2, definition, { self })
    await wf2.initialize()
    await wf2.start('approve')
    const item2 = await wf2.workItemOf('approve')
    const failed = await measure(t2, (ctx) => workflowHandlers(definition, { self }).internal.failWorkItem(ctx, { workItemId: item2._id, args: { name: 'approve' } }))

    expect(figures(cost)).toEqual(figures(failed.cost))
  })
})

function diff(a: ReturnType<typeof figures>, b: ReturnType<typeof figures>) {
  return { documentsRead: a.documentsRead - b.documentsRead, documentsWritten: a.documentsWritten - b.documentsWritten, databaseQueries: a.databaseQueries - b.databaseQueries }
}
