import { Builder } from '../builder'
import { offeredTask } from './basics'

/**
 * Nets where enabling has to follow the marking (docs/semantics.md#enabling): each was once left
 * stuck, or had a legal step refused, by an engine that remembered "enabled" as an event instead
 * of deriving it. Exposed by modules in convex/examples/ for tests/integration/enabling.test.ts.
 */

/**
 * `a` starts `b`, `c` and `k` in parallel; the OR-join `j` synchronises them. `k`'s region names the
 * enabled task `c`: canceling it withdraws the token in `a__to__c` too, so `j` stops waiting for a
 * branch that can no longer arrive and the workflow completes once `j` does.
 */
export const regionWithdrawWorkflow = Builder.workflow('regionWithdraw')
  .startCondition('start')
  .task('a', offeredTask('a'))
  .task('b', offeredTask('b'))
  .task('c', offeredTask('c'))
  .task('k', offeredTask('k'))
  .task('j', offeredTask('j').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a'))
  .connectTask('a', (to) => to.task('b').task('c').task('k'))
  .connectTask('b', (to) => to.task('j'))
  .connectTask('c', (to) => to.task('j'))
  .connectTask('k', (to) => to.task('j'))
  .connectTask('j', (to) => to.condition('end'))
  .withCancellationRegion('k', (r) => r.task('c'))

/**
 * A loop through a dummy task: `t4` (XOR-join, AND-split) feeds the dummy `t2`, which leads back to
 * `t4`, and the dummy OR-join `t3`, which leads to the end. Completing `t4` completes the workflow:
 * `t2` fires and marks `t2__to__t4`, then `t3` fires and marks the end before `t4` is offered again.
 */
export const dummyLoopWorkflow = Builder.workflow('dummyLoop')
  .startCondition('start')
  .task('t4', offeredTask('t4').withJoinType('xor').withSplitType('and'))
  .dummyTask('t2', Builder.dummyTask())
  .dummyTask('t3', Builder.dummyTask().withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('t4'))
  .connectTask('t4', (to) => to.task('t2').task('t3'))
  .connectTask('t2', (to) => to.task('t4'))
  .connectTask('t3', (to) => to.condition('end'))

/**
 * A region cancels a started XOR-join whose other (explicit) input still holds a token: `merge`
 * took `left`'s token, `halt` cancels it, and since `right` still holds one, `merge` is enabled
 * again in a new generation; the AND-join `sync` after it can still be reached.
 */
export const regionXorJoinWorkflow = Builder.workflow('regionXorJoin')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .task('p', offeredTask('p'))
  .task('q', offeredTask('q'))
  .task('halt', offeredTask('halt'))
  .condition('left')
  .condition('right')
  .task('merge', offeredTask('merge').withJoinType('xor'))
  .task('sync', offeredTask('sync').withJoinType('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('p').task('q').task('halt'))
  .connectTask('p', (to) => to.condition('left'))
  .connectTask('q', (to) => to.condition('right'))
  .connectCondition('left', (to) => to.task('merge'))
  .connectCondition('right', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.task('sync'))
  .connectTask('halt', (to) => to.task('sync'))
  .connectTask('sync', (to) => to.condition('end'))
  .withCancellationRegion('halt', (r) => r.task('merge'))

/**
 * A region empties an input of an OR-join that was never enabled: `k` empties `x`, one of `j`'s
 * inputs, while `j` still waits for `a`. Once `a` completes, `j` may fire on `a`'s and `k`'s tokens.
 */
export const regionOrJoinInputWorkflow = Builder.workflow('regionOrJoinInput')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('x')
  .task('a', offeredTask('a'))
  .task('k', offeredTask('k'))
  .task('j', offeredTask('j').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.condition('x').task('a').task('k'))
  .connectCondition('x', (to) => to.task('j'))
  .connectTask('a', (to) => to.task('j'))
  .connectTask('k', (to) => to.task('j'))
  .connectTask('j', (to) => to.condition('end'))
  .withCancellationRegion('k', (r) => r.condition('x'))

/**
 * An OR-join whose decision once never returned: `t3` waits on `t5__to__t3` and on `t6`, whose
 * region empties `t5__to__t3`; `t6` can only run after `t8`, an AND-join that needs `t3`'s own
 * output. So after `t5` completes nothing can mark `t3`'s empty input while its marked one keeps
 * its token, and `t3` is enabled at once.
 */
export const orJoinBoundedWorkflow = Builder.workflow('orJoinBounded')
  .startCondition('start')
  .task('t5', offeredTask('t5').withJoinType('xor'))
  .task('t3', offeredTask('t3').withJoinType('or'))
  .task('t8', offeredTask('t8').withJoinType('and'))
  .condition('c0')
  .condition('c1')
  .condition('c2')
  .task('t6', offeredTask('t6'))
  .task('t7', offeredTask('t7'))
  .task('t2', offeredTask('t2'))
  .task('t0', offeredTask('t0').withJoinType('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('t5'))
  .connectTask('t5', (to) => to.task('t8').task('t3'))
  .connectTask('t3', (to) => to.task('t8'))
  .connectTask('t8', (to) => to.condition('c1').condition('c0').task('t2'))
  .connectCondition('c1', (to) => to.task('t6'))
  .connectTask('t6', (to) => to.task('t3'))
  .connectCondition('c0', (to) => to.task('t7'))
  .connectTask('t7', (to) => to.task('t0'))
  .connectTask('t2', (to) => to.condition('c2'))
  .connectCondition('c2', (to) => to.task('t0'))
  .connectTask('t0', (to) => to.condition('end').task('t5'))
  .withCancellationRegion('t6', (r) => r.flow('t5', 't3'))

/**
 * A cycle of dummy tasks whose route never leaves it: after `a`, `spin` and `turn` would fire each
 * other for ever inside one mutation. The engine stops it with LIMIT_EXCEEDED instead.
 */
export const dummyCycleWorkflow = Builder.workflow('dummyCycle')
  .startCondition('start')
  .task('a', offeredTask('a'))
  .dummyTask('spin', Builder.dummyTask().withJoinType('xor'))
  .dummyTask('turn', Builder.dummyTask().withSplitType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a'))
  .connectTask('a', (to) => to.task('spin'))
  .connectTask('spin', (to) => to.task('turn'))
  .connectTask('turn', (to) =>
    to
      .task('spin')
      .condition('end')
      .route(async ({ route }) => route.toTask('spin')),
  )

/**
 * A dummy task that routes away releases a dummy OR-join that reaches the end: `a` feeds the OR-join
 * `j` and the dummy `d`; `d` routes to `z` instead of `j`, so `j` waits for nothing more, fires and
 * marks the end. The workflow completes in that step, after `d`'s exit is over; `t`, enabled by
 * `z`, is never offered.
 */
export const dummyReleasesOrJoinWorkflow = Builder.workflow('dummyReleasesOrJoin')
  .startCondition('start')
  .task('a', offeredTask('a'))
  .dummyTask('d', Builder.dummyTask().withSplitType('xor'))
  .condition('z')
  .task('t', offeredTask('t'))
  .dummyTask('j', Builder.dummyTask().withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a'))
  .connectTask('a', (to) => to.task('j').task('d'))
  .connectTask('d', (to) =>
    to
      .task('j')
      .condition('z')
      .route(async ({ route }) => route.toCondition('z')),
  )
  .connectCondition('z', (to) => to.task('t'))
  .connectTask('t', (to) => to.condition('end'))
  .connectTask('j', (to) => to.condition('end'))
