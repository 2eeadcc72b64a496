import { describe, expect, it } from 'vitest'
import { Builder, getMarking, getWorkflowTaskStates, getWorkItems, workflowHandlers } from '../../src'
import { Decisions } from '../../src/domain/choices'
import { decisionTask, offeredTask } from '../../src/workflows/basics'
import { dumpTables } from '../support/dump'
import { backend, errorOf } from '../support/harness'

/**
 * A route that declares its target sets (api.md, "Builder": `.route(fn, { targetSets })`) must
 * return one of them, in any order; any other set is refused with INVALID_ROUTE and the step
 * writes nothing. `reserve` OR-splits to `charge` and `ship` together (joined by `finish`) or to
 * `abort` alone; its route returns what the recorded decision names, a wrong set included.
 */

const choices = ['both', 'bothReversed', 'bothTwice', 'abort', 'chargeOnly', 'everything'] as const

const reserveWorkflow = Builder.workflow('reserveSets')
  .startCondition('start')
  .task('reserve', decisionTask('reserve', choices).withSplitType('or'))
  .task('charge', offeredTask('charge'))
  .task('ship', offeredTask('ship'))
  .task('abort', offeredTask('abort'))
  .task('finish', offeredTask('finish'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('reserve'))
  .connectTask('reserve', (to) =>
    to
      .task('charge')
      .task('ship')
      .task('abort')
      .route(
        async ({ mutationCtx, parent, route }) => {
          const choice = (await Decisions.get(mutationCtx, parent.workflow.id, 'reserve')) as (typeof choices)[number]
          const [charge, ship, abort] = [route.toTask('charge'), route.toTask('ship'), route.toTask('abort')]
          return {
            both: [charge, ship],
            bothReversed: [ship, charge],
            bothTwice: [charge, ship, charge],
            abort: [abort],
            chargeOnly: [charge],
            everything: [charge, ship, abort],
          }[choice]
        },
        { targetSets: [['charge', 'ship'], ['abort']] },
      ),
  )
  .connectTask('charge', (to) => to.task('finish'))
  .connectTask('ship', (to) => to.task('finish'))
  .connectTask('finish', (to) => to.condition('end'))
  .connectTask('abort', (to) => to.condition('end'))

const handlers = workflowHandlers(reserveWorkflow)
const definition = handlers.definition

/** The workflow with `reserve` started, and a step that completes it with `choice`. */
async function reserveStarted() {
  const t = backend({ workflows: [definition] })
  const workflowId = await t.run((ctx) => handlers.internal.initializeRootWorkflow(ctx, {}))
  const item = async () => (await t.run((ctx) => getWorkItems(ctx.db, definition, workflowId, 'reserve'))).at(-1)!
  const { _id: workItemId } = await item()
  await t.run((ctx) => handlers.internal.startWorkItem(ctx, { workItemId, args: { name: 'reserve' } }))
  const complete = (choice: (typeof choices)[number]) =>
    t.run((ctx) => handlers.internal.completeWorkItem(ctx, { workItemId, args: { name: 'reserve', payload: { choice } } }))
  const read = async () => ({
    tasks: await t.run((ctx) => getWorkflowTaskStates(ctx.db, definition, workflowId)),
    marked: Object.entries(await t.run((ctx) => getMarking(ctx.db, definition, workflowId)))
      .filter(([, n]) => n > 0)
      .map(([c]) => c),
  })
  return { t, workflowId, complete, read }
}

describe('a route with declared target sets', () => {
  it.each([
    ['the set as declared', 'both'],
    ['the set in another order', 'bothReversed'],
    ['the set with a target twice (merged, as for any OR-split)', 'bothTwice'],
  ] as const)('routes normally when it returns %s: charge and ship are enabled', async (_, choice) => {
    const { complete, read } = await reserveStarted()
    await complete(choice)
    expect(await read()).toEqual({
      tasks: { reserve: 'completed', charge: 'enabled', ship: 'enabled', abort: 'disabled', finish: 'disabled' },
      marked: ['reserve__to__charge', 'reserve__to__ship'],
    })
  })

  it('routes normally to the other declared set: abort alone is enabled', async () => {
    const { complete, read } = await reserveStarted()
    await complete('abort')
    expect(await read()).toEqual({
      tasks: { reserve: 'completed', charge: 'disabled', ship: 'disabled', abort: 'enabled', finish: 'disabled' },
      marked: ['reserve__to__abort'],
    })
  })

  it.each([
    ['a subset of a declared set', 'chargeOnly', '[reserve__to__charge]'],
    ['a union of the declared sets', 'everything', '[reserve__to__charge, reserve__to__ship, reserve__to__abort]'],
  ] as const)('refuses %s with INVALID_ROUTE, and the step writes nothing', async (_, choice, returned) => {
    const { t, complete, read } = await reserveStarted()
    const before = await dumpTables(t)
    const error = await errorOf(complete(choice))
    // Named by the output conditions the split would mark, as splitTargets' other refusals are.
    expect(error).toEqual({
      code: 'INVALID_ROUTE',
      message:
        `Route of task 'reserve' (OR-split) returned ${returned}, not one of its declared target sets:` +
        ' [reserve__to__charge, reserve__to__ship] or [reserve__to__abort].',
    })
    // The decision the complete action wrote, the work item's completion, the journal: all rolled back.
    expect(await dumpTables(t)).toEqual(before)
    expect((await read()).tasks.reserve).toBe('started')
  })
})
