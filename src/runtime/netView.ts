import type { TaskState } from '../net/lifecycle'
import type { Footprint, NetView } from '../net/semantics'
import type { Step } from './step'
import type { WorkflowRecord } from './store'
import { notLoaded, untilLoaded } from './lazyReads'

/**
 * Answers a question of the pure semantics that reads conditions and tasks (`consumedBy` for a
 * firing, `cancellationEffects` for a region) from the documents of one workflow, loading only
 * what the question actually reads.
 *
 * The footprint says what a question *may* read: its tasks are loaded up front (a region's few
 * tasks), its conditions on demand. `consumedBy` short-circuits (an XOR-join stops at its first
 * marked input), so a firing reads its inputs only as far as it needs. Reading a condition that
 * is not loaded yet aborts the (pure, cheap) computation, the condition is loaded through the
 * Store, and the computation runs again; each condition is loaded at most once. Reading anything
 * outside the footprint throws, so a footprint bug fails loudly.
 *
 * A question that reads many conditions one by one (the firing of a wide AND-join, an XOR-join
 * whose marked input is declared last) would pay one index query per condition. After
 * `pointReads` (lazyReads.ts) of them the workflow's whole marking is read instead, in one query over its
 * marked conditions (`Store.markedConditions`): every condition not in it is empty.
 */
export async function evaluate<T>(step: Step, workflow: WorkflowRecord, footprint: Footprint, compute: (view: NetView) => T): Promise<T> {
  const allowed = new Set(footprint.conditions)
  const tokens = new Map<string, number>()
  const states = new Map<string, TaskState>()
  for (const t of footprint.tasks) states.set(t, (await step.store.task(workflow._id, t))?.state ?? 'disabled')
  let marking: Map<string, number> | undefined
  const view: NetView = {
    tokens: (c) => {
      const n = tokens.get(c)
      if (n !== undefined) return n
      if (!allowed.has(c)) throw new Error(`The footprint of this step does not include condition '${c}'.`)
      if (marking) return marking.get(c) ?? 0
      return notLoaded(c)
    },
    taskState: (t) => {
      const state = states.get(t)
      if (state === undefined) throw new Error(`The footprint of this step does not include task '${t}'.`)
      return state
    },
  }
  return untilLoaded(() => compute(view), {
    loaded: () => tokens.size,
    loadOne: async (c) => {
      tokens.set(c, (await step.store.condition(workflow._id, c)).marking)
    },
    loadAll: async () => {
      marking = new Map((await step.store.markedConditions(workflow._id)).map((c) => [c.name, c.marking]))
    },
  })
}
