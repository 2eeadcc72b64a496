import { z } from 'zod/v4'
import { Builder } from '../builder'
import type { WorkflowDefinition } from '../builder/definition'
import type { SagaDefinition, StepDefinition } from './define'
import { checkedSaga } from './define'
import { compensationTask as compensationTaskOf } from './compensation'
import { compensationPredecessors, successorsOf } from './order'
import { ABORT, BEGIN, CANCEL, CONCLUDE, FINISH, compensationTask } from './names'
import * as run from './runtime'
import type { SagaBinding } from './runtime'

/**
 * The net a saga compiles to (docs/sagas.md#the-net). One task per step, and per step with a
 * compensation one `compensate_<step>` task, plus five of the saga's own:
 *
 *   start → saga_begin ─AND→ the first steps … each step ─→ the steps after it … the last steps ─AND→ saga_finish → end
 *                     └─→ saga_cancel ─┐           └─ (a failed step) ─┐
 *                                      └──────────XOR─→ saga_abort ─AND→ compensate_* … ─AND→ saga_conclude → end
 *
 * - A step's route sends the token on to the steps after it when its record says `completed`, and to
 *   `saga_abort` otherwise (its work item failed, or a local action threw; the policy turns that failure into
 *   a completion so the route can decide).
 * - `saga_cancel` holds one work item from the start: `cancelSaga` completes it, and so does the saga's
 *   deadline. Its token also goes to `saga_abort`. `saga_finish` cancels it when every step completed.
 * - `saga_abort` (an XOR-join: the first failure, cancel or deadline) cancels every forward task and empties
 *   every forward condition (a cancellation region), then enables the compensations with no predecessor.
 * - The compensation tasks are wired in the saga's order; each one compensates its step, or records it as
 *   skipped when the step never completed (so the net is the same whichever steps ran).
 * - `saga_conclude` records the outcome and fails its work item, so a compensated saga's workflow ends
 *   `failed` (docs/sagas.md#outcomes); a completed saga's ends `completed`.
 */


// The Builder's literal name types cannot follow names computed from a saga (as tests/support/serviceCost.ts).
type Flows = { task(name: string): Flows; condition(name: string): Flows; route(fn: unknown, options?: unknown): Flows }
type Region = { task(name: string): Region; condition(name: string): Region; flow(from: string, to: string): Region }
type Net = {
  withActions(actions: unknown): Net
  withActivities(activities: unknown): Net
  startCondition(name: string): Net
  endCondition(name: string): Net
  task(name: string, task: unknown): Net
  dummyTask(name: string, task: unknown): Net
  compositeTask(name: string, task: unknown): Net
  connectCondition(name: string, flows: (to: Flows) => Flows): Net
  connectTask(name: string, flows: (to: Flows) => Flows): Net
  withCancellationRegion(task: string, region: (r: Region) => Region): Net
  build(): WorkflowDefinition
}

/** Compiles a checked saga; `binding` is filled in by `sagaApi` with where its own functions are. */
export function compileSaga(saga: SagaDefinition, binding: SagaBinding): unknown {
  checkedSaga(saga)
  const { steps, options } = saga
  const next = successorsOf(steps)
  const firsts = steps.filter((s) => s.after.length === 0).map((s) => s.name)
  const predecessors = compensationPredecessors(steps, options.order)
  const compensable = steps.filter((s) => s.compensate)
  const followers = new Map(compensable.map((s) => [s.name, [] as string[]]))
  for (const [name, before] of predecessors) for (const b of before) followers.get(b)!.push(name)
  const firstCompensations = compensable.filter((s) => predecessors.get(s.name)!.length === 0).map((s) => compensationTask(s.name))
  const lastCompensations = compensable.filter((s) => followers.get(s.name)!.length === 0).map((s) => compensationTask(s.name))

  let net = (Builder.workflow(saga.name) as unknown as Net)
    .withActions(
      Builder.workflowActions().initialize((saga.input ?? z.unknown()) as z.ZodType, async ({ mutationCtx, workflow }, input) => {
        const workflowId = await workflow.initialize()
        await run.sagaStarted(mutationCtx, saga, binding, workflowId, input)
      }),
    )
    .startCondition('start')
    .endCondition('end')
    .dummyTask(BEGIN, Builder.dummyTask())
    .task(CANCEL, run.cancelTask(saga))
    .dummyTask(FINISH, Builder.dummyTask().withActivities({ onCompleted: ({ mutationCtx, parent }: run.ParentCtx) => run.sagaCompleted(mutationCtx, binding, parent.workflow.id) }))
    .dummyTask(ABORT, Builder.dummyTask().withJoinType('xor'))
    .task(CONCLUDE, run.concludeTask(binding))

  const onwardOf = (step: StepDefinition) => (next.get(step.name)!.length === 0 ? [FINISH] : next.get(step.name)!)
  for (const step of steps) {
    net = step.child ? net.compositeTask(step.name, run.childSagaTask(saga, step, onwardOf(step))) : net.task(step.name, run.forwardTask(saga, step, onwardOf(step)))
  }
  for (const step of compensable) net = net.task(compensationTask(step.name), compensationTaskOf(saga, step, binding))

  net = net
    .connectCondition('start', (to) => to.task(BEGIN))
    .connectTask(BEGIN, (to) => [...firsts, CANCEL].reduce((flows, t) => flows.task(t), to))
    .connectTask(CANCEL, (to) => to.task(ABORT))
    .connectTask(FINISH, (to) => to.condition('end'))
    .connectTask(ABORT, (to) => (firstCompensations.length > 0 ? firstCompensations : [CONCLUDE]).reduce((flows, t) => flows.task(t), to))
    .connectTask(CONCLUDE, (to) => to.condition('end'))
  for (const step of steps) {
    const onward = onwardOf(step)
    // After the pivot a failed step starts again (a loop on itself) instead of aborting.
    const onFailure = step.retriesForward ? step.name : ABORT
    net = net.connectTask(step.name, (to) =>
      [...onward, onFailure]
        .reduce((flows, t) => flows.task(t), to)
        .route(run.forwardRoute(step.name, onward, onFailure), { targetSets: [onward, [onFailure]] }),
    )
  }
  // The pivot's completion withdraws the cancel (and its deadline): the saga can no longer compensate.
  const pivot = steps.find((s) => s.pivot)
  if (pivot) net = net.withCancellationRegion(pivot.name, (r) => r.task(CANCEL).flow(BEGIN, CANCEL))
  for (const step of compensable) {
    const after = followers.get(step.name)!.map(compensationTask)
    net = net.connectTask(compensationTask(step.name), (to) => (lastCompensations.includes(compensationTask(step.name)) ? [...after, CONCLUDE] : after).reduce((flows, t) => flows.task(t), to))
  }

  // Completing every step leaves the cancel work item behind: it goes with FINISH.
  net = net.withCancellationRegion(FINISH, (r) => r.task(CANCEL).flow(BEGIN, CANCEL))
  // The first failure, cancel or deadline stops the forward part: every step's task, every token between
  // them, the cancel work item, and the tokens other failures left in front of ABORT.
  net = net.withCancellationRegion(ABORT, (r) => {
    let region = r.task(CANCEL).flow(BEGIN, CANCEL).flow(CANCEL, ABORT)
    for (const first of firsts) region = region.flow(BEGIN, first)
    for (const step of steps) {
      region = region.task(step.name)
      if (!step.retriesForward) region = region.flow(step.name, ABORT)
      for (const onward of onwardOf(step)) region = region.flow(step.name, onward)
    }
    return region
  })
  return net
}

export { compensationPredecessors }
