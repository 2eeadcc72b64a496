import type { z } from 'zod/v4'
import type { MutationCtx, WorkflowId } from '../builder/contexts'
import type { ServiceSpec } from '../builder/service'
import { tasknetError } from '../errors'
import type { SagaBinding } from './runtime'

/**
 * A saga as its author declares it (docs/sagas.md): steps, each with a forward action and an optional
 * compensation, dependencies between steps, the order compensations run in and what happens when one
 * fails. `compile.ts` turns it into an ordinary tasknet net; this file only holds and checks the data.
 */

/** What a local step's action receives. */
export type StepContext<Input> = {
  mutationCtx: MutationCtx
  workflowId: WorkflowId
  step: string
  input: Input
  /** The outputs of the steps this one runs after (`after`), by step name. */
  outputs: Record<string, unknown>
  /** Keeps a snapshot for this step's compensation (`000_…`'s `CompensationRecord.Data`): what to restore. */
  keep(snapshot: unknown): void
  /** 1 on the first run; a step after the pivot counts its retries. */
  attempt: number
}

/** What a compensation receives: the step's recorded output and the snapshot it kept. */
export type CompensationContext<Input> = {
  mutationCtx: MutationCtx
  workflowId: WorkflowId
  step: string
  input: Input
  /** The step's output; undefined when it may have run but its outcome is unknown (`compensateIfUncertain`). */
  output: unknown
  snapshot: unknown
  /** Why the saga compensates: a step failed (`error` is its error), `cancelSaga`, or the saga's deadline. */
  cause: 'stepFailed' | 'canceled' | 'deadline'
  error: string
}

export type StepCondition<Input> = (ctx: { mutationCtx: MutationCtx; input: Input; outputs: Record<string, unknown> }) => Promise<boolean> | boolean
export type LocalAction<Input> = (ctx: StepContext<Input>) => Promise<unknown> | unknown
export type Compensation<Input> = (ctx: CompensationContext<Input>) => Promise<void> | void

/** A step whose action calls a service: a service work item (docs/api.md#service-work-items). */
export type ServiceStep<Input> = ServiceSpec & {
  /** The payload the service's action receives; by default `{ input, outputs }`. */
  request?: (ctx: { input: Input; outputs: Record<string, unknown> }) => unknown
}

export type StepSpec<Input, Steps extends string> = {
  /** Steps that must complete before this one starts. In a `lifo` saga, by default the step declared before. */
  after?: readonly Steps[]
  /** Compensations that must finish before this one starts (`order: 'graph'`, `004_…`'s `compensation_depends_on`). */
  compensationAfter?: readonly Steps[]
  /** `null`: nothing to undo (`001_…`'s compensation of `None`). */
  compensate: Compensation<Input> | null
  /**
   * Whether the step runs, decided when it is reached (`003_…`'s dynamic sagas): false skips it — the saga goes on
   * as if it had completed, and it is never compensated.
   */
  when?: StepCondition<Input>
  /**
   * The pivot (order `lifo`): the go/no-go step. Its failure compensates the steps before it; once it completed, the
   * saga no longer compensates: the steps after it retry until they complete (`forwardRetry`), `cancelSaga` is
   * refused and the deadline no longer applies. The pivot and the steps after it have nothing to undo (`compensate: null`).
   */
  pivot?: boolean
  /** Compensate a service step whose call was given up while it may have run (`uncertain`); by default it is skipped. */
  compensateIfUncertain?: boolean
} & (
  | { action: LocalAction<Input>; service?: never; human?: never }
  | { service: ServiceStep<Input>; action?: never; human?: never }
  | { human: HumanStep; action?: never; service?: never }
)

/**
 * A step carried out by a child saga (a composite task whose child is the saga's net). It completes when the child
 * completes, and fails when the child compensated. Its compensation is the child's own: when a later step fails,
 * the child's compensations run from the child's records. `input` makes the child's input (default: this saga's).
 */
export type ChildSagaStep<Input, Steps extends string> = {
  saga: ChildSaga
  input?: (ctx: { input: Input; outputs: Record<string, unknown> }) => unknown
  after?: readonly Steps[]
  compensationAfter?: readonly Steps[]
}

/** What a child saga step needs of a built saga (`saga(…).build()`). */
export type ChildSaga = { readonly name: string; readonly definition: SagaDefinition; readonly builder: unknown; readonly binding: SagaBinding }

/**
 * A step a person carries out: its work item is offered when the step is reached; completing it (with a payload
 * matching `output`, the step's output) completes the step, failing it (`{ reason }`) fails the step.
 */
export type HumanStep = { output?: z.ZodType }

export type StepDefinition = {
  readonly name: string
  readonly after: readonly string[]
  readonly compensationAfter: readonly string[]
  readonly action?: LocalAction<unknown>
  readonly service?: ServiceStep<unknown>
  readonly human?: HumanStep
  readonly child?: { readonly saga: ChildSaga; readonly input?: (ctx: { input: unknown; outputs: Record<string, unknown> }) => unknown }
  readonly compensate: Compensation<unknown> | null
  readonly compensateIfUncertain: boolean
  readonly when?: StepCondition<unknown>
  readonly pivot: boolean
  /** After the pivot: a failure starts the step again (after the saga's `forwardRetry` backoff) instead of compensating. */
  readonly retriesForward: boolean
}

/**
 * The order compensations run in:
 * - `lifo` (default): steps run one at a time, in declaration order, and compensate in exactly the reverse
 *   order of their completion (`001_…`, `003_…`);
 * - `dependencies`: steps run as soon as their `after` steps completed, in parallel where independent, and a
 *   step's compensation waits for the compensations of every step that ran after it (`004_…`'s levels);
 * - `graph`: as `dependencies`, but a compensation waits only for those named in its `compensationAfter`.
 */
export type CompensationOrder = 'lifo' | 'dependencies' | 'graph'

/**
 * When a compensation fails: `continue` with the others and collect the errors, `halt` (the rest are skipped), or
 * `escalate` to a person: a work item of the compensation's task that they complete with a decision (`retry`, `skip`
 * or `resolved`); the compensations after it wait.
 */
export type CompensationFailure = 'continue' | 'halt' | 'escalate'

/** How a step after the pivot is started again after a failure: `initialBackoffMs × base^(n−1)`, at most `maxBackoffMs`. */
export type ForwardRetry = { initialBackoffMs: number; base: number; maxBackoffMs: number }

export type SagaOptions = {
  order: CompensationOrder
  onCompensationFailure: CompensationFailure
  /** Steps after the pivot: default 1 s, doubling, at most a minute. */
  forwardRetry?: ForwardRetry
  /** The saga compensates if it has not completed this many milliseconds after it started. */
  deadlineMs?: number
}

export type SagaDefinition = {
  readonly name: string
  readonly input?: z.ZodType
  readonly steps: readonly StepDefinition[]
  readonly options: SagaOptions
}

const refuse = (saga: string, message: string): never => {
  throw tasknetError('INVALID_DEFINITION', `Saga '${saga}': ${message}`, { saga })
}

/** Checks a step as it is added, against the steps declared before it. */
export function checkedStep(saga: string, declared: readonly StepDefinition[], name: string, spec: StepSpec<unknown, string>, order: CompensationOrder): StepDefinition {
  // Letters and digits only: the compiled net names its own tasks with an underscore (`saga_abort`, `compensate_<step>`),
  // so no step can take one of their names.
  if (!/^[A-Za-z][A-Za-z0-9]*$/.test(name)) refuse(saga, `step name '${name}' must be letters and digits, starting with a letter.`)
  if (declared.some((s) => s.name === name)) refuse(saga, `step '${name}' is declared twice.`)
  const pastPivot = declared.some((s) => s.pivot)
  if (spec.pivot && pastPivot) refuse(saga, `step '${name}' is a second pivot; a saga has one.`)
  if (spec.pivot && order !== 'lifo') refuse(saga, `step '${name}' is a pivot, which needs order 'lifo' (the steps after it are those declared after it).`)
  if ((spec.pivot || pastPivot) && spec.compensate) refuse(saga, `step '${name}' ${spec.pivot ? 'is the pivot' : 'comes after the pivot'}: once the pivot completed the saga only goes forward, so it is never compensated; pass compensate: null.`)
  const hasAction = typeof spec.action === 'function'
  const kinds = [hasAction, spec.service !== undefined, spec.human !== undefined].filter(Boolean).length
  if (kinds !== 1) refuse(saga, `step '${name}' needs exactly one of 'action' (a local action), 'service' (a service call) and 'human' (a person's work item).`)
  if (spec.compensate === undefined) refuse(saga, `step '${name}' has no 'compensate': pass a function, or null when there is nothing to undo.`)
  const known = new Set(declared.map((s) => s.name))
  for (const [field, names] of [['after', spec.after ?? []], ['compensationAfter', spec.compensationAfter ?? []]] as const) {
    for (const other of names) if (!known.has(other)) refuse(saga, `step '${name}' lists '${other}' in '${field}', which is not a step declared before it.`)
  }
  // A service work item calls its service as it starts, and only a started work item can end itself by trigger.
  if (spec.when && spec.service) refuse(saga, `step '${name}' is a service step, which calls its service when it starts: put the condition on the step that decides, or make the call a local step's.`)
  if (spec.compensateIfUncertain && !spec.service) refuse(saga, `step '${name}' is not a service step: it completes or fails in a transaction of its own, so it is never uncertain; drop compensateIfUncertain.`)
  if (order !== 'graph' && spec.compensationAfter) refuse(saga, `step '${name}' has 'compensationAfter', which only order 'graph' reads.`)
  const previous = declared.at(-1)
  const after = spec.after ?? (order === 'lifo' && previous ? [previous.name] : [])
  return {
    name,
    after,
    compensationAfter: spec.compensationAfter ?? [],
    ...(hasAction ? { action: spec.action as LocalAction<unknown> } : spec.service ? { service: spec.service as ServiceStep<unknown> } : { human: spec.human! }),
    compensate: spec.compensate as Compensation<unknown> | null,
    compensateIfUncertain: spec.compensateIfUncertain ?? false,
    ...(spec.when ? { when: spec.when as StepCondition<unknown> } : {}),
    pivot: spec.pivot ?? false,
    retriesForward: declared.some((s) => s.pivot || s.retriesForward),
  }
}

/** Checks a child saga step as it is added. */
export function checkedChildStep(saga: string, declared: readonly StepDefinition[], name: string, spec: ChildSagaStep<unknown, string>, order: CompensationOrder): StepDefinition {
  if (!spec.saga || !spec.saga.definition) refuse(saga, `step '${name}' has no child saga: pass saga(…).build().`)
  const base = checkedStep(saga, declared, name, { action: () => undefined, compensate: null, ...(spec.after ? { after: spec.after } : {}), ...(spec.compensationAfter ? { compensationAfter: spec.compensationAfter } : {}) }, order)
  const { action: _local, ...rest } = base
  // The child's compensations are the step's: the compiler gives the step a compensation task for them.
  return { ...rest, child: { saga: spec.saga, ...(spec.input ? { input: spec.input } : {}) }, compensate: compensateChild }
}

/** The compensation of a child saga step: its child's compensations, run from the child's records (runtime.ts). */
export const compensateChild: Compensation<unknown> = () => {
  throw new Error("tasknet: a child saga step is compensated by its child saga's own compensations, never by this function.")
}

/** Checks the saga as a whole when it is compiled. */
export function checkedSaga(definition: SagaDefinition): SagaDefinition {
  const { name, steps, options } = definition
  if (steps.length === 0) refuse(name, 'has no steps.')
  if (options.order === 'lifo') {
    // Strict LIFO needs a completion order the net knows: one step at a time, in declaration order.
    steps.forEach((step, k) => {
      const expected = k === 0 ? [] : [steps[k - 1]!.name]
      if (step.after.length !== expected.length || step.after.some((a, i) => a !== expected[i])) {
        refuse(name, `order 'lifo' runs the steps one at a time in declaration order, so step '${step.name}' runs after ${k === 0 ? 'nothing' : `'${expected[0]}'`} only; use order 'dependencies' for steps that run in parallel.`)
      }
    })
  }
  if (options.deadlineMs !== undefined && !(Number.isFinite(options.deadlineMs) && options.deadlineMs > 0)) refuse(name, `deadline ${options.deadlineMs}: expected a number of milliseconds > 0.`)
  return definition
}
