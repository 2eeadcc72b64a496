import { z } from 'zod'
import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'

/**
 * Nets for the workflow control-flow pattern suite (tests/patterns/, Russell
 * et al., "Workflow Control-Flow Patterns: A Revised View", 2006) where no
 * example workflow of basics.ts or scenarios.ts shows the pattern as it is.
 * Each is exposed by a module in convex/patterns/. As in basics.ts, every
 * atomic task offers one work item when it is enabled, and a decision is
 * domain state that a work item's complete action records and a route reads.
 */

/** The emergency services `dispatch` may send out. */
const SERVICES = ['police', 'fire', 'ambulance'] as const
type Service = (typeof SERVICES)[number]

/**
 * WCP-6 Multi-choice: `dispatch` completes with the services an emergency
 * call needs (`{ services: ['police', 'ambulance'] }`), records them, and its
 * OR-split routes to exactly those. The branches it activated meet again at
 * the OR-join `report`, which waits for those and no others.
 */
const dispatchWorkItem = Builder.workItem('dispatch').withActions(
  Builder.workItemActions().complete(
    z.object({ services: z.array(z.enum(SERVICES)) }),
    async ({ mutationCtx, workItem, parent }, payload) => {
      await Decisions.record(mutationCtx, parent.workflow.id, parent.task.name, payload.services.join(','))
      await workItem.complete()
    },
  ),
)

export const multiChoiceWorkflow = Builder.workflow('multiChoice')
  .startCondition('start')
  .task(
    'dispatch',
    Builder.task(dispatchWorkItem)
      .withSplitType('or')
      .withActivities({
        onEnabled: async ({ workItem }) => {
          await workItem.initialize()
        },
      }),
  )
  .task('police', offeredTask('police'))
  .task('fire', offeredTask('fire'))
  .task('ambulance', offeredTask('ambulance'))
  .task('report', offeredTask('report').withJoinType('or'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('dispatch'))
  .connectTask('dispatch', (to) =>
    to
      .task('police')
      .task('fire')
      .task('ambulance')
      .route(async ({ mutationCtx, parent, route }) => {
        const chosen = (await Decisions.get(mutationCtx, parent.workflow.id, 'dispatch')).split(',')
        return SERVICES.filter((s: Service) => chosen.includes(s)).map((s) => route.toTask(s))
      }),
  )
  .connectTask('police', (to) => to.task('report'))
  .connectTask('fire', (to) => to.task('report'))
  .connectTask('ambulance', (to) => to.task('report'))
  .connectTask('report', (to) => to.condition('end'))

/**
 * WCP-10 Arbitrary cycles: `draft` and `review` form a cycle with two ways in
 * and two ways out, so it is no structured loop. `enter` sends the case into
 * the cycle at `drafting` or at `reviewing`; `draft` submits to `reviewing` or
 * withdraws to the end, and `review` sends the draft back to `drafting` or
 * approves it to the end.
 */
export const arbitraryCyclesWorkflow = Builder.workflow('arbitraryCycles')
  .startCondition('start')
  .task('enter', decisionTask('enter', ['draft', 'review']))
  .condition('drafting')
  .condition('reviewing')
  .task('draft', decisionTask('draft', ['submit', 'withdraw']))
  .task('review', decisionTask('review', ['revise', 'approve']))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('enter'))
  .connectTask('enter', (to) =>
    to
      .condition('drafting')
      .condition('reviewing')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'enter')) === 'draft' ? route.toCondition('drafting') : route.toCondition('reviewing'),
      ),
  )
  .connectCondition('drafting', (to) => to.task('draft'))
  .connectCondition('reviewing', (to) => to.task('review'))
  .connectTask('draft', (to) =>
    to
      .condition('reviewing')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'draft')) === 'submit' ? route.toCondition('reviewing') : route.toCondition('end'),
      ),
  )
  .connectTask('review', (to) =>
    to
      .condition('drafting')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'review')) === 'revise' ? route.toCondition('drafting') : route.toCondition('end'),
      ),
  )

/**
 * WCP-19 Cancel task: `open` starts `work` and `withdraw` in parallel. When
 * `withdraw` completes, its cancellation region cancels `work`, whether it is
 * only enabled or already started, and empties `toWork`, the condition in
 * front of it. Both branches lead to the XOR-join `close`. The test also
 * cancels `work`'s work item directly.
 */
export const cancelTaskWorkflow = Builder.workflow('cancelTask')
  .startCondition('start')
  .task('open', offeredTask('open'))
  .condition('toWork')
  .task('work', offeredTask('work'))
  .task('withdraw', offeredTask('withdraw'))
  .task('close', offeredTask('close').withJoinType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('open'))
  .connectTask('open', (to) => to.condition('toWork').task('withdraw'))
  .connectCondition('toWork', (to) => to.task('work'))
  .connectTask('work', (to) => to.task('close'))
  .connectTask('withdraw', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
  .withCancellationRegion('withdraw', (r) => r.task('work').condition('toWork'))

/**
 * WCP-20 Cancel case: `receive` AND-splits to `pick`, `pack` and `label`,
 * which `ship` AND-joins. The workflow declares a custom cancel action, so a
 * client may cancel the case with `cancelRootWorkflow`; the action records the
 * reason as a decision of the pseudo-task `cancel`.
 */
export const cancelCaseWorkflow = Builder.workflow('cancelCase')
  .withActions(
    Builder.workflowActions().cancel(z.object({ reason: z.string() }), async ({ mutationCtx, workflow }, payload) => {
      await Decisions.record(mutationCtx, workflow.id, 'cancel', payload.reason)
      await workflow.cancel()
    }),
  )
  .startCondition('start')
  .task('receive', offeredTask('receive'))
  .task('pick', offeredTask('pick'))
  .task('pack', offeredTask('pack'))
  .task('label', offeredTask('label'))
  .task('ship', offeredTask('ship'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('receive'))
  .connectTask('receive', (to) => to.task('pick').task('pack').task('label'))
  .connectTask('pick', (to) => to.task('ship'))
  .connectTask('pack', (to) => to.task('ship'))
  .connectTask('label', (to) => to.task('ship'))
  .connectTask('ship', (to) => to.condition('end'))

/**
 * WCP-21 Structured loop, the pre-tested (while) form: `check` decides before
 * each pass whether `process` runs ('more', back to `ready` afterwards) or the
 * loop ends ('done'), so the body may run zero times. The post-tested (repeat)
 * form is `loopWorkflow` in basics.ts.
 */
export const whileLoopWorkflow = Builder.workflow('whileLoop')
  .startCondition('start')
  .task('receive', offeredTask('receive'))
  .condition('ready')
  .task('check', decisionTask('check', ['more', 'done']))
  .task('process', offeredTask('process'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('receive'))
  .connectTask('receive', (to) => to.condition('ready'))
  .connectCondition('ready', (to) => to.task('check'))
  .connectTask('check', (to) =>
    to
      .task('process')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'check')) === 'more' ? route.toTask('process') : route.toCondition('end'),
      ),
  )
  .connectTask('process', (to) => to.condition('ready'))

/**
 * WCP-43 Explicit termination: `accept` AND-splits to three branches that
 * each reach the end condition: `ship` and `survey` directly, `invoice`
 * through `archive`. Whichever branch marks `end` first completes the
 * workflow; the work still active in the other branches is shut down.
 */
export const explicitTerminationWorkflow = Builder.workflow('explicitTermination')
  .startCondition('start')
  .task('accept', offeredTask('accept'))
  .task('ship', offeredTask('ship'))
  .task('invoice', offeredTask('invoice'))
  .task('archive', offeredTask('archive'))
  .task('survey', offeredTask('survey'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('accept'))
  .connectTask('accept', (to) => to.task('ship').task('invoice').task('survey'))
  .connectTask('ship', (to) => to.condition('end'))
  .connectTask('invoice', (to) => to.task('archive'))
  .connectTask('archive', (to) => to.condition('end'))
  .connectTask('survey', (to) => to.condition('end'))
