import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'

/**
 * Small nets for the workflow control-flow patterns of Russell, ter Hofstede,
 * van der Aalst and Mulyar, "Workflow Control-Flow Patterns: A Revised View"
 * (BPM Center Report BPM-06-22, 2006): the discriminators, the state-based
 * patterns (mutex and milestone), cancel region and the generalized AND-join.
 * Each is exposed by a module in convex/patterns/ and driven by
 * tests/patterns/wcp-NN-*.test.ts. Atomic tasks offer one work item as soon as
 * they are enabled (`offeredTask`); dummy tasks route without work.
 */

/**
 * WCP-9 structured discriminator. `fork` opens three branches and marks
 * `armed`, the discriminator's bookkeeping token. Every branch, when it
 * completes, marks `signal` and its own `arrivedN`. The dummy task
 * `discriminator` AND-joins `signal` and `armed`: the first arrival fires it
 * (control passes to `next` at once) and takes `armed`, so later arrivals only
 * pile up in `signal`. `reset` AND-joins the three `arrivedN`: once every
 * branch has arrived it fires, and its cancellation region empties `signal`,
 * the ignored arrivals. `again` waits for `next` and `reset`, then sends the
 * work round once more (`ready`, where `fork` marks `armed` afresh) or ends it.
 */
export const structuredDiscriminatorWorkflow = Builder.workflow('structuredDiscriminator')
  .startCondition('start')
  .condition('ready')
  .dummyTask('fork', Builder.dummyTask().withJoinType('xor'))
  .task('b1', offeredTask('b1'))
  .task('b2', offeredTask('b2'))
  .task('b3', offeredTask('b3'))
  .condition('armed')
  .condition('signal')
  .condition('arrived1')
  .condition('arrived2')
  .condition('arrived3')
  .dummyTask('discriminator', Builder.dummyTask())
  .task('next', offeredTask('next'))
  .dummyTask('reset', Builder.dummyTask())
  .task('again', decisionTask('again', ['again', 'done']))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectCondition('ready', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('b1').task('b2').task('b3').condition('armed'))
  .connectTask('b1', (to) => to.condition('signal').condition('arrived1'))
  .connectTask('b2', (to) => to.condition('signal').condition('arrived2'))
  .connectTask('b3', (to) => to.condition('signal').condition('arrived3'))
  .connectCondition('signal', (to) => to.task('discriminator'))
  .connectCondition('armed', (to) => to.task('discriminator'))
  .connectTask('discriminator', (to) => to.task('next'))
  .connectCondition('arrived1', (to) => to.task('reset'))
  .connectCondition('arrived2', (to) => to.task('reset'))
  .connectCondition('arrived3', (to) => to.task('reset'))
  .connectTask('next', (to) => to.task('again'))
  .connectTask('reset', (to) => to.task('again'))
  .connectTask('again', (to) =>
    to
      .condition('ready')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'again')) === 'again' ? route.toCondition('ready') : route.toCondition('end'),
      ),
  )
  .withCancellationRegion('reset', (r) => r.condition('signal'))

/**
 * WCP-29 cancelling discriminator. `fork` opens three branches through the
 * explicit conditions `in1`–`in3`. The dummy task `discriminator` XOR-joins
 * the branches, so the first one to complete fires it at once; its
 * cancellation region withdraws the other branches — the tasks `b1`–`b3`
 * (whichever are enabled or started) and their input conditions, so a branch
 * that never started leaves no token behind. Control passes to `next`.
 */
export const cancellingDiscriminatorWorkflow = Builder.workflow('cancellingDiscriminator')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('in1')
  .condition('in2')
  .condition('in3')
  .task('b1', offeredTask('b1'))
  .task('b2', offeredTask('b2'))
  .task('b3', offeredTask('b3'))
  .dummyTask('discriminator', Builder.dummyTask().withJoinType('xor'))
  .task('next', offeredTask('next'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.condition('in1').condition('in2').condition('in3'))
  .connectCondition('in1', (to) => to.task('b1'))
  .connectCondition('in2', (to) => to.task('b2'))
  .connectCondition('in3', (to) => to.task('b3'))
  .connectTask('b1', (to) => to.task('discriminator'))
  .connectTask('b2', (to) => to.task('discriminator'))
  .connectTask('b3', (to) => to.task('discriminator'))
  .connectTask('discriminator', (to) => to.task('next'))
  .connectTask('next', (to) => to.condition('end'))
  .withCancellationRegion('discriminator', (r) =>
    r.task('b1').task('b2').task('b3').condition('in1').condition('in2').condition('in3'),
  )

/**
 * WCP-17 interleaved parallel routing. `fork` opens two threads, `a1 → a2`
 * (a partial order) and `b1`, and puts one token into `mutex`. Every task
 * AND-joins its thread's input with `mutex` and gives the token back when it
 * completes, so no two of them run at the same time. `close` AND-joins both
 * threads and takes the mutex back, leaving nothing behind.
 */
export const interleavedParallelRoutingWorkflow = Builder.workflow('interleavedParallelRouting')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('mutex')
  .task('a1', offeredTask('a1'))
  .task('a2', offeredTask('a2'))
  .task('b1', offeredTask('b1'))
  .task('close', offeredTask('close'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('a1').task('b1').condition('mutex'))
  .connectCondition('mutex', (to) => to.task('a1').task('a2').task('b1').task('close'))
  .connectTask('a1', (to) => to.task('a2').condition('mutex'))
  .connectTask('a2', (to) => to.task('close').condition('mutex'))
  .connectTask('b1', (to) => to.task('close').condition('mutex'))
  .connectTask('close', (to) => to.condition('end'))

/**
 * WCP-40 interleaved routing: `a`, `b` and `c` each run once, in any order,
 * never two at once. Each AND-joins its input with `mutex` and gives it back;
 * `close` follows once all three are done and takes the mutex back.
 */
export const interleavedRoutingWorkflow = Builder.workflow('interleavedRouting')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('mutex')
  .task('a', offeredTask('a'))
  .task('b', offeredTask('b'))
  .task('c', offeredTask('c'))
  .task('close', offeredTask('close'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('a').task('b').task('c').condition('mutex'))
  .connectCondition('mutex', (to) => to.task('a').task('b').task('c').task('close'))
  .connectTask('a', (to) => to.task('close').condition('mutex'))
  .connectTask('b', (to) => to.task('close').condition('mutex'))
  .connectTask('c', (to) => to.task('close').condition('mutex'))
  .connectTask('close', (to) => to.condition('end'))

/**
 * WCP-39 critical section: two threads each contain a critical section of two
 * tasks, `a1 → a2` and `b1 → b2`. The first task of a section AND-joins
 * `mutex` and the last one gives it back; the task in between does not touch
 * it, so the mutex is held for the whole section. `b0`, before section B, is
 * not critical and runs whenever it likes. `close` AND-joins both threads and
 * takes the mutex back.
 */
export const criticalSectionWorkflow = Builder.workflow('criticalSection')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('mutex')
  .task('a1', offeredTask('a1'))
  .task('a2', offeredTask('a2'))
  .task('b0', offeredTask('b0'))
  .task('b1', offeredTask('b1'))
  .task('b2', offeredTask('b2'))
  .task('close', offeredTask('close'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('a1').task('b0').condition('mutex'))
  .connectCondition('mutex', (to) => to.task('a1').task('b1').task('close'))
  .connectTask('a1', (to) => to.task('a2'))
  .connectTask('a2', (to) => to.task('close').condition('mutex'))
  .connectTask('b0', (to) => to.task('b1'))
  .connectTask('b1', (to) => to.task('b2'))
  .connectTask('b2', (to) => to.task('close').condition('mutex'))
  .connectTask('close', (to) => to.condition('end'))

/**
 * WCP-18 milestone: a parcel can be redirected (`amend`) only while it is in
 * transit. `ship` marks the milestone condition `inTransit`; `deliver` takes
 * that token for good. A change request (`requestChange`, in parallel) marks
 * `changeRequested`; `amend` AND-joins it with `inTransit` and puts the
 * milestone token back, so it can happen only between shipping and delivery.
 */
export const milestoneWorkflow = Builder.workflow('milestone')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .task('ship', offeredTask('ship'))
  .task('requestChange', offeredTask('requestChange'))
  .condition('inTransit')
  .condition('changeRequested')
  .task('deliver', offeredTask('deliver'))
  .task('amend', offeredTask('amend'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('ship').task('requestChange'))
  .connectTask('ship', (to) => to.condition('inTransit'))
  .connectTask('requestChange', (to) => to.condition('changeRequested'))
  .connectCondition('inTransit', (to) => to.task('deliver').task('amend'))
  .connectCondition('changeRequested', (to) => to.task('amend'))
  .connectTask('amend', (to) => to.condition('inTransit'))
  .connectTask('deliver', (to) => to.condition('end'))

/**
 * WCP-25 cancel region: a document is drafted and reviewed in one thread and
 * translated in another; `publish` AND-joins both. `withdraw`, offered in
 * parallel, withdraws all of that work: its cancellation region holds the
 * tasks `draft`, `review`, `translate` and `publish` (two threads that are not
 * connected to each other) and every condition between them, which are all
 * explicit so the region can empty them. `withdraw` then routes to `archive`.
 */
export const cancelRegionPatternWorkflow = Builder.workflow('cancelRegionPattern')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .condition('toDraft')
  .condition('drafted')
  .condition('reviewed')
  .condition('toTranslate')
  .condition('translated')
  .task('draft', offeredTask('draft'))
  .task('review', offeredTask('review'))
  .task('translate', offeredTask('translate'))
  .task('publish', offeredTask('publish'))
  .task('withdraw', offeredTask('withdraw'))
  .task('archive', offeredTask('archive'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.condition('toDraft').condition('toTranslate').task('withdraw'))
  .connectCondition('toDraft', (to) => to.task('draft'))
  .connectTask('draft', (to) => to.condition('drafted'))
  .connectCondition('drafted', (to) => to.task('review'))
  .connectTask('review', (to) => to.condition('reviewed'))
  .connectCondition('toTranslate', (to) => to.task('translate'))
  .connectTask('translate', (to) => to.condition('translated'))
  .connectCondition('reviewed', (to) => to.task('publish'))
  .connectCondition('translated', (to) => to.task('publish'))
  .connectTask('publish', (to) => to.condition('end'))
  .connectTask('withdraw', (to) => to.task('archive'))
  .connectTask('archive', (to) => to.condition('end'))
  .withCancellationRegion('withdraw', (r) =>
    r
      .task('draft')
      .task('review')
      .task('translate')
      .task('publish')
      .condition('toDraft')
      .condition('drafted')
      .condition('reviewed')
      .condition('toTranslate')
      .condition('translated'),
  )

/**
 * WCP-33 generalized AND-join: `l1` and `l2` both deliver into `left`, `r1`
 * and `r2` into `right`, so each input of the AND-join `sync` can hold two
 * tokens. `sync` fires once per complete set — one token from each input —
 * and the tokens left over stay for its next firing. Each firing hands one
 * token to `pack`.
 */
export const generalizedAndJoinWorkflow = Builder.workflow('generalizedAndJoin')
  .startCondition('start')
  .dummyTask('fork', Builder.dummyTask())
  .task('l1', offeredTask('l1'))
  .task('l2', offeredTask('l2'))
  .task('r1', offeredTask('r1'))
  .task('r2', offeredTask('r2'))
  .condition('left')
  .condition('right')
  .task('sync', offeredTask('sync').withJoinType('and'))
  .task('pack', offeredTask('pack'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('fork'))
  .connectTask('fork', (to) => to.task('l1').task('l2').task('r1').task('r2'))
  .connectTask('l1', (to) => to.condition('left'))
  .connectTask('l2', (to) => to.condition('left'))
  .connectTask('r1', (to) => to.condition('right'))
  .connectTask('r2', (to) => to.condition('right'))
  .connectCondition('left', (to) => to.task('sync'))
  .connectCondition('right', (to) => to.task('sync'))
  .connectTask('sync', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.condition('end'))
