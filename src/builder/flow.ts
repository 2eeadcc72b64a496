import type { Loose } from './definition'
import type { RouteFunction } from './contexts'

/** One outgoing flow of a condition or a task, as declared. */
export type FlowTarget = { readonly kind: 'task' | 'condition'; readonly name: string }

export type FlowSpec = {
  readonly targets: readonly FlowTarget[]
  readonly route: Loose<RouteFunction> | undefined
  /** The target sets given to `.route(fn, { targetSets })`, as given; `build()` checks them (targetSets.ts). */
  readonly targetSets?: readonly (readonly string[])[] | undefined
}

/** The second argument of `TaskFlowBuilder.route`. */
export type RouteOptions<Target extends string> = {
  /**
   * Every set of targets the route may return, each naming targets of the same `connectTask` call.
   * The route must then return exactly one of these sets (in any order), and `verifyWorkflow`
   * explores only these instead of every choice the split allows. An XOR-split's sets have one target each.
   */
  readonly targetSets: readonly (readonly Target[])[]
}

/**
 * The outgoing flows of a condition: conditions lead only to tasks (the net is bipartite).
 *
 * @example
 * .connectCondition('start', (to) => to.task('review').task('audit'))
 */
export class ConditionFlowBuilder<Tasks extends string> {
  /** @internal */
  constructor(readonly spec: FlowSpec = { targets: [], route: undefined }) {}

  task(name: Tasks): ConditionFlowBuilder<Tasks> {
    return new ConditionFlowBuilder({ ...this.spec, targets: [...this.spec.targets, { kind: 'task', name }] })
  }
}

/**
 * The outgoing flows of a task, and for an XOR- or OR-split the route function
 * that chooses among them. A flow to a task goes through an implicit condition.
 * The route can only name targets declared before it.
 *
 * @example
 * .connectTask('decide', (to) =>
 *   to.task('refund').condition('end').route(async ({ route }) => route.toCondition('end')))
 */
export class TaskFlowBuilder<Tasks extends string, Conditions extends string, TT extends string = never, TC extends string = never> {
  /** @internal */
  constructor(readonly spec: FlowSpec = { targets: [], route: undefined }) {}

  task<X extends Tasks>(name: X): TaskFlowBuilder<Tasks, Conditions, TT | X, TC> {
    return new TaskFlowBuilder({ ...this.spec, targets: [...this.spec.targets, { kind: 'task', name }] })
  }

  condition<X extends Conditions>(name: X): TaskFlowBuilder<Tasks, Conditions, TT, TC | X> {
    return new TaskFlowBuilder({ ...this.spec, targets: [...this.spec.targets, { kind: 'condition', name }] })
  }

  /**
   * Chooses the flows an XOR-split (exactly one) or OR-split (one or more) takes when the task completes.
   * `targetSets` declares the only sets of targets the route can return: a route that returns another set
   * raises `INVALID_ROUTE`, and `verifyWorkflow` explores just these sets (docs/verification.md).
   *
   * @example
   * .connectTask('reserve', (to) =>
   *   to.task('charge').task('ship').task('abort').route(
   *     async ({ route }) => (ok ? [route.toTask('charge'), route.toTask('ship')] : [route.toTask('abort')]),
   *     { targetSets: [['charge', 'ship'], ['abort']] },
   *   ))
   */
  route(route: RouteFunction<TT, TC>, options?: RouteOptions<TT | TC>): TaskFlowBuilder<Tasks, Conditions, TT, TC> {
    return new TaskFlowBuilder({ ...this.spec, route: route as unknown as Loose<RouteFunction>, targetSets: options?.targetSets })
  }
}
