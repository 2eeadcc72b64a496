import type { z } from 'zod/v4'
import type { ActionDefinition } from './definition'
import type { PayloadOf, WorkflowActionContexts } from './contexts'

type WorkflowActionName = keyof WorkflowActionContexts

/**
 * A workflow's actions: `initialize` (its callback must call
 * `workflow.initialize()`, which returns the new workflow's id) and `cancel`
 * (must call `workflow.cancel()`).
 *
 * @example
 * Builder.workflowActions().initialize(z.object({ customerId: z.string() }), async ({ mutationCtx, workflow }, payload) => {
 *   const workflowId = await workflow.initialize()
 *   await mutationCtx.db.insert('orders', { customerId: payload.customerId, workflowId })
 * })
 */
export class WorkflowActionsBuilder<S extends object = {}> {
  /** @internal */
  constructor(readonly spec: Readonly<Partial<Record<WorkflowActionName, ActionDefinition>>> = {}) {}

  private with<A extends WorkflowActionName, Z extends z.ZodType>(
    name: A,
    schema: Z,
    callback: (ctx: WorkflowActionContexts[A], payload: PayloadOf<Z>) => Promise<void> | void,
  ): WorkflowActionsBuilder<Omit<S, A> & Record<A, Z>> {
    const action: ActionDefinition = { schema, callback: callback as ActionDefinition['callback'] }
    return new WorkflowActionsBuilder({ ...this.spec, [name]: action })
  }

  initialize<Z extends z.ZodType>(
    schema: Z,
    callback: (ctx: WorkflowActionContexts['initialize'], payload: PayloadOf<Z>) => Promise<void> | void,
  ) {
    return this.with('initialize', schema, callback)
  }

  cancel<Z extends z.ZodType>(
    schema: Z,
    callback: (ctx: WorkflowActionContexts['cancel'], payload: PayloadOf<Z>) => Promise<void> | void,
  ) {
    return this.with('cancel', schema, callback)
  }
}
