import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'
import { orSplitJoin } from './synthetic'

/**
 * Workflows with OR-joins (synchronising merges, docs/semantics.md#the-or-join), for the
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

/**
 * WCP-37 local synchronizing merge in a net that is not a block: two
 * independent decisions, `d1` and `d2`, each send their thread either through
 * a task into the OR-join `merge` (`in`) or straight to the final OR-join
 * `close` (`out`). `merge` synchronises the threads that were sent to it and
 * never waits for one that went out; `close` synchronises whatever arrives.
 */
export const localSyncMergeWorkflow = Builder.workflow('localSyncMerge')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .task('d1', decisionTask('d1', ['in', 'out']))
  .task('d2', decisionTask('d2', ['in', 'out']))
  .task('m1', offeredTask('m1'))
  .task('m2', offeredTask('m2'))
  .task('merge', offeredTask('merge').withJoinType('or'))
  .task('close', offeredTask('close').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('d1').task('d2'))
  .connectTask('d1', (to) =>
    to
      .task('m1')
      .task('close')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'd1')) === 'in' ? route.toTask('m1') : route.toTask('close'),
      ),
  )
  .connectTask('d2', (to) =>
    to
      .task('m2')
      .task('close')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'd2')) === 'in' ? route.toTask('m2') : route.toTask('close'),
      ),
  )
  .connectTask('m1', (to) => to.task('merge'))
  .connectTask('m2', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))

/**
 * WCP-38 general synchronizing merge: one thread into the OR-join `merge` is a
 * loop (`work`, then `review` sends it back to `work` or on to `merge`). While
 * the loop can still come round to `merge`, the OR-join waits, however many
 * passes that takes; it fires once `review` says 'done'. The other thread,
 * `audit`, reaches `merge` directly.
 */
export const generalSyncMergeWorkflow = Builder.workflow('generalSyncMerge')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('ready')
  .task('audit', offeredTask('audit'))
  .task('work', offeredTask('work').withJoinType('xor'))
  .task('review', decisionTask('review', ['again', 'done']))
  .task('merge', offeredTask('merge').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('audit').condition('ready'))
  .connectCondition('ready', (to) => to.task('work'))
  .connectTask('work', (to) => to.task('review'))
  .connectTask('review', (to) =>
    to
      .condition('ready')
      .task('merge')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'review')) === 'again' ? route.toCondition('ready') : route.toTask('merge'),
      ),
  )
  .connectTask('audit', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.condition('end'))

/** WCP-7 structured synchronizing merge: an OR-split of three branches and the OR-join that closes the block. */
export const structuredSyncMergeWorkflow = orSplitJoin(3)

/**
 * An enabled OR-join that a cancellation region makes wait again: `fork`
 * marks `ca` and `cb`, so the OR-join `join` is enabled at once (no input is
 * empty). `reopen`'s region empties `ca`, and `reopen` routes to `redo`, which
 * will mark `ca` again: with `cb` still marked but `ca` reachable, `join` may
 * no longer fire and is disabled; `redo`'s completion enables it again, a new
 * generation.
 */
export const orJoinReopenWorkflow = Builder.workflow('orJoinReopen')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('ca')
  .condition('cb')
  .task('reopen', offeredTask('reopen'))
  .task('redo', offeredTask('redo'))
  .task('join', offeredTask('join').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.condition('ca').condition('cb').task('reopen'))
  .connectTask('reopen', (to) => to.task('redo'))
  .connectTask('redo', (to) => to.condition('ca'))
  .connectCondition('ca', (to) => to.task('join'))
  .connectCondition('cb', (to) => to.task('join'))
  .connectTask('join', (to) => to.condition('end'))
  .withCancellationRegion('reopen', (r) => r.condition('ca'))
  // If `join` fires before the reopening is through, `reopen` and `redo` are withdrawn: nothing is
  // left when the workflow ends.
  .withCancellationRegion('join', (r) => r.task('reopen').task('redo').condition('ca').flow('fork', 'reopen').flow('reopen', 'redo'))
