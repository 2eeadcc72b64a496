import { ConvexError } from 'convex/values'
import { describe, expect, it } from 'vitest'
import { z } from 'zod/v4'
import { compensates, saga, sagaFromClass, step, type CompensationContext, type StepContext } from '../../src'
import type { TasknetErrorData } from '../../src/errors'

/**
 * The class style of sagas (src/saga/decorators.ts): what `sagaFromClass` hands to the builder, and what it
 * refuses. The runs themselves are the builder's: tests/sagas/placement.test.ts runs `004_…`'s classes.
 */

/** The error `fn` throws: a tasknet error's data. */
function refusal(fn: () => unknown): TasknetErrorData {
  try {
    fn()
  } catch (error) {
    expect(error).toBeInstanceOf(ConvexError)
    return (error as ConvexError<TasknetErrorData>).data
  }
  throw new Error('expected a refusal')
}

type Input = { orderId: string }
const input = z.object({ orderId: z.string() })
const noop = () => undefined

describe('sagaFromClass', () => {
  it('hands the steps to the builder in declaration order, with their after, compensations and compensationAfter', () => {
    class Placement {
      @step()
      createOrder() {
        return { orderId: 'o' }
      }
      @compensates('createOrder')
      cancelOrder() {}
      @step({ after: ['createOrder'] })
      chargePayment() {}
      @compensates('chargePayment', { after: ['createOrder'] })
      refundPayment() {}
      @step({ name: 'notify', after: ['chargePayment'] })
      sendConfirmation() {}
    }
    const built = sagaFromClass(Placement, { order: 'graph', input }).build()
    expect(built.name).toBe('Placement')
    expect(built.definition.options).toEqual({ order: 'graph', onCompensationFailure: 'continue' })
    expect(built.definition.input).toBe(input)
    expect(built.definition.steps.map((s) => [s.name, s.after, s.compensationAfter, s.compensate === null])).toEqual([
      ['createOrder', [], [], false],
      ['chargePayment', ['createOrder'], ['createOrder'], false],
      ['notify', ['chargePayment'], [], true],
    ])
    // The same net as the builder's declaration of the same saga.
    const declared = saga('Placement', { order: 'graph' })
      .input(input)
      .step('createOrder', { action: noop, compensate: noop })
      .step('chargePayment', { action: noop, compensate: noop, after: ['createOrder'], compensationAfter: ['createOrder'] })
      .step('notify', { action: noop, compensate: null, after: ['chargePayment'] })
      .build()
    expect(built.workflow.net).toEqual(declared.workflow.net)
  })

  it("calls the methods on one instance, a base class's steps first; lifo's default after is the step declared before", async () => {
    const calls: string[] = []
    class Base {
      readonly prefix = 'svc'
      @step()
      first(ctx: StepContext<Input>) {
        calls.push(`${this.prefix}: first ${ctx.input.orderId}`)
        return { made: 1 }
      }
    }
    class Derived extends Base {
      @step()
      second() {
        calls.push(`${this.prefix}: second`)
      }
      @compensates('first')
      undoFirst(ctx: CompensationContext<Input>) {
        calls.push(`${this.prefix}: undo first ${JSON.stringify(ctx.output)}`)
      }
    }
    const built = sagaFromClass(Derived, { name: 'derived' }).build()
    expect(built.definition.options.order).toBe('lifo')
    expect(built.definition.steps.map((s) => [s.name, s.after])).toEqual([
      ['first', []],
      ['second', ['first']],
    ])
    const [first, second] = built.definition.steps
    const base = { mutationCtx: {} as never, workflowId: 'w' as never, input: { orderId: 'o1' }, attempt: 1 }
    expect(await first!.action!({ ...base, step: 'first', outputs: {}, keep: noop })).toEqual({ made: 1 })
    await second!.action!({ ...base, step: 'second', outputs: {}, keep: noop })
    await first!.compensate!({ ...base, step: 'first', output: { made: 1 }, snapshot: undefined, cause: 'stepFailed', error: 'x' })
    expect(second!.compensate).toBeNull()
    expect(calls).toEqual(['svc: first o1', 'svc: second', 'svc: undo first {"made":1}'])
  })

  it('returns a builder: steps the class cannot declare (service, human) are added after its own', () => {
    class Local {
      @step()
      reserve() {}
      @compensates('reserve')
      release() {}
    }
    const built = sagaFromClass(Local, { order: 'dependencies' }).step('approve', { human: {}, compensate: null, after: ['reserve'] }).build()
    expect(built.definition.steps.map((s) => s.name)).toEqual(['reserve', 'approve'])
  })
})

describe('sagaFromClass refuses, with INVALID_DEFINITION', () => {
  it('a compensation of a step no method declares', () => {
    class Typo {
      @step()
      createOrder() {}
      @compensates('createOrdr')
      cancelOrder() {}
    }
    expect(refusal(() => sagaFromClass(Typo))).toEqual({
      code: 'INVALID_DEFINITION',
      saga: 'Typo',
      message: "Saga class 'Typo': method 'cancelOrder' compensates 'createOrdr', which no @step method declares (steps: 'createOrder').",
    })
  })

  it('two steps with one name', () => {
    class Twice {
      @step({ name: 'charge' })
      chargeCard() {}
      @step({ name: 'charge' })
      chargeWallet() {}
    }
    expect(refusal(() => sagaFromClass(Twice)).message).toBe("Saga class 'Twice': methods 'chargeCard' and 'chargeWallet' both declare step 'charge'.")
  })

  it('a method decorated twice', () => {
    class Both {
      @step()
      @compensates('createOrder')
      createOrder() {}
    }
    expect(refusal(() => sagaFromClass(Both)).message).toBe(
      "Saga class 'Both': method 'createOrder' is decorated twice (@compensates and @step): a method is one step's action or one step's compensation.",
    )
    class SameTwice {
      @step()
      @step()
      createOrder() {}
    }
    expect(refusal(() => sagaFromClass(SameTwice)).message).toMatch(/method 'createOrder' is decorated twice \(@step and @step\)/)
  })

  it('a decorated method declared again in a subclass', () => {
    class Base {
      @step()
      createOrder() {}
    }
    class Override extends Base {
      @step()
      override createOrder() {}
    }
    expect(refusal(() => sagaFromClass(Override)).message).toMatch(/^Saga class 'Override': method 'createOrder' is declared twice with a decorator/)
  })

  it('a second compensation of a step, a class without steps, an anonymous class without a name', () => {
    class TwoUndos {
      @step()
      createOrder() {}
      @compensates('createOrder')
      cancelOrder() {}
      @compensates('createOrder')
      deleteOrder() {}
    }
    expect(refusal(() => sagaFromClass(TwoUndos)).message).toBe("Saga class 'TwoUndos': methods 'cancelOrder' and 'deleteOrder' both compensate step 'createOrder'; a step has one compensation.")
    class Empty {
      createOrder() {}
    }
    expect(refusal(() => sagaFromClass(Empty)).message).toBe("Saga class 'Empty': has no @step method.")
    expect(refusal(() => sagaFromClass(class {})).message).toBe("Saga class '(anonymous)': an anonymous class has no name to give the saga: pass 'name'.")
  })

  it("what the builder refuses: an `after` naming a later step, compensationAfter outside order 'graph'", () => {
    class Backwards {
      @step({ after: ['chargePayment'] })
      createOrder() {}
      @step()
      chargePayment() {}
    }
    expect(refusal(() => sagaFromClass(Backwards, { order: 'dependencies' })).message).toBe(
      "Saga 'Backwards': step 'createOrder' lists 'chargePayment' in 'after', which is not a step declared before it.",
    )
    class NotGraph {
      @step()
      createOrder() {}
      @step({ after: ['createOrder'] })
      chargePayment() {}
      @compensates('chargePayment', { after: ['createOrder'] })
      refund() {}
    }
    expect(refusal(() => sagaFromClass(NotGraph, { order: 'dependencies' })).message).toBe("Saga 'NotGraph': step 'chargePayment' has 'compensationAfter', which only order 'graph' reads.")
  })

  it('a static method, where the class is declared', () => {
    expect(
      refusal(() => {
        class Static {
          @step()
          static createOrder() {}
        }
        return Static
      }),
    ).toEqual({
      code: 'INVALID_DEFINITION',
      method: 'createOrder',
      message: "@step on static method 'createOrder': a saga's steps are public instance methods with a name, which sagaFromClass finds on the instance it makes.",
    })
  })
})
