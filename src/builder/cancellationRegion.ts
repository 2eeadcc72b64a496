/** A cancellation region as declared: the tasks and explicit conditions it names, in declaration order. */
export type CancellationRegionSpec = {
  readonly tasks: readonly string[]
  readonly conditions: readonly string[]
}

/**
 * The elements a task's completion cancels (semantics.md §5 step 3): tasks
 * that are enabled or started are canceled, conditions are emptied. Only
 * declared task names and declared (explicit) condition names compile.
 *
 * @example
 * .withCancellationRegion('approve', (r) => r.task('remind').task('escalate').condition('waiting'))
 */
export class CancellationRegionBuilder<Tasks extends string, Conditions extends string> {
  /** @internal */
  constructor(readonly spec: CancellationRegionSpec = { tasks: [], conditions: [] }) {}

  /** A task to cancel if it is enabled or started when the owning task completes. */
  task(name: Tasks): CancellationRegionBuilder<Tasks, Conditions> {
    return new CancellationRegionBuilder({ ...this.spec, tasks: [...this.spec.tasks, name] })
  }

  /** A condition to empty when the owning task completes. */
  condition(name: Conditions): CancellationRegionBuilder<Tasks, Conditions> {
    return new CancellationRegionBuilder({ ...this.spec, conditions: [...this.spec.conditions, name] })
  }
}
