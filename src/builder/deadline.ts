import { tasknetError } from '../errors'

/**
 * A deadline: when an element's time is up, and what happens then (docs/api.md#deadlines-and-timers).
 * `after` is a delay in milliseconds from the moment the element is initialized, `at` an instant in
 * milliseconds since the epoch; either may be computed from the element's context (its payload, or the
 * app's data through `mutationCtx`). A computed time that is `undefined` sets no deadline for that element.
 */
export type DeadlineTime<Ctx> =
  | { readonly after: number | ((ctx: Ctx) => Promise<number | undefined> | number | undefined); readonly at?: never }
  | { readonly at: (ctx: Ctx) => Promise<number | undefined> | number | undefined; readonly after?: never }

/** What a passing deadline does: one of the element's expiry actions, or a callback that decides. */
export type Expiry<Action extends string, ExpiryCtx> = Action | ((ctx: ExpiryCtx) => Promise<void> | void)

export type Deadline<Ctx, Action extends string, ExpiryCtx> = DeadlineTime<Ctx> & { readonly onExpiry: Expiry<Action, ExpiryCtx> }

/** A deadline as the definition stores it, its callbacks' contexts forgotten (see `Loose`). */
export type DeadlineDefinition = {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly after?: number | ((ctx: any) => Promise<number | undefined> | number | undefined)
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly at?: (ctx: any) => Promise<number | undefined> | number | undefined
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  readonly onExpiry: string | ((ctx: any) => Promise<void> | void)
}

/**
 * Checks a deadline where it is declared, so a bad one never reaches a workflow: exactly one of
 * `after` and `at`, a fixed delay that is a finite number of milliseconds not below 0, and an
 * `onExpiry` the element accepts.
 */
export function checkedDeadline(deadline: DeadlineDefinition, element: string, actions: readonly string[]): DeadlineDefinition {
  const refuse = (problem: string) => {
    throw tasknetError('INVALID_DEFINITION', `The deadline of ${element} ${problem}`, { element })
  }
  if (typeof deadline !== 'object' || deadline === null) refuse('is not an object: pass { after | at, onExpiry }.')
  const { after, at, onExpiry } = deadline
  if ((after === undefined) === (at === undefined)) refuse("needs exactly one of 'after' (a delay in ms, or a function returning one) and 'at' (a function returning an instant in ms since the epoch).")
  if (after !== undefined && typeof after !== 'function' && !isDelay(after)) refuse(`has 'after' ${String(after)}; expected a finite number of milliseconds, 0 or more, or a function returning one.`)
  if (at !== undefined && typeof at !== 'function') refuse("has an 'at' that is not a function: pass (ctx) => epochMs; for a fixed delay use 'after'.")
  if (typeof onExpiry !== 'function' && !actions.includes(onExpiry)) {
    refuse(`has onExpiry ${JSON.stringify(onExpiry)}; expected ${actions.map((a) => `'${a}'`).join(', ')} or a callback.`)
  }
  return deadline
}

export function isDelay(ms: unknown): ms is number {
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0
}

export const workItemExpiryActions = ['fail', 'cancel', 'complete'] as const
export const taskExpiryActions = ['complete', 'fail'] as const
export const workflowExpiryActions = ['cancel'] as const
export type WorkItemExpiryAction = (typeof workItemExpiryActions)[number]
export type TaskExpiryAction = (typeof taskExpiryActions)[number]
export type WorkflowExpiryAction = (typeof workflowExpiryActions)[number]
