import type { FunctionReference, GenericDataModel, GenericMutationCtx } from 'convex/server'
import type { WorkItemId } from '../store'

/**
 * The part of `@convex-dev/workpool`'s `Workpool` that service work items call (pass
 * `new Workpool(components.services, { maxParallelism })`). Stated here, like the outbox's pool, so that
 * tasknet imports nothing of the component: only apps with service work items need it.
 */
export type ServicePool = {
  enqueueAction(
    ctx: GenericMutationCtx<GenericDataModel>,
    fn: FunctionReference<'action', 'internal'>,
    fnArgs: ServiceRunArgs,
    options: { name: string; retry: false; onComplete: FunctionReference<'mutation', 'internal'>; context: ServiceAttempt; runAt?: number },
  ): Promise<string>
  cancel(ctx: GenericMutationCtx<GenericDataModel>, id: string): Promise<void>
  status(ctx: GenericMutationCtx<GenericDataModel>, id: string): Promise<{ state: 'pending' | 'running' | 'finished' }>
}

/** Which attempt a completion or timeout is about: the work pool's `context`, and `serviceTimeout`'s args. */
export type ServiceAttempt = { workItemId: WorkItemId; attempt: number }

/** What the work pool passes to `serviceComplete` (its onComplete arguments). */
export type ServiceCompletion = {
  workId: string
  context: ServiceAttempt
  result: { kind: 'success'; returnValue?: unknown } | { kind: 'failed'; error: string } | { kind: 'canceled' }
}

/** The arguments of the generated `serviceRun`: where the service is declared, and what its action receives. */
export type ServiceRunArgs = {
  workflowName: string
  taskName: string
  call: { workItemId: WorkItemId; attempt: number; idempotencyKey: string; payload?: unknown }
}
