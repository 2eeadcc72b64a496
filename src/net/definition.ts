/**
 * The net of a workflow as plain data: what the Builder produces and what the
 * pure semantics and the runtime read. No callbacks live here; those stay in
 * the runtime definition (`src/builder/definition.ts`).
 */

export type SplitType = 'and' | 'xor' | 'or'
export type JoinType = 'and' | 'xor' | 'or'
export type TaskKind = 'atomic' | 'dummy' | 'composite'

export type TaskNode = {
  readonly name: string
  readonly kind: TaskKind
  readonly joinType: JoinType
  readonly splitType: SplitType
  /** Input conditions in declaration order (the XOR-join consumes from the first marked one). */
  readonly inputs: readonly string[]
  /** Output conditions in declaration order. */
  readonly outputs: readonly string[]
  /**
   * What this task's completion removes (docs/semantics.md#cancellation-regions), in declaration order.
   * Absent for a task without a region, so such a task costs nothing extra.
   */
  readonly cancellationRegion?: CancellationRegion
  /**
   * The sets of output conditions an XOR- or OR-split's route may mark, declared with
   * `.route(fn, { targetSets })` (src/builder/targetSets.ts), in declaration order. The runtime
   * refuses a route that returns another set, and the verifier explores only these. Absent when
   * the route declares none: it may then mark any one output (XOR) or any non-empty subset (OR).
   */
  readonly targetSets?: readonly (readonly string[])[]
}

/**
 * A task's cancellation region: the tasks it cancels (if enabled or started) and the
 * conditions it empties when the task completes — explicit ones, and the implicit ones of
 * the task-to-task flows the region names. The owning task may be listed; it is completing,
 * so it is not canceled.
 */
export type CancellationRegion = {
  readonly tasks: readonly string[]
  readonly conditions: readonly string[]
}

export type ConditionNode = {
  readonly name: string
  /** Implicit conditions sit on a task-to-task flow and are named `from__to__to`. */
  readonly implicit: boolean
  /** Tasks that put tokens here. */
  readonly inputs: readonly string[]
  /** Tasks that this condition can enable. */
  readonly outputs: readonly string[]
}

export type NetDefinition = {
  readonly name: string
  readonly startCondition: string
  readonly endCondition: string
  readonly conditions: Readonly<Record<string, ConditionNode>>
  readonly tasks: Readonly<Record<string, TaskNode>>
}

/** The name of the implicit condition on a flow from task `from` to task `to`. */
export function implicitConditionName(from: string, to: string): string {
  return `${from}__to__${to}`
}
