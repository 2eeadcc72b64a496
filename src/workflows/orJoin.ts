import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'
import { orSplitJoin } from './synthetic'

/**
 * Workflows with OR-joins (synchronising merges, semantics.md §3), for the
 * integration tests of scenarios 2, 3 and 10. Each is exposed by a module in
 * convex/examples/.
 */

/**
 * Scenario 2 (and WCP-7): `fork` starts `prepare` and `decide` in parallel.
 * `decide` is an XOR-split: `extra` leads into the OR-join `merge` too,
 * `skip` goes around it. `merge` waits for `prepare` and, while `decide` may
 * still choose `extra`, for that branch as well; the moment `decide` routes to
 * `skip`, nothing can reach `merge`'s other input any more and it is enabled —
 * although `decide`'s exit marks none of `merge`'s inputs. `close` is an
 * OR-join of `merge` and `skip`, so the workflow ends once both paths that
 * were taken have arrived.
 */
export const orJoinRoutedAwayWorkflow = Builder.workflow('orJoinRoutedAway')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .task('prepare', offeredTask('prepare'))
  .task('decide', decisionTask('decide', ['extra', 'skip']))
  .task('extra', offeredTask('extra'))
  .task('skip', offeredTask('skip'))
  .task('merge', offeredTask('merge').withJoinType('or'))
  .task('close', offeredTask('close').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('prepare').task('decide'))
  .connectTask('prepare', (to) => to.task('merge'))
  .connectTask('decide', (to) =>
    to
      .task('extra')
      .task('skip')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'decide')) === 'extra' ? route.toTask('extra') : route.toTask('skip'),
      ),
  )
  .connectTask('extra', (to) => to.task('merge'))
  .connectTask('skip', (to) => to.task('close'))
  .connectTask('merge', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))

/**
 * Scenario 3: `fork` marks `pending` and starts `check` and `abort` in
 * parallel. The OR-join `merge` waits for `check` and for `slow`, which
 * `pending` enables. `abort`'s cancellation region empties `pending` and
 * cancels `slow`: once it completes, `merge` can wait for nothing more and is
 * enabled, though `abort` produces only into `close` (an AND-join of `merge`
 * and `abort`).
 */
export const orJoinRegionWorkflow = Builder.workflow('orJoinRegion')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('pending')
  .task('check', offeredTask('check'))
  .task('slow', offeredTask('slow'))
  .task('abort', offeredTask('abort'))
  .task('merge', offeredTask('merge').withJoinType('or'))
  .task('close', offeredTask('close').withJoinType('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('check').task('abort').condition('pending'))
  .connectCondition('pending', (to) => to.task('slow'))
  .connectTask('check', (to) => to.task('merge'))
  .connectTask('slow', (to) => to.task('merge'))
  .connectTask('abort', (to) => to.task('close'))
  .connectTask('merge', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
  .withCancellationRegion('abort', (r) => r.task('slow').condition('pending'))

/**
 * Scenario 10 through the runtime: `choose` is an OR-split of 20 outputs
 * (`b1 … b20`) whose route takes the branches its decision lists; the OR-join
 * `merge` synchronises exactly the branches taken. Deciding it must not
 * enumerate the 2^20 subsets. Built by `orSplitJoin` (synthetic.ts), which the
 * bench also uses at other sizes.
 */
export const orJoinWideWorkflow = orSplitJoin(20)

/**
 * An OR-join released by a task *starting* elsewhere: `offer` is a deferred
 * choice between `accept` (which leads into the OR-join `merge`) and `decline`
 * (which goes around it to `close`). When `decline` starts it takes the
 * offer's token, `accept` loses its enabling, and with it the only way a token
 * could still reach merge's second input: `merge` is enabled by that start.
 */
export const orJoinDeferredWorkflow = Builder.workflow('orJoinDeferred')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('offer')
  .task('prepare', offeredTask('prepare'))
  .task('accept', offeredTask('accept'))
  .task('decline', offeredTask('decline'))
  .task('merge', offeredTask('merge').withJoinType('or'))
  .task('close', offeredTask('close').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('prepare').condition('offer'))
  .connectCondition('offer', (to) => to.task('accept').task('decline'))
  .connectTask('prepare', (to) => to.task('merge'))
  .connectTask('accept', (to) => to.task('merge'))
  .connectTask('decline', (to) => to.task('close'))
  .connectTask('merge', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
