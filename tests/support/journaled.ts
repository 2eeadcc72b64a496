import { getFunctionName, type FunctionReference } from 'convex/server'
import type { WorkflowDefinition } from '../../src'
import { journalChecker, operationOf, type Expectation, type JournalChecker, type Runner } from './journalCheck'

/**
 * A convex-test backend whose every call is checked by a journal checker (journalCheck.ts): a call
 * of a generated engine mutation is one step, with the operation, target and caller its name, its
 * arguments and the backend's identity say; an app's own mutation, an action, an HTTP action, `t.run`
 * and scheduled functions may make any number of steps. The harness's `backend()` returns one, so every test that
 * drives a workflow through it (the pattern suite, the order example, the integration tests) checks
 * the journal at every call and, when the test ends, replays every prefix of every journal.
 */

/** The methods of a convex-test instance the wrapper checks. */
type Checked = Runner & {
  mutation: (ref: any, ...args: any[]) => Promise<any>
  action: (ref: any, ...args: any[]) => Promise<any>
  finishInProgressScheduledFunctions: () => Promise<void>
  finishAllScheduledFunctions: (advanceTimers: () => void, maxIterations?: number) => Promise<void>
  fetch: (path: string, init?: any) => Promise<Response>
  withIdentity: (identity: any) => any
  withRequestMetadata: (metadata: any) => any
}

/** Every workflow definition of src/workflows (the roots every module of convex/ runs), built once. */
export const definedWorkflows: readonly WorkflowDefinition[] = Object.values(import.meta.glob('../../src/workflows/*.ts', { eager: true }))
  .flatMap((module) => Object.values(module as Record<string, unknown>))
  .flatMap((value): WorkflowDefinition[] => {
    if (typeof value !== 'object' || value === null) return []
    if ('build' in value && typeof value.build === 'function') {
      const built = value.build() as WorkflowDefinition | { workflow: WorkflowDefinition }
      return ['workflow' in built ? built.workflow : built]
    }
    // A built saga (src/saga/builder.ts) carries its net as `workflow`.
    if ('workflow' in value && typeof value.workflow === 'object' && value.workflow !== null && 'net' in value.workflow) return [value.workflow as WorkflowDefinition]
    return 'net' in value && 'name' in value ? [value as WorkflowDefinition] : []
  })

/** A checker for `t`, knowing `workflows` (by default every definition of src/workflows). */
export function checkerFor(t: Runner, workflows: readonly WorkflowDefinition[] = definedWorkflows): JournalChecker {
  return journalChecker(t, workflows)
}

/**
 * `t` with every call checked by `checker`. `identity`: what `withIdentity` was given, so a call's
 * expected caller carries its `subject` (unknown when the identity has none: convex-test makes one up).
 */
export function journaled<T extends Checked>(t: T, checker: JournalChecker, identity?: { subject?: string }): T {
  const step = <R>(call: () => Promise<R>, expectation: Expectation) => checker.step(call, expectation)
  const subject = identity ? identity.subject ?? 'unknown' : undefined
  const expectationOf = (ref: FunctionReference<'mutation', any>, args: any): Expectation => {
    const label = getFunctionName(ref)
    const engine = operationOf(label.split(':').at(-1)!)
    if (!engine) return { steps: 'any', label, atomic: true }
    const caller =
      engine.internal && args?.scheduled === true
        ? ({ kind: 'scheduled' } as const)
        : subject === 'unknown'
          ? 'unknown'
          : { kind: engine.internal ? ('internal' as const) : ('public' as const), ...(subject === undefined ? {} : { subject }) }
    return { steps: 'one', label, operation: engine.operation, caller, args: args ?? {} }
  }
  return {
    ...t,
    mutation: (ref: any, ...args: any[]) => step(() => t.mutation(ref, ...args), expectationOf(ref, args[0])),
    action: (ref: any, ...args: any[]) => step(() => t.action(ref, ...args), { steps: 'any', label: getFunctionName(ref), atomic: false }),
    run: (func: any) => step(() => t.run(func), { steps: 'any', label: 't.run', atomic: true }),
    finishInProgressScheduledFunctions: () =>
      step(() => t.finishInProgressScheduledFunctions(), { steps: 'any', label: 'finishInProgressScheduledFunctions', atomic: false }),
    finishAllScheduledFunctions: (advanceTimers: () => void, maxIterations?: number) =>
      step(() => t.finishAllScheduledFunctions(advanceTimers, maxIterations), { steps: 'any', label: 'finishAllScheduledFunctions', atomic: false }),
    fetch: (path: string, init?: any) => step(() => t.fetch(path, init), { steps: 'any', label: `fetch ${path}`, atomic: false }),
    withIdentity: (next: { subject?: string }) => journaled(t.withIdentity(next), checker, next),
    withRequestMetadata: (metadata: unknown) => journaled(t.withRequestMetadata(metadata), checker, identity),
  }
}
