/**
 * A cancellation region as declared: the tasks, explicit conditions and task-to-task flows it
 * names, in declaration order.
 */
export type CancellationRegionSpec = {
  readonly tasks: readonly string[]
  readonly conditions: readonly string[]
  /** Task-to-task flows `[from, to]`, whose implicit conditions the region empties. */
  readonly flows: ReadonlyArray<readonly [string, string]>
}

/**
 * The elements a task's completion cancels (docs/semantics.md#cancellation-regions): tasks
 * that are enabled or started are canceled, conditions are emptied. Only
 * declared task names and declared (explicit) condition names compile; the
 * condition on a task-to-task flow is named by its flow.
 *
 * @example
 * .withCancellationRegion('approve', (r) => r.task('remind').task('escalate').condition('waiting').flow('draft', 'remind'))
 */
export class CancellationRegionBuilder<Tasks extends string, Conditions extends string> {
  /** @internal */
  constructor(readonly spec: CancellationRegionSpec = { tasks: [], conditions: [], flows: [] }) {}

  /** A task to cancel if it is enabled or started when the owning task completes. */
  task(name: Tasks): CancellationRegionBuilder<Tasks, Conditions> {
    return new CancellationRegionBuilder({ ...this.spec, tasks: [...this.spec.tasks, name] })
  }

  /** A condition to empty when the owning task completes. */
  condition(name: Conditions): CancellationRegionBuilder<Tasks, Conditions> {
    return new CancellationRegionBuilder({ ...this.spec, conditions: [...this.spec.conditions, name] })
  }

  /**
   * The flow from task `from` to task `to`: the region empties the implicit condition that
   * flow goes through (YAWL lets a cancellation set hold those too). Without it, canceling an
   * enabled task fed by a task-to-task flow would leave the token in front of it for good.
   */
  flow(from: Tasks, to: Tasks): CancellationRegionBuilder<Tasks, Conditions> {
    return new CancellationRegionBuilder({ ...this.spec, flows: [...this.spec.flows, [from, to] as const] })
  }
}
