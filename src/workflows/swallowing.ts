import { z } from 'zod'
import { Builder } from '../builder'
import { Decisions } from '../domain/choices'
import { Faults } from '../domain/faults'
import { offeredTask } from './basics'

/**
 * Callbacks that catch the errors of the engine functions they call (tests/integration/swallowed-errors.test.ts).
 * A failed engine call fails the step whatever the callback does with the error, so none of these
 * commits a half-applied step.
 *
 * `sort`'s complete action records `{ choice }` and swallows the error of `workItem.complete()`;
 * its route sends `keep` to `archive`, `pack` to `pack`, and answers `stray` with a target that is
 * not one of its flows (`INVALID_ROUTE`). `pack`'s `onEnabled` swallows the error of the child
 * initializer; the child's `onInitialized` throws when the fault `swallowedChild.onInitialized` is
 * armed (src/domain/faults.ts). The workflow's cancel action swallows the error of `workflow.cancel()`;
 * `sort`'s `onCanceled` throws when `sort.onCanceled` is armed.
 */

const swallow = async (call: () => Promise<unknown>) => {
  try {
    await call()
  } catch {
    // swallowed on purpose
  }
}

const sortWorkItem = Builder.workItem('sort').withActions(
  Builder.workItemActions().complete(
    z.object({ choice: z.enum(['keep', 'pack', 'stray']) }),
    async ({ mutationCtx, workItem, parent }, payload) => {
      await Decisions.record(mutationCtx, parent.workflow.id, 'sort', payload.choice)
      await swallow(() => workItem.complete())
    },
  ),
)

export const swallowedChildWorkflow = Builder.workflow('swallowedChild')
  .withActivities({ onInitialized: ({ mutationCtx }) => Faults.at(mutationCtx, 'swallowedChild.onInitialized') })
  .startCondition('start')
  .task('y', offeredTask('y'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('y'))
  .connectTask('y', (to) => to.condition('end'))

export const swallowingWorkflow = Builder.workflow('swallowing')
  .withActions(Builder.workflowActions().cancel(z.never(), ({ workflow }) => swallow(() => workflow.cancel())))
  .startCondition('start')
  .task(
    'sort',
    Builder.task(sortWorkItem)
      .withSplitType('xor')
      .withActivities({
        onEnabled: async ({ workItem }) => void (await workItem.initialize()),
        onCanceled: ({ mutationCtx }) => Faults.at(mutationCtx, 'sort.onCanceled'),
      }),
  )
  .task('archive', offeredTask('archive'))
  .compositeTask(
    'pack',
    Builder.compositeTask(swallowedChildWorkflow).withActivities({
      onEnabled: ({ workflow }) => swallow(() => workflow.initialize()),
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('sort'))
  .connectTask('sort', (to) =>
    to
      .task('archive')
      .task('pack')
      .route(async ({ mutationCtx, parent, route }) => {
        const choice = await Decisions.get(mutationCtx, parent.workflow.id, 'sort')
        if (choice === 'stray') return route.toTask('nowhere' as 'archive')
        return choice === 'pack' ? route.toTask('pack') : route.toTask('archive')
      }),
  )
  .connectTask('archive', (to) => to.condition('end'))
  .connectTask('pack', (to) => to.condition('end'))
