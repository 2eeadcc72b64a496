import { tasknetError } from '../errors'
import type { Step } from './step'
import { pointLookups } from './marking'
import type { TaskRecord, WorkflowRecord } from './store'

/**
 * Limits (docs/api.md#limits). Convex caps what one transaction may do, and one engine step is one
 * transaction. The steps whose cost grows with the net are a split's production (one token, and
 * usually one enabled task and one work item, per output), a join's firing (one token consumed per
 * input) and the children a composite task starts in one step. Each is checked here before the
 * engine writes any of it: a step that would exceed a limit fails with `LIMIT_EXCEEDED`, naming the
 * element, what it would take and the limit, instead of Convex's own error after the writes.
 */

/** What a transaction may do: the figures the checks compare an estimate with. */
export type TransactionLimits = {
  documentsRead: number
  documentsWritten: number
  indexRanges: number
}

/**
 * Convex's limits per transaction (https://docs.convex.dev/production/state/limits), the same
 * figures convex-test enforces with `transactionLimits: true`: 32,000 documents scanned, 16,000
 * documents written, 4,096 index ranges read (each `db.get` and each `db.query`). Data read and
 * written (16 MiB each) never binds first: an engine document is a few hundred bytes, so 16,000 of
 * them are a few MiB. Function time (1 s) is not counted here (see docs/api.md#limits).
 */
export const convexLimits: TransactionLimits = Object.freeze({
  documentsRead: 32_000,
  documentsWritten: 16_000,
  indexRanges: 4_096,
})

type Cost = TransactionLimits

/** How a step's cost grows: `base` for the rest of the step, `each` per output, input or child. */
type Growth = { base: Cost; each: Cost }

/**
 * What the growing steps cost, measured with convex-test's transaction metrics (`transactionLimits:
 * true`, the engine's handlers through tests/support/stepCost.ts) on the synthetic nets of
 * src/workflows/synthetic.ts at several sizes: `each` is the slope, `base` what remains. A step that
 * also writes domain documents (activities, actions) costs that much more; the maxima are those of a
 * step that does nothing else. `npm run limits` measures them again.
 */
export const costs = {
  /**
   * A split's completion (`andSplit(n)`, the split's `completeWorkItem`): 3n + 3 documents written
   * (per output its condition, its task, the work item its `onEnabled` offers; one journal event), 7 read, 7 index
   * ranges whatever n (a production of more than 16 outputs reads the workflow's tasks and conditions
   * at once: `produceTokens`). Reads: the outputs' documents are new on a first split; on a split
   * that runs again they exist, and patching one reads it, so 2 per output at most, plus the
   * workflow's documents read at once (`extraReads`, at most one per element of the net).
   */
  production: { base: { documentsRead: 7, documentsWritten: 3, indexRanges: 7 }, each: { documentsRead: 2, documentsWritten: 3, indexRanges: 0 } },
  /**
   * A join's firing (`wideJoin(n)`, the join's `startWorkItem`): 2n + 21 documents read (the marked
   * inputs, read at once, then each patched, which reads it again), n + 3 written (one journal event), 20 index ranges
   * whatever n (src/runtime/netView.ts reads the whole marking after 16 point reads).
   */
  consumption: { base: { documentsRead: 21, documentsWritten: 3, indexRanges: 20 }, each: { documentsRead: 2, documentsWritten: 1, indexRanges: 0 } },
  /**
   * Children initialized in one step (`nested(1, n)`, `initializeRootWorkflow`, whose composite task
   * starts n leaf children): 5n + 4 documents written (per child its workflow, its start condition,
   * its first task, that task's work item and its own journal event; the root's event), nothing read and no index range (a workflow inserted
   * in the step has no documents to look up).
   */
  children: { base: { documentsRead: 0, documentsWritten: 4, indexRanges: 0 }, each: { documentsRead: 0, documentsWritten: 5, indexRanges: 0 } },
} satisfies Record<string, Growth>

let limits: TransactionLimits = convexLimits

/**
 * Checks against other limits until the returned function is called: smaller ones, so that a test
 * exercises a check at a small scale, or `Infinity`, so that scripts/limits.ts finds Convex's own.
 */
export function useLimits(replacement: Partial<TransactionLimits>): () => void {
  const previous = limits
  limits = { ...limits, ...replacement }
  return () => {
    limits = previous
  }
}

const metrics = ['documentsWritten', 'documentsRead', 'indexRanges'] as const
/** "would write about 27,002 documents", and Convex's figure for the same metric. */
const doing = { documentsRead: ['read', 'documents'], documentsWritten: ['write', 'documents'], indexRanges: ['read', 'index ranges'] } as const
const takes = (over: { metric: (typeof metrics)[number]; needed: number; limit: number }) =>
  `${doing[over.metric][0]} about ${n(over.needed)} ${doing[over.metric][1]}, and Convex allows ${n(over.limit)} ${over.metric === 'documentsWritten' ? 'documents written' : doing[over.metric][1] + ' read'} per transaction`

/** The largest count a step of this growth can handle under the current limits (`extraReads`: documents it also reads). */
export function maximum(growth: Growth, extraReads = 0): number {
  const room = (m: (typeof metrics)[number]) => limits[m] - growth.base[m] - (m === 'documentsRead' ? extraReads : 0)
  return Math.min(...metrics.map((m) => (growth.each[m] === 0 ? (room(m) < 0 ? -1 : Infinity) : Math.floor(room(m) / growth.each[m]))))
}

/** The first metric `count` would exceed, with what it would take; undefined when it fits. */
function exceeded(growth: Growth, count: number, extraReads = 0) {
  for (const m of metrics) {
    const needed = growth.base[m] + growth.each[m] * count + (m === 'documentsRead' ? extraReads : 0)
    if (needed > limits[m]) return { metric: m, needed, limit: limits[m] }
  }
  return undefined
}

const n = (x: number) => x.toLocaleString('en-US')

/** Before a split produces: `outputs` tokens (`exitTask`). */
export function checkProduction(step: Step, workflow: WorkflowRecord, task: TaskRecord, outputs: number): void {
  const growth = costs.production
  const net = step.definitionOf(workflow).net
  const extraReads = outputs > pointLookups ? Object.keys(net.tasks).length + Object.keys(net.conditions).length : 0
  const over = exceeded(growth, outputs, extraReads)
  if (!over) return
  const split = net.tasks[task.name]!.splitType.toUpperCase()
  throw tasknetError(
    'LIMIT_EXCEEDED',
    `Task '${task.name}' of workflow ${workflow._id} cannot complete: its ${split}-split into ${n(outputs)} outputs would ${takes(over)}; in this net a split produces at most ${n(maximum(growth, extraReads))} tokens in one step.`,
    { workflowId: workflow._id, taskName: task.name, outputs, needed: over.needed, limit: over.limit, metric: over.metric, maximum: maximum(growth, extraReads) },
  )
}

/** Before a join consumes: one token from each of `inputs` conditions (`fireTask`). */
export function checkConsumption(step: Step, workflow: WorkflowRecord, task: TaskRecord, inputs: number): void {
  const growth = costs.consumption
  const over = exceeded(growth, inputs)
  if (!over) return
  const join = step.definitionOf(workflow).net.tasks[task.name]!.joinType.toUpperCase()
  throw tasknetError(
    'LIMIT_EXCEEDED',
    `Task '${task.name}' of workflow ${workflow._id} cannot start: its ${join}-join consuming ${n(inputs)} tokens would ${takes(over)}; a join consumes at most ${n(maximum(growth))} tokens in one step.`,
    { workflowId: workflow._id, taskName: task.name, inputs, needed: over.needed, limit: over.limit, metric: over.metric, maximum: maximum(growth) },
  )
}

const childrenByStep = new WeakMap<Step, number>()

/** Before a child workflow is initialized: counts the step's children (`initializeChildWorkflow`). */
export function checkChild(step: Step, workflow: WorkflowRecord, task: TaskRecord): void {
  const children = (childrenByStep.get(step) ?? 0) + 1
  childrenByStep.set(step, children)
  const growth = costs.children
  const over = exceeded(growth, children)
  if (!over) return
  throw tasknetError(
    'LIMIT_EXCEEDED',
    `Task '${task.name}' of workflow ${workflow._id} cannot start another child workflow: ${n(children)} child workflows in one step would ${takes(over)}; one step initializes at most ${n(maximum(growth))} child workflows.`,
    { workflowId: workflow._id, taskName: task.name, children, needed: over.needed, limit: over.limit, metric: over.metric, maximum: maximum(growth) },
  )
}
