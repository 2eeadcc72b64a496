import { z } from 'zod'
import { Builder } from '../builder'
import { Decisions } from '../domain/choices'

/**
 * Small workflows for the basic control-flow patterns. Each atomic task
 * offers one work item as soon as it is enabled; people (or tests) start and
 * complete it through the internal functions.
 */

/** A task whose `onEnabled` offers one work item with default (internal-only) actions. */
export function offeredTask<Name extends string>(name: Name) {
  return Builder.task(Builder.workItem(name)).withActivities({
    onEnabled: async ({ workItem }) => {
      await workItem.initialize()
    },
  })
}

/**
 * A task whose work item completes with a decision `{ choice }`, which its
 * route reads back. The complete action is custom, so clients may call it.
 */
export function decisionTask<Name extends string, const Choices extends readonly [string, ...string[]]>(name: Name, choices: Choices) {
  const workItem = Builder.workItem(name).withActions(
    Builder.workItemActions().complete(z.object({ choice: z.enum(choices) }), async ({ mutationCtx, workItem, parent }, payload) => {
      await Decisions.record(mutationCtx, parent.workflow.id, parent.task.name, payload.choice)
      await workItem.complete()
    }),
  )
  return Builder.task(workItem)
    .withSplitType('xor')
    .withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    })
}

/** WCP-1 Sequence: register → review → archive. */
export const sequenceWorkflow = Builder.workflow('sequence')
  .startCondition('start')
  .task('register', offeredTask('register'))
  .task('review', offeredTask('review'))
  .task('archive', offeredTask('archive'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('register'))
  .connectTask('register', (to) => to.task('review'))
  .connectTask('review', (to) => to.task('archive'))
  .connectTask('archive', (to) => to.condition('end'))

/** WCP-2/3 Parallel split and synchronization: a dummy task splits, `pack` AND-joins. */
export const parallelWorkflow = Builder.workflow('parallel')
  .startCondition('start')
  .dummyTask('split', Builder.dummyTask())
  .task('pick', offeredTask('pick'))
  .task('invoice', offeredTask('invoice'))
  .task('pack', offeredTask('pack').withJoinType('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('pick').task('invoice'))
  .connectTask('pick', (to) => to.task('pack'))
  .connectTask('invoice', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.condition('end'))

/** WCP-4/5 Exclusive choice and simple merge: `triage` routes to one branch, `close` XOR-joins. */
export const exclusiveChoiceWorkflow = Builder.workflow('exclusiveChoice')
  .startCondition('start')
  .task('triage', decisionTask('triage', ['repair', 'replace']))
  .task('repair', offeredTask('repair'))
  .task('replace', offeredTask('replace'))
  .task('close', offeredTask('close').withJoinType('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('triage'))
  .connectTask('triage', (to) =>
    to
      .task('repair')
      .task('replace')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'triage')) === 'repair' ? route.toTask('repair') : route.toTask('replace'),
      ),
  )
  .connectTask('repair', (to) => to.task('close'))
  .connectTask('replace', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))

/** WCP-16 Deferred choice: `offer` is taken by whichever of `accept` and `decline` starts first. */
export const deferredChoiceWorkflow = Builder.workflow('deferredChoice')
  .startCondition('start')
  .task('prepare', offeredTask('prepare'))
  .condition('offer')
  .task('accept', offeredTask('accept'))
  .task('decline', offeredTask('decline'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('prepare'))
  .connectTask('prepare', (to) => to.condition('offer'))
  .connectCondition('offer', (to) => to.task('accept').task('decline'))
  .connectTask('accept', (to) => to.condition('end'))
  .connectTask('decline', (to) => to.condition('end'))

/** WCP-10/21 Structured loop: `draft` then `check`, which sends the work back to `ready` or on to the end. */
export const loopWorkflow = Builder.workflow('loop')
  .startCondition('start')
  .task('open', offeredTask('open'))
  .condition('ready')
  .task('draft', offeredTask('draft'))
  .task('check', decisionTask('check', ['again', 'done']))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('open'))
  .connectTask('open', (to) => to.condition('ready'))
  .connectCondition('ready', (to) => to.task('draft'))
  .connectTask('draft', (to) => to.task('check'))
  .connectTask('check', (to) =>
    to
      .condition('ready')
      .condition('end')
      .route(async ({ mutationCtx, parent, route }) =>
        (await Decisions.get(mutationCtx, parent.workflow.id, 'check')) === 'again' ? route.toCondition('ready') : route.toCondition('end'),
      ),
  )
