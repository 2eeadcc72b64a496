import { tasknetError } from '../errors'
import type { NetDefinition, TaskNode } from '../net/definition'
import { joinHolds } from '../net/semantics'
import type { Reason } from './agenda'
import { decideOrJoin, orJoinsOf } from './orJoins'
import type { Step } from './step'
import type { TaskRecord, WorkflowRecord } from './store'
import { disableTask, enableTask } from './tasks'
import { completeWorkflow } from './workflows'

/**
 * Settling (docs/semantics.md#settling): after every change a step makes to a workflow's
 * marking or to its started tasks, the enabling invariant is restored — every task that is not
 * started is enabled exactly when its join holds. "Enabled" is a consequence of the marking,
 * never a remembered event, so a task canceled, completed or failed whose join holds again is
 * enabled in a new generation, and one whose join no longer holds is disabled.
 *
 * Only the tasks on the step's agenda are decided (`agenda.ts`): those whose inputs changed, those
 * that left `enabled` or `started`, and, in a net with OR-joins, the OR-joins. In order:
 * 1. the end condition holds a token: the workflow completes, nothing else is enabled;
 * 2. a dummy task whose join holds fires and exits at once (the first in declaration order: it may
 *    take tokens another needed), and settling starts over;
 * 3. otherwise the other tasks, in declaration order, are enabled or disabled as their joins say.
 * Exits and firings never enable anything themselves; they only change the marking and put what
 * they touched on the agenda, so no decision is taken on a half-written state.
 */
export async function settle(step: Step, workflow: WorkflowRecord): Promise<void> {
  await step.agenda.settleOnce(workflow._id, async () => {
    const net = step.definitionOf(workflow).net
    let dummies = 0
    for (;;) {
      if (workflow.state !== 'initialized' && workflow.state !== 'started') return
      if ((step.store.loadedMarking(workflow._id, net.endCondition) ?? 0) > 0) {
        await completeWorkflow(step, workflow)
        return
      }
      if (step.agenda.takeChange(workflow._id)) {
        for (const orJoin of orJoinsOf(net)) step.agenda.add(workflow._id, orJoin.name, 'elsewhere')
      }
      const pending = [...step.agenda.pendingOf(workflow._id)].sort(([a], [b]) => orderOf(net, a) - orderOf(net, b))
      if (pending.length === 0) return
      const dummy = await firstDummyToFire(step, workflow, pending)
      if (dummy) {
        if (++dummies > maxDummyFirings) {
          throw tasknetError(
            'LIMIT_EXCEEDED',
            `Workflow ${workflow._id} ('${workflow.name}') fired dummy tasks ${maxDummyFirings} times in one step, the last '${dummy}': a loop of dummy tasks that never reaches a task with work would never end. Nothing was written.`,
            { workflowId: workflow._id, taskName: dummy, limit: maxDummyFirings },
          )
        }
        await enableTask(step, workflow, dummy)
        continue
      }
      const next = pending.find(([name]) => net.tasks[name]!.kind !== 'dummy')
      // Only dummies were on the agenda, and none may fire: they have left it, so settling is done.
      if (!next) continue
      const [name, reason] = next
      step.agenda.remove(workflow._id, name)
      await reconcile(step, workflow, net.tasks[name]!, reason)
    }
  })
}

/**
 * The first dummy task on the agenda whose join holds; dummies whose join does not hold leave the
 * agenda (a dummy is never left enabled, so there is nothing to disable).
 */
async function firstDummyToFire(step: Step, workflow: WorkflowRecord, pending: Array<[string, Reason]>): Promise<string | undefined> {
  const net = step.definitionOf(workflow).net
  for (const [name] of pending) {
    const node = net.tasks[name]!
    if (node.kind !== 'dummy') continue
    step.agenda.remove(workflow._id, name)
    const task = await step.store.task(workflow._id, name)
    if (task && task.state !== 'started' && (await joinHoldsNow(step, workflow, node, task))) return name
  }
  return undefined
}

/** Enables or disables one non-dummy task so that its state agrees with its join. */
async function reconcile(step: Step, workflow: WorkflowRecord, node: TaskNode, reason: Reason): Promise<void> {
  const task = await step.store.task(workflow._id, node.name)
  const state = task?.state ?? 'disabled'
  if (state === 'started') return
  // An enabled OR-join stays enabled until its own inputs change: nothing elsewhere can make an
  // empty input reachable again (the decision already explored every future of the workflow).
  if (state === 'enabled' && reason === 'elsewhere') return
  const holds = task !== null && (await joinHoldsNow(step, workflow, node, task))
  if (holds && state !== 'enabled') await enableTask(step, workflow, node.name)
  else if (!holds && state === 'enabled') await disableTask(step, workflow, task!)
}

/**
 * The join of `node` on the current marking, from the task's count of marked inputs
 * (`joinHolds`); an OR-join that has a marked input is decided first, since that decision reads
 * the workflow.
 */
async function joinHoldsNow(step: Step, workflow: WorkflowRecord, node: TaskNode, task: TaskRecord): Promise<boolean> {
  const decided = node.joinType === 'or' && task.markedInputs > 0 && (await decideOrJoin(step, workflow, node, task))
  return joinHolds(node, task.markedInputs, () => decided)
}

/**
 * Dummy tasks one step may fire in one workflow. A dummy fires as soon as its join holds, so a
 * cycle of dummy tasks whose routes keep choosing the cycle would run until Convex kills the
 * mutation; this stops it first with an error that names the loop.
 */
export const maxDummyFirings = 1_000

const orders = new WeakMap<NetDefinition, ReadonlyMap<string, number>>()

/** A task's position in the net's declaration order. */
function orderOf(net: NetDefinition, task: string): number {
  let order = orders.get(net)
  if (!order) orders.set(net, (order = new Map(Object.keys(net.tasks).map((name, i) => [name, i]))))
  return order.get(task)!
}
