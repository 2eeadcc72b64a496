import { Builder } from '../builder'
import type { AnyWorkflowBuilder } from '../builder/compositeTask'
import { Decisions } from '../domain/choices'
import { decisionTask, offeredTask } from './basics'

/**
 * WCP-22 Recursion (Russell et al., BPM-06-22, 2006): a task whose
 * implementation is the workflow it belongs to. An assembly is planned; it is
 * either made in one piece (`make`) or decomposed, and then `subassemble`, a
 * composite task whose child is the assembly workflow itself, assembles one
 * part the same way — down to a part that is made. Each level is a child
 * workflow of the level above and completes its parent's `subassemble` when it
 * ends; failure goes up and cancel comes down through every level as for any
 * composite task (docs/semantics.md#composite-tasks).
 *
 * The child is referenced lazily, `() => assemblyWorkflow`, since the builder
 * is not defined yet where its own task is declared; the explicit return type
 * is what TypeScript needs for a type that refers to itself. Exposed by
 * convex/patterns/recursion.ts and driven by
 * tests/patterns/wcp-22-recursion.test.ts.
 */
export const assemblyWorkflow = Builder.workflow('assembly')
  .startCondition('start')
  .task('plan', decisionTask('plan', ['decompose', 'make']))
  .compositeTask(
    'subassemble',
    Builder.compositeTask((): AnyWorkflowBuilder => assemblyWorkflow).withActivities({
      onEnabled: async ({ workflow }) => {
        await workflow.initialize()
      },
    }),
  )
  .task('make', offeredTask('make'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('plan'))
  .connectTask('plan', (to) =>
    to
      .task('subassemble')
      .task('make')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'plan')) === 'decompose' ? route.toTask('subassemble') : route.toTask('make'),
      ),
  )
  .connectTask('subassemble', (to) => to.condition('end'))
  .connectTask('make', (to) => to.condition('end'))
