import { tasknetError } from '../errors'
import type { PolicyContext, PolicyResult, TaskStats } from './contexts'

/**
 * Policies for a task with many work items in one generation: YAWL's
 * multiple-instance task, whose instances are the work items of the current
 * generation (offered up front by `onEnabled`, or added while it runs by
 * `onWorkItemStateChanged` or `initializeWorkItem`). YAWL completes such a
 * task when all its instances have completed, or earlier, once a *threshold*
 * of them has (van der Aalst and ter Hofstede, "YAWL: yet another workflow
 * language", Information Systems 30(4), 2005: a multiple-instance task's
 * attributes minimum, maximum, threshold and creation mode).
 *
 * The helpers read only `task.getStats()`, so a composite task takes them
 * too; its instances are then the generation's child workflows.
 *
 * Each helper decides from the generation's counts alone (`task.getStats()`,
 * taken after the transition being decided), in this order:
 *
 * 1. `'fail'` when more work items have failed than `maxFailures` allows;
 * 2. `'complete'` when `threshold` work items have completed — the open ones
 *    are then canceled by the task's exit (teardown: no policy is asked);
 * 3. `'complete'` when no work item is open (`initialized` or `started`), even
 *    if fewer than `threshold` completed: YAWL completes a multiple-instance
 *    task once all its instances are final, and a task with nothing open that
 *    stayed started could only wait for an outside `initializeWorkItem`;
 * 4. `'continue'` otherwise.
 *
 * Only completions count towards the threshold. A canceled work item and a
 * tolerated failure are final and count for nothing else, so they can bring
 * rule 3 about but never rule 2. The decision is not taken early when the
 * threshold can no longer be reached by the open work items: more may still be
 * added (WCP-15, WCP-36), and those still open keep running until they are final.
 */

/** How many failed work items a generation tolerates; one more fails the task. */
export type InstancePolicyOptions = {
  /**
   * The number of failed work items the task tolerates; the next failure fails it.
   * Default 0: the first failure fails the task, as in the default policy.
   * `Infinity` never fails the task (a failure then counts like a cancellation).
   */
  maxFailures?: number
}

/** What the helpers read from a policy's context: only the generation's counts. */
export type InstancePolicyContext = { task: Pick<PolicyContext['task'], 'getStats'> }

/**
 * A policy made by `instancePolicy`. It never defers to the default policy
 * (it always returns a decision), so a policy of your own can call it and use
 * the result: `return forced ? 'complete' : instancePolicy.all()(ctx)`.
 */
export type InstancePolicy = (ctx: InstancePolicyContext) => Promise<PolicyResult>

/** The decision of the rules above for one set of counts. Pure. */
export function decideInstances(stats: TaskStats, rule: { threshold: number; maxFailures: number }): PolicyResult {
  if (stats.failed > rule.maxFailures) return 'fail'
  if (stats.completed >= rule.threshold) return 'complete'
  if (stats.initialized + stats.started === 0) return 'complete'
  return 'continue'
}

function check(helper: string, name: string, value: number, min: number, allowInfinity: boolean) {
  const ok = (Number.isInteger(value) || (allowInfinity && value === Infinity)) && value >= min
  if (!ok) {
    throw tasknetError(
      'INVALID_DEFINITION',
      `instancePolicy.${helper}: ${name} is ${String(value)}; expected a whole number of at least ${min}${allowInfinity ? ' (or Infinity)' : ''}.`,
      { helper, [name]: String(value) },
    )
  }
}

function instancePolicyOf(helper: string, threshold: number, options: InstancePolicyOptions): InstancePolicy {
  const maxFailures = options.maxFailures ?? 0
  check(helper, 'maxFailures', maxFailures, 0, true)
  const rule = { threshold, maxFailures }
  return async ({ task }) => decideInstances(await task.getStats(), rule)
}

/**
 * Multiple-instance policies for `.withPolicy(...)`. See the rules at the top
 * of this file and api.md, "Multiple instances".
 *
 * @example
 * // Three reviewers are asked; two approvals are enough, the third is withdrawn.
 * Builder.task(reviewWorkItem)
 *   .withActivities({ onEnabled: async ({ workItem }) => { for (let i = 0; i < 3; i++) await workItem.initialize() } })
 *   .withPolicy(instancePolicy.threshold(2, { maxFailures: 1 }))
 */
export const instancePolicy = {
  /**
   * Complete once every work item of the generation is final (the default
   * policy, when `maxFailures` is 0); fail on more than `maxFailures` failures.
   *
   * @example
   * Builder.task(signWorkItem).withPolicy(instancePolicy.all({ maxFailures: 1 }))
   */
  all(options: InstancePolicyOptions = {}): InstancePolicy {
    return instancePolicyOf('all', Infinity, options)
  },

  /**
   * Complete once `n` work items of the generation have completed; the open
   * ones are then canceled by the task's exit. If every work item is final
   * before that, complete anyway. Fail on more than `maxFailures` failures.
   *
   * @example
   * Builder.task(approveWorkItem).withPolicy(instancePolicy.threshold(2))
   */
  threshold(n: number, options: InstancePolicyOptions = {}): InstancePolicy {
    check('threshold', 'n', n, 1, false)
    return instancePolicyOf('threshold', n, options)
  },

  /**
   * Complete on the first completed work item: `threshold(1)`.
   *
   * @example
   * Builder.task(quoteWorkItem).withPolicy(instancePolicy.first({ maxFailures: Infinity }))
   */
  first(options: InstancePolicyOptions = {}): InstancePolicy {
    return instancePolicyOf('first', 1, options)
  },
}
