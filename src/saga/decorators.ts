import type { z } from 'zod/v4'
import { tasknetError } from '../errors'
import { saga, type SagaBuilder } from './builder'
import type { CompensationContext, SagaOptions, StepContext } from './define'

/**
 * Sagas declared as classes (docs/sagas.md#classes-with-decorators), `004_…`'s `@step`/`@compensate` on
 * TypeScript's standard decorators: `@step` marks a method as a step's local action, `@compensates` as a
 * step's compensation, and `sagaFromClass` hands them to the builder (`saga(…).step(…)`), so a class is only
 * another way to write the same definition — one runtime, one compiler, the same checks.
 *
 * The decorators cannot see the class they decorate (a method decorator gets only its method), so each one adds
 * an initializer, which the language runs when the class is instantiated: `sagaFromClass` makes one instance
 * and reads what the initializers declared on it, in declaration order (a base class's methods first).
 */

type Declared = {
  kind: 'step' | 'compensation'
  /** The decorated method's name. */
  method: string
  /** The step it is the action or the compensation of. */
  step: string
  /** `after` of `@step`; `compensationAfter` from `@compensates`. Undefined when not given. */
  after: readonly string[] | undefined
  fn: (ctx: never) => unknown
}

// Pure: a bundle that never imports the class style drops it (npm run size).
const declaredOn = /* @__PURE__ */ new WeakMap<object, Declared[]>()

const decoratorName = { step: '@step', compensation: '@compensates' } as const

function mark(kind: Declared['kind'], step: string | undefined, after: readonly string[] | undefined, fn: (ctx: never) => unknown, context: ClassMethodDecoratorContext) {
  const where = `${decoratorName[kind]} on ${context.static ? 'static ' : ''}${context.private ? 'private ' : ''}method '${String(context.name)}'`
  if (context.kind !== 'method') throw tasknetError('INVALID_DEFINITION', `${decoratorName[kind]} decorates methods only, not a ${String((context as { kind: string }).kind)}.`, {})
  if (context.static || context.private || typeof context.name !== 'string') {
    throw tasknetError('INVALID_DEFINITION', `${where}: a saga's steps are public instance methods with a name, which sagaFromClass finds on the instance it makes.`, { method: String(context.name) })
  }
  const method = context.name
  context.addInitializer(function (this: unknown) {
    const list = declaredOn.get(this as object) ?? []
    list.push({ kind, method, step: step ?? method, after, fn })
    declaredOn.set(this as object, list)
  })
}

/** Options of `@step`. */
export type StepOptions = {
  /** The step's name; by default the method's. */
  name?: string
  /** The steps that must complete before this one starts (the builder's `after`). */
  after?: readonly string[]
}

/** Options of `@compensates`. */
export type CompensatesOptions = {
  /** The steps whose compensations must finish before this one starts (the builder's `compensationAfter`; order `graph`). */
  after?: readonly string[]
}

/**
 * Marks a method as a saga step's local action (the builder's `action`): it receives a `StepContext` (the saga's
 * `input`, the `outputs` of the steps it runs after, `keep`), and what it returns is the step's output. The
 * step's name is the method's unless `name` says otherwise. A step without an `@compensates` method has nothing
 * to undo (`compensate: null`).
 */
export function step(options: StepOptions = {}) {
  return function <This, Input>(method: (this: This, ctx: StepContext<Input>) => unknown, context: ClassMethodDecoratorContext<This, (this: This, ctx: StepContext<Input>) => unknown>): void {
    mark('step', options.name, options.after, method as (ctx: never) => unknown, context as ClassMethodDecoratorContext)
  }
}

/**
 * Marks a method as the compensation of the step `stepName` (the builder's `compensate`): it receives a `CompensationContext`
 * (the step's `output` and kept `snapshot`, the saga's `input`, the `cause`). `after` names the steps whose
 * compensations must finish first (order `graph`, `004_…`'s `@compensate(…, depends_on=[…])`).
 */
export function compensates(stepName: string, options: CompensatesOptions = {}) {
  return function <This, Input>(
    method: (this: This, ctx: CompensationContext<Input>) => unknown,
    context: ClassMethodDecoratorContext<This, (this: This, ctx: CompensationContext<Input>) => unknown>,
  ): void {
    mark('compensation', stepName, options.after, method as (ctx: never) => unknown, context as ClassMethodDecoratorContext)
  }
}

/** Options of `sagaFromClass`: those of `saga(name, …)`, the saga's name (by default the class's) and its input schema. */
export type SagaClassOptions = Partial<SagaOptions> & { name?: string }

/**
 * The saga a class declares with `@step` and `@compensates`, as a `SagaBuilder` holding its steps in the
 * order the methods are declared (a base class's first): `.build()` it, or add steps the class cannot declare
 * (service or human steps) first. The class is instantiated once, without arguments, and its methods are called
 * on that instance: keep no state of a run in it (a run's state is its records: `input`, `outputs`, `keep`).
 * Refused with INVALID_DEFINITION: a class without steps, a method decorated twice or declared twice, two steps
 * with one name, a compensation of an unknown step or a second one for a step, and whatever `saga(…).step(…)`
 * refuses.
 *
 * @example
 * class OrderPlacement {
 *   @step() createOrder(ctx: StepContext<Order>) { … }
 *   @compensates('createOrder') cancelOrder(ctx: CompensationContext<Order>) { … }
 * }
 * export const placement = sagaFromClass(OrderPlacement, { order: 'graph', input: orderSchema }).build()
 */
export function sagaFromClass<S extends z.ZodType>(cls: new () => object, options: SagaClassOptions & { input: S }): SagaBuilder<z.output<S>, string>
export function sagaFromClass(cls: new () => object, options?: SagaClassOptions): SagaBuilder<unknown, string>
export function sagaFromClass(cls: new () => object, options: SagaClassOptions & { input?: z.ZodType } = {}): SagaBuilder<unknown, string> {
  const name = options.name ?? cls.name
  const refuse = (message: string): never => {
    throw tasknetError('INVALID_DEFINITION', `Saga class '${cls.name || '(anonymous)'}': ${message}`, { saga: name })
  }
  if (!name) refuse("an anonymous class has no name to give the saga: pass 'name'.")
  const instance = new cls()
  const declared = declaredOn.get(instance) ?? []

  const byMethod = new Map<string, Declared>()
  for (const d of declared) {
    const earlier = byMethod.get(d.method)
    if (!earlier) {
      byMethod.set(d.method, d)
      continue
    }
    if (earlier.fn === d.fn) {
      refuse(`method '${d.method}' is decorated twice (${decoratorName[earlier.kind]} and ${decoratorName[d.kind]}): a method is one step's action or one step's compensation.`)
    }
    refuse(`method '${d.method}' is declared twice with a decorator (twice in the class, or in a base class and again in a subclass): each would be a step or a compensation of its own under one name.`)
  }

  const steps = declared.filter((d) => d.kind === 'step')
  if (steps.length === 0) refuse('has no @step method.')
  const stepOf = new Map<string, Declared>()
  for (const s of steps) {
    const other = stepOf.get(s.step)
    if (other) refuse(`methods '${other.method}' and '${s.method}' both declare step '${s.step}'.`)
    stepOf.set(s.step, s)
  }
  const compensationOf = new Map<string, Declared>()
  for (const c of declared.filter((d) => d.kind === 'compensation')) {
    if (!stepOf.has(c.step)) refuse(`method '${c.method}' compensates '${c.step}', which no @step method declares (steps: ${[...stepOf.keys()].map((s) => `'${s}'`).join(', ')}).`)
    const other = compensationOf.get(c.step)
    if (other) refuse(`methods '${other.method}' and '${c.method}' both compensate step '${c.step}'; a step has one compensation.`)
    compensationOf.set(c.step, c)
  }

  const { input, name: _name, ...sagaOptions } = options
  let builder = saga(name, sagaOptions) as SagaBuilder<unknown, string>
  if (input) builder = builder.input(input) as SagaBuilder<unknown, string>
  for (const s of steps) {
    const compensation = compensationOf.get(s.step)
    builder = builder.step(s.step, {
      action: (ctx) => (s.fn as (ctx: StepContext<unknown>) => unknown).call(instance, ctx),
      compensate: compensation ? async (ctx) => void (await (compensation.fn as (ctx: CompensationContext<unknown>) => unknown).call(instance, ctx)) : null,
      ...(s.after ? { after: s.after } : {}),
      ...(compensation?.after ? { compensationAfter: compensation.after } : {}),
    })
  }
  return builder
}
