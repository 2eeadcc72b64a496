import { describe, expectTypeOf, it } from 'vitest'
import { z } from 'zod'
import { Builder, instancePolicy, type CompositePolicy, type InstancePolicy, type Policy, type PolicyResult, type TaskBuilder } from '../../src'

/**
 * The multiple-instance policies fit `.withPolicy(...)` as they are, and a
 * policy of your own can call one and use its decision (api.md, "Multiple
 * instances"). Each `@ts-expect-error` names why the line must not compile.
 */

const review = Builder.workItem('review').withActions(
  Builder.workItemActions().complete(z.object({ approved: z.boolean() }), async ({ workItem }) => {
    await workItem.complete()
  }),
)

describe('instancePolicy helpers are policies', () => {
  it('each helper is accepted by withPolicy and keeps the task builder typed', () => {
    const task = Builder.task(review)
    const all = task.withPolicy(instancePolicy.all())
    const threshold = task.withPolicy(instancePolicy.threshold(2, { maxFailures: 1 }))
    const first = task.withPolicy(instancePolicy.first({ maxFailures: Infinity }))
    type Expected = typeof task
    expectTypeOf<Expected>().toExtend<TaskBuilder<{ complete: z.ZodType }, 'review'>>()
    expectTypeOf(all).toEqualTypeOf<Expected>()
    expectTypeOf(threshold).toEqualTypeOf<Expected>()
    expectTypeOf(first).toEqualTypeOf<Expected>()
    expectTypeOf(instancePolicy.threshold(2)).toExtend<Policy>()
  })

  it('a composite task takes them too (its stats count child workflows)', () => {
    const child = Builder.workflow('child')
      .startCondition('start')
      .task('a', Builder.task(review))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('end'))
    expectTypeOf(instancePolicy.first()).toExtend<CompositePolicy>()
    Builder.compositeTask(child).withPolicy(instancePolicy.threshold(2, { maxFailures: 1 }))
  })

  it('a helper always decides (never defers), so a wrapping policy gets a PolicyResult to return', () => {
    expectTypeOf<ReturnType<InstancePolicy>>().toEqualTypeOf<Promise<PolicyResult>>()
    Builder.task(review).withPolicy(async (ctx) => {
      const decision = await instancePolicy.threshold(2)(ctx)
      expectTypeOf(decision).toEqualTypeOf<PolicyResult>()
      return ctx.transition.nextState === 'failed' ? 'complete' : decision
    })
  })

  it('refuses arguments of the wrong shape', () => {
    // @ts-expect-error the threshold is a number of work items, not a string
    instancePolicy.threshold('2')
    // @ts-expect-error threshold needs its n
    instancePolicy.threshold()
    // @ts-expect-error the option is maxFailures (plural)
    instancePolicy.all({ maxFailure: 1 })
    // @ts-expect-error first takes options, not a count: use threshold(n)
    instancePolicy.first(2)
  })
})
