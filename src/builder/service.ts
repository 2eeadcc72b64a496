import type { FunctionReference } from 'convex/server'
import { v } from 'convex/values'
import type { z } from 'zod/v4'
import { tasknetError } from '../errors'
import type { WorkItemId } from '../runtime/store'
import type { MutationCtx } from './contexts'

/**
 * A *service work item* (docs/api.md#service-work-items): a work item carried out by an internal
 * Convex action, which the engine runs through `@convex-dev/workpool` when the work item starts.
 * Everything here is data the builder checks once; the runtime is src/runtime/services/.
 */

/** What the action receives: the same `idempotencyKey` on every attempt, so the service can deduplicate. */
export type ServiceCallArgs<Payload = unknown> = {
  workItemId: WorkItemId
  /** The payload the work item was started with. */
  payload: Payload
  /** 1 for the first attempt. */
  attempt: number
  idempotencyKey: string
}

/** The `args` validator of a service's action. */
export const vServiceCallArgs = {
  workItemId: v.id('tasknet_workItems'),
  payload: v.optional(v.any()),
  attempt: v.number(),
  idempotencyKey: v.string(),
}

/** How a failed attempt is retried: `maxAttempts` in all, the first retry after `initialBackoffMs`, each next one `base` times later, each wait times 0.5–1.5 unless `jitter` is false. */
export type ServiceRetry = { maxAttempts: number; initialBackoffMs: number; base: number; jitter?: boolean }

/** A late outcome: the result of an attempt that arrived after its work item or attempt had ended. */
export type LateOutcome = {
  attempt: number
  /** Why it is late: the attempt had timed out, or the work item had ended (canceled, failed, completed). */
  reason: 'timedOut' | 'workItemEnded'
  outcome: { kind: 'success'; result: unknown } | { kind: 'failed'; error: string }
}

/** Told of a late outcome, in the completion's transaction: record it, start a refund, alert someone. */
export type OnLateOutcome = (ctx: {
  mutationCtx: MutationCtx
  workItem: { id: WorkItemId; state: string }
  late: LateOutcome
}) => Promise<void> | void

export type ServiceSpec = {
  /** The internal action that calls the service: `internal.payments.charge`. Its args are `ServiceCallArgs`. */
  action: FunctionReference<'action', 'internal'>
  /** Default: one attempt (no retry). */
  retry?: ServiceRetry
  /** How long one attempt may take before the engine counts it as failed (retryable) and moves on. */
  timeoutMs?: number
  /**
   * Errors that fail the work item at once: an entry is matched as a substring of the error message
   * (a string) or tested against it (a RegExp). An action can also throw `nonRetryable(message)`.
   */
  nonRetryable?: ReadonlyArray<string | RegExp>
  /** Checks the action's result; a result that does not match fails the work item (no retry). */
  result?: z.ZodType
  /** Told of every late outcome (it is also recorded on the call and in the journal); never throws into the completion. */
  onLateOutcome?: OnLateOutcome
}

export type ServiceDefinition = Readonly<ServiceSpec> & { readonly retry: ServiceRetry }

const noRetry: ServiceRetry = { maxAttempts: 1, initialBackoffMs: 0, base: 1 }

/** Refuses a service the engine cannot run, naming the work item and how to fix it. */
export function serviceDefinition(workItem: string, spec: ServiceSpec): ServiceDefinition {
  const problems: string[] = []
  const retry = spec.retry ?? noRetry
  if (!(Number.isInteger(retry.maxAttempts) && retry.maxAttempts >= 1 && retry.initialBackoffMs >= 0 && retry.base >= 1)) {
    problems.push(`retry ${JSON.stringify(retry)}: expected maxAttempts a whole number ≥ 1, initialBackoffMs ≥ 0 and base ≥ 1`)
  }
  if (spec.timeoutMs !== undefined && !(spec.timeoutMs > 0)) problems.push(`timeoutMs ${spec.timeoutMs}: expected a number of milliseconds > 0`)
  if (!spec.action) problems.push('no action: pass the internal action that calls the service (internal.<module>.<name>)')
  if (problems.length > 0) {
    throw tasknetError('INVALID_DEFINITION', `The service of work item '${workItem}' cannot run: ${problems.join('; ')}.`, { workItem, problems: problems.length })
  }
  return { ...spec, retry }
}

/** The marker `nonRetryable` puts in front of a message, which survives the work pool (it reports errors as strings). */
export const nonRetryableMarker = '[non-retryable] '

/**
 * An error the action throws to fail its work item at once, whatever the retry policy: a declined
 * card, a request the service refuses.
 *
 * @example
 * if (response.status === 402) throw nonRetryable(`card declined: ${response.code}`)
 */
export function nonRetryable(message: string): Error {
  return new Error(nonRetryableMarker + message)
}

/** Whether a failed attempt's error must not be retried. */
export function isNonRetryable(service: ServiceDefinition, error: string): boolean {
  if (error.includes(nonRetryableMarker)) return true
  return (service.nonRetryable ?? []).some((entry) => (typeof entry === 'string' ? error.includes(entry) : entry.test(error)))
}

/** The wait before attempt `failed + 1`, after `failed` attempts failed; `random` in [0, 1). */
export function backoffMs(retry: ServiceRetry, failed: number, random: number): number {
  const nominal = retry.initialBackoffMs * retry.base ** (failed - 1)
  return Math.round(retry.jitter === false ? nominal : nominal * (0.5 + random))
}
