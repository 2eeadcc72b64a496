import { z } from 'zod'
import { Builder } from '../builder'
import { ActivityLog } from '../domain/activityLog'
import { offeredTask } from './basics'

/**
 * A dynamic composite task: `review` starts child workflows of two types, chosen at run time — a
 * contract review (its initialize action takes the contract's title) and an NDA review (default
 * initialize). One of each is started when `review` is enabled, and more of either may be started
 * through `initializeWorkflow`. The default policy completes `review` once every child, of either
 * type, is final; `getStats()` counts them all. Exposed by convex/examples/documentReview.ts.
 */

/** A contract review: its title is logged when it is initialized, then `checkClauses`. */
export const contractReviewWorkflow = Builder.workflow('contractReview')
  .withActions(
    Builder.workflowActions().initialize(z.object({ title: z.string().min(1) }), async ({ mutationCtx, workflow }, payload) => {
      await workflow.initialize()
      await ActivityLog.append(mutationCtx, `contractReview initialized: ${payload.title}`)
    }),
  )
  .startCondition('start')
  .task('checkClauses', offeredTask('checkClauses'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('checkClauses'))
  .connectTask('checkClauses', (to) => to.condition('end'))

/** An NDA review: `countersign`. */
export const ndaReviewWorkflow = Builder.workflow('ndaReview')
  .startCondition('start')
  .task('countersign', offeredTask('countersign'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('countersign'))
  .connectTask('countersign', (to) => to.condition('end'))

const reviewTask = Builder.dynamicCompositeTask([contractReviewWorkflow, ndaReviewWorkflow])
  .withActivities({
    onEnabled: async ({ workflow }) => {
      await workflow.initialize.contractReview({ title: 'Master services agreement' })
      await workflow.initialize.ndaReview()
    },
    onWorkflowStateChanged: async ({ mutationCtx, workflow }) => {
      await ActivityLog.append(mutationCtx, `review saw ${workflow.name} ${workflow.prevState} → ${workflow.nextState}`)
    },
  })
  // Logs what the default policy decides from: the counts of every child of the generation, both types.
  .withPolicy(async ({ mutationCtx, workflow, transition, task }) => {
    const { initialized, started, completed, failed, canceled, total } = await task.getStats()
    await ActivityLog.append(
      mutationCtx,
      `review policy on ${workflow.name} ${transition.nextState}: ${completed} completed, ${initialized + started} open, ${failed + canceled} failed or canceled, ${total} in all`,
    )
  })

/** `review` (dynamic composite: contract and NDA reviews), then `archive`. */
export const documentReviewWorkflow = Builder.workflow('documentReview')
  .startCondition('start')
  .compositeTask('review', reviewTask)
  .task('archive', offeredTask('archive'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('archive'))
  .connectTask('archive', (to) => to.condition('end'))
