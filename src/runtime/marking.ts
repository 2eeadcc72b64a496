import type { NetDefinition } from '../net/definition'
import type { Step } from './step'
import type { WorkflowRecord } from './store'

/**
 * Every change of a marking goes through here, so that what depends on it stays true in the
 * same step: each task after the condition keeps its count of marked inputs
 * (`tasknet_tasks.markedInputs`), and the tasks whose enabling may have changed join the step's
 * agenda. A count changes only when a condition gains its first token or loses its last, so a
 * join is decided from its own document whatever its fan-in.
 */
export async function setMarking(step: Step, workflow: WorkflowRecord, condition: string, marking: number): Promise<void> {
  const record = await step.store.condition(workflow._id, condition)
  const before = record.marking
  if (marking === before) return
  if (marking < 0) throw new Error(`Condition '${condition}' of workflow ${workflow._id} would hold ${marking} tokens.`)
  step.store.update(record, { marking })
  step.agenda.noteChange(workflow._id)
  if (before > 0 === marking > 0) return
  const change = marking > 0 ? 1 : -1
  for (const name of tasksAfter(step.definitionOf(workflow).net, condition)) {
    const task = (await step.store.task(workflow._id, name)) ?? step.store.newTask(workflow._id, name)
    step.store.update(task, { markedInputs: task.markedInputs + change })
    step.agenda.add(workflow._id, name, 'inputs')
  }
}

/** Adds `tokens` (negative: removes) to a condition. */
export async function addTokens(step: Step, workflow: WorkflowRecord, condition: string, tokens: number): Promise<void> {
  const record = await step.store.condition(workflow._id, condition)
  await setMarking(step, workflow, condition, record.marking + tokens)
}

/**
 * A split's production: one token in each of `conditions`. Each output would cost two index ranges
 * (its condition, then each task after it); a wide split instead reads the workflow's tasks and
 * conditions in two (`Store.loadAll`), since Convex allows 4,096 index ranges per transaction but
 * 32,000 documents read (src/runtime/limits.ts).
 */
export async function produceTokens(step: Step, workflow: WorkflowRecord, conditions: readonly string[]): Promise<void> {
  if (conditions.length > pointLookups) await step.store.loadAll(workflow._id)
  for (const condition of conditions) await addTokens(step, workflow, condition, 1)
}

/** Outputs a split looks up one by one before it reads the workflow's tasks and conditions at once. */
export const pointLookups = 16

const tasksAfterByNet = new WeakMap<NetDefinition, Map<string, readonly string[]>>()

/** The distinct tasks a condition is an input of (a task listing it twice counts it once). */
function tasksAfter(net: NetDefinition, condition: string): readonly string[] {
  let byCondition = tasksAfterByNet.get(net)
  if (!byCondition) tasksAfterByNet.set(net, (byCondition = new Map()))
  let found = byCondition.get(condition)
  if (!found) byCondition.set(condition, (found = [...new Set(net.conditions[condition]!.outputs)]))
  return found
}
