import { z } from 'zod'
import { Builder } from '../builder'
import type { MutationCtx } from '../builder/contexts'
import { Decisions } from '../domain/choices'
import { Faults } from '../domain/faults'
import { withFaultSites } from './faultSites'
import { orderWorkflow } from './order'

/**
 * The workflows of the fault matrix (tests/integration/faults.test.ts). Every user callback they
 * have — workflow and work item actions, workflow, task and work item activities, policies and
 * routes — first does its ordinary job, then calls `Faults.at` with its site (src/domain/faults.ts):
 * `<workflow>.<callback>`, `<task>.<callback>` (`.policy`, `.route` included) or
 * `<task>Item.<callback>` for the task's work item. A test arms one site and checks that the step
 * calling it rejects with that callback's own error and changes nothing.
 *
 * The first workflow of the matrix is the order workflow itself (src/workflows/order.ts), not written
 * here: `faultOrderWorkflow` is its built definition with the same sites added by `withFaultSites`
 * (faultSites.ts). The workflows below are written for the matrix: they have every kind of callback
 * at every point, including those the order workflow has no use for (reset, deferred choice, child
 * workflows, an OR-join).
 */

type Ctx = { mutationCtx: MutationCtx }
const at = (ctx: Ctx, site: string) => Faults.at(ctx.mutationCtx, site)

/** Activities that only check their site: `{ onX: (ctx) => at(ctx, '<element>.onX') }` for each name. */
function checks<K extends string>(element: string, ...names: K[]) {
  return Object.fromEntries(names.map((n) => [n, (ctx: Ctx) => at(ctx, `${element}.${n}`)])) as Record<
    K,
    (ctx: Ctx) => Promise<void>
  >
}

/** A callback that does its job (an action its transition, `onEnabled` its offer), then checks its site. */
function doing<C extends Ctx>(site: string, job: (ctx: C) => Promise<unknown>) {
  return async (ctx: C) => {
    await job(ctx)
    await at(ctx, site)
  }
}

/** A work item whose six actions are custom and whose six activities are faulty. */
function faultyWorkItem<Name extends string>(name: Name) {
  return Builder.workItem(name)
    .withActions(
      Builder.workItemActions()
        .initialize(
          z.never(),
          doing(`${name}.initialize`, (ctx) => ctx.workItem.initialize()),
        )
        .start(
          z.never(),
          doing(`${name}.start`, (ctx) => ctx.workItem.start()),
        )
        .complete(
          z.never(),
          doing(`${name}.complete`, (ctx) => ctx.workItem.complete()),
        )
        .fail(
          z.never(),
          doing(`${name}.fail`, (ctx) => ctx.workItem.fail()),
        )
        .cancel(
          z.never(),
          doing(`${name}.cancel`, (ctx) => ctx.workItem.cancel()),
        )
        .reset(
          z.never(),
          doing(`${name}.reset`, (ctx) => ctx.workItem.reset()),
        ),
    )
    .withActivities(checks(name, 'onInitialized', 'onStarted', 'onCompleted', 'onFailed', 'onCanceled', 'onReset'))
}

/** The policy every faulty task has: the default one, after the fault check. */
const faultyPolicy = (task: string) => async (ctx: Ctx) => {
  await at(ctx, `${task}.policy`)
  return undefined
}

/** The activities of a task that only check their site (`onEnabled` offers work first). */
const taskChecks = (task: string) => checks(task, 'onDisabled', 'onStarted', 'onCompleted', 'onFailed', 'onCanceled')

/** An atomic task (work item `<task>Item`) whose `onEnabled` offers one work item; every callback is faulty. */
function faultyTask<Name extends string>(task: Name) {
  return Builder.task(faultyWorkItem(`${task}Item`))
    .withActivities({
      ...taskChecks(task),
      ...checks(task, 'onWorkItemStateChanged'),
      onEnabled: doing(`${task}.onEnabled`, (ctx) => ctx.workItem.initialize()),
    })
    .withPolicy(faultyPolicy(task))
}

/** Custom initialize and cancel actions, and the five workflow activities, all faulty. */
function faultyWorkflow<Name extends string>(name: Name) {
  return Builder.workflow(name)
    .withActions(
      Builder.workflowActions()
        .initialize(
          z.never(),
          doing(`${name}.initialize`, (ctx) => ctx.workflow.initialize()),
        )
        .cancel(
          z.never(),
          doing(`${name}.cancel`, (ctx) => ctx.workflow.cancel()),
        ),
    )
    .withActivities(checks(name, 'onInitialized', 'onStarted', 'onCompleted', 'onFailed', 'onCanceled'))
}

/**
 * Plain: `a` and `d` compete for the start token (deferred choice: starting `a` disables `d`);
 * `a` is an XOR-split whose route chooses `b`; `b` and `d` lead to the end.
 */
export const faultPlainWorkflow = faultyWorkflow('faultPlain')
  .startCondition('start')
  .task('a', faultyTask('a').withSplitType('xor'))
  .task('b', faultyTask('b'))
  .task('d', faultyTask('d'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a').task('d'))
  .connectTask('a', (to) =>
    to
      .task('b')
      .condition('end')
      .route(async (ctx) => {
        await at(ctx, 'a.route')
        return ctx.route.toTask('b')
      }),
  )
  .connectTask('b', (to) => to.condition('end'))
  .connectTask('d', (to) => to.condition('end'))

/** The child of `faultComposite`: one task `x`, an XOR-split whose route chooses the end. */
export const faultChildWorkflow = faultyWorkflow('faultChild')
  .startCondition('start')
  .task('x', faultyTask('x').withSplitType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('x'))
  .connectTask('x', (to) =>
    to.condition('end').route(async (ctx) => {
      await at(ctx, 'x.route')
      return ctx.route.toCondition('end')
    }),
  )

/**
 * Composite: `c` starts one `faultChild` when it is enabled (its child initializer). `c` and `e`
 * compete for the start token: the child's first start fires `c` and disables `e`, starting `e`
 * disables `c` and cancels its child.
 */
export const faultCompositeWorkflow = faultyWorkflow('faultComposite')
  .startCondition('start')
  .compositeTask(
    'c',
    Builder.compositeTask(faultChildWorkflow)
      .withActivities({
        ...taskChecks('c'),
        ...checks('c', 'onWorkflowStateChanged'),
        onEnabled: doing('c.onEnabled', (ctx) => ctx.workflow.initialize()),
      })
      .withPolicy(faultyPolicy('c')),
  )
  .task('e', faultyTask('e'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('c').task('e'))
  .connectTask('c', (to) => to.condition('end'))
  .connectTask('e', (to) => to.condition('end'))

/**
 * OR-join: `s` is an OR-split into `p` and `q`, which meet at the OR-join `j`. Its route chooses
 * both, or only `p` once the decision `s` is `'p'` (decisions table): then `j` is enabled as soon
 * as `p` completes, since nothing can reach its other input.
 */
export const faultOrJoinWorkflow = faultyWorkflow('faultOrJoin')
  .startCondition('start')
  .task('s', faultyTask('s').withSplitType('or'))
  .task('p', faultyTask('p'))
  .task('q', faultyTask('q'))
  .task('j', faultyTask('j').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('s'))
  .connectTask('s', (to) =>
    to
      .task('p')
      .task('q')
      .route(async (ctx) => {
        await at(ctx, 's.route')
        const only = await Decisions.find(ctx.mutationCtx, ctx.parent.workflow.id, 's')
        return only?.choice === 'p' ? [ctx.route.toTask('p')] : [ctx.route.toTask('p'), ctx.route.toTask('q')]
      }),
  )
  .connectTask('p', (to) => to.task('j'))
  .connectTask('q', (to) => to.task('j'))
  .connectTask('j', (to) => to.condition('end'))

/** Order: the order workflow of src/workflows/order.ts, as it is, with a fault site on each of its callbacks. */
export const faultOrderWorkflow = withFaultSites(orderWorkflow.build())
