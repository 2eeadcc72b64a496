import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod/v4'
import { compensates, sagaFromClass, step, type CompensationContext, type Saga, type SagaBuilder, type StepContext } from '../../src'

/**
 * The class style of sagas (docs/sagas.md#classes-with-decorators), the static half: the decorators accept
 * only instance methods with the context of their kind, and `sagaFromClass` types the saga's input from its
 * schema. tests/sagas/decorators.test.ts runs them.
 */

type Order = { orderId: string; amount: number }
const order = z.object({ orderId: z.string(), amount: z.number() })

describe('@step and @compensates', () => {
  it('take a method receiving a StepContext, or a CompensationContext, or nothing', () => {
    class Placement {
      @step()
      createOrder(ctx: StepContext<Order>) {
        return { orderId: ctx.input.orderId }
      }
      @compensates('createOrder')
      async cancelOrder(ctx: CompensationContext<Order>) {
        expectTypeOf(ctx.cause).toEqualTypeOf<'stepFailed' | 'canceled' | 'deadline'>()
      }
      @step({ after: ['createOrder'], name: 'charge' })
      async chargePayment() {}
      @compensates('charge', { after: ['createOrder'] })
      refund() {}
    }
    expectTypeOf(sagaFromClass(Placement, { order: 'graph', input: order })).toEqualTypeOf<SagaBuilder<Order, string>>()
  })

  it('refuse a method of the wrong kind, a non-method, options of the wrong type', () => {
    class Wrong {
      // @ts-expect-error: a step's action receives a StepContext, not a number
      @step()
      createOrder(amount: number) {
        return amount
      }
      // @ts-expect-error: a compensation receives a CompensationContext (no `outputs`, no `keep`)
      @compensates('createOrder')
      cancelOrder(ctx: StepContext<Order>) {
        return ctx.outputs
      }
      // @ts-expect-error: fields are not steps
      @step()
      field = () => undefined
      // @ts-expect-error: nor are getters
      @step()
      get total() {
        return 1
      }
      // @ts-expect-error: `after` is a list of step names
      @step({ after: 'createOrder' })
      chargePayment() {}
      // @ts-expect-error: @compensates names the step it compensates
      @compensates()
      refund() {}
    }
    void Wrong
  })
})

describe('sagaFromClass', () => {
  it("types the saga's input from its schema, unknown without one", () => {
    class Local {
      @step()
      reserve() {}
    }
    expectTypeOf(sagaFromClass(Local, { input: order }).build()).toEqualTypeOf<Saga<Order>>()
    expectTypeOf(sagaFromClass(Local).build()).toEqualTypeOf<Saga<unknown>>()
    expectTypeOf(sagaFromClass(Local, { name: 'local', order: 'lifo', onCompensationFailure: 'halt', deadlineMs: 1000 })).toEqualTypeOf<SagaBuilder<unknown, string>>()
  })

  it('takes a class it can instantiate without arguments', () => {
    class NeedsArgs {
      constructor(readonly service: string) {}
      @step()
      reserve() {}
    }
    // @ts-expect-error: sagaFromClass makes the instance itself, without arguments
    sagaFromClass(NeedsArgs)
    class Fine {
      @step()
      reserve() {}
    }
    // @ts-expect-error: an unknown order
    sagaFromClass(Fine, { order: 'fifo' })
  })
})
