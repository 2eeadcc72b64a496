import type { z } from 'zod/v4'
import type { WorkflowDefinition } from '../builder/definition'
import type { AnyWorkflowBuilder } from '../builder/compositeTask'
import { compileSaga } from './compile'
import { checkedChildStep, checkedStep, type ChildSagaStep, type SagaDefinition, type SagaOptions, type StepSpec } from './define'
import type { SagaBinding } from './runtime'

/** A compiled saga: its definition, the workflow net it compiles to, and where `sagaApi` bound its functions. */
export type Saga<Input = unknown> = {
  readonly name: string
  readonly definition: SagaDefinition
  /** An ordinary workflow definition: `verifyWorkflow`, `toMermaid` and the journal read it as any other. */
  readonly workflow: WorkflowDefinition
  /** The net before it was built: what a composite task takes as its child (`Builder.compositeTask(saga.builder)`). */
  readonly builder: AnyWorkflowBuilder
  /** @internal Filled in by `sagaApi`. */
  readonly binding: SagaBinding
  /** Type only: the saga's input. */
  readonly _input?: Input
}

/**
 * Declares a saga step by step (docs/sagas.md). Immutable: every call returns a new builder.
 *
 * @example
 * const signup = saga('signup', { order: 'lifo' })
 *   .input(z.object({ email: z.string() }))
 *   .step('createUser', { action: ({ mutationCtx, input }) => Users.create(mutationCtx, input.email), compensate: ({ mutationCtx, output }) => Users.delete(mutationCtx, output) })
 *   .step('sendWelcome', { service: { action: internal.email.send, retry }, compensate: null })
 *   .build()
 */
export class SagaBuilder<Input = unknown, Steps extends string = never> {
  /** @internal */
  constructor(readonly spec: SagaDefinition) {}

  /** The schema of the saga's input: what `internalInitializeRootWorkflow`'s payload must match, and what every step reads as `input`. */
  input<S extends z.ZodType>(schema: S): SagaBuilder<z.output<S>, Steps> {
    return new SagaBuilder({ ...this.spec, input: schema })
  }

  /** A step: its forward action (`action`, local, or `service`), its compensation, and the steps it runs after. */
  step<N extends string>(name: N, spec: StepSpec<Input, Steps>): SagaBuilder<Input, Steps | N> {
    const step = checkedStep(this.spec.name, this.spec.steps, name, spec as StepSpec<unknown, string>, this.spec.options.order)
    return new SagaBuilder({ ...this.spec, steps: [...this.spec.steps, step] })
  }

  /** A step carried out by a child saga: it completes when the child completes, fails when the child compensated. */
  childSaga<N extends string>(name: N, spec: ChildSagaStep<Input, Steps>): SagaBuilder<Input, Steps | N> {
    const step = checkedChildStep(this.spec.name, this.spec.steps, name, spec as ChildSagaStep<unknown, string>, this.spec.options.order)
    return new SagaBuilder({ ...this.spec, steps: [...this.spec.steps, step] })
  }

  /** Compiles the saga to its net (refused with INVALID_DEFINITION if it cannot run). */
  build(): Saga<Input> {
    const binding: SagaBinding = {}
    const builder = compileSaga(this.spec, binding)
    return { name: this.spec.name, definition: this.spec, workflow: (builder as { build(): WorkflowDefinition }).build(), builder: builder as AnyWorkflowBuilder, binding }
  }
}

/**
 * Starts a saga's declaration. `order` (default `lifo`) and `onCompensationFailure` (default `continue`) are
 * explained in docs/sagas.md#compensation-order; `deadlineMs` makes the saga compensate if it has not completed by then.
 */
export function saga(name: string, options: Partial<SagaOptions> = {}): SagaBuilder {
  return new SagaBuilder({
    name,
    steps: [],
    options: {
      order: options.order ?? 'lifo',
      onCompensationFailure: options.onCompensationFailure ?? 'continue',
      ...(options.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}),
      ...(options.forwardRetry ? { forwardRetry: options.forwardRetry } : {}),
    },
  })
}
