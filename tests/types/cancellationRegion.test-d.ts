import { describe, expectTypeOf, it } from 'vitest'
import { Builder, type WorkflowDefinition } from '../../src'

/**
 * `.withCancellationRegion` accepts only declared names (api.md: "Types flow"). Each
 * `@ts-expect-error` names why the line must not compile.
 */

const declared = Builder.workflow('w')
  .startCondition('start')
  .dummyTask('a', Builder.dummyTask())
  .dummyTask('b', Builder.dummyTask())
  .condition('c')
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a').task('b'))
  .connectTask('a', (to) => to.condition('c'))
  .connectCondition('c', (to) => to.task('b'))
  .connectTask('b', (to) => to.condition('end'))

describe('withCancellationRegion', () => {
  it('takes a declared owning task, and regions of declared tasks and conditions', () => {
    expectTypeOf(declared.withCancellationRegion).parameter(0).toEqualTypeOf<'a' | 'b'>()
    const wf = declared.withCancellationRegion('b', (r) => r.task('a').task('b').condition('c').flow('a', 'b'))
    expectTypeOf(wf.build()).toExtend<WorkflowDefinition>()
  })

  it('refuses undeclared names', () => {
    // @ts-expect-error 'ghost' is not a declared task, so it cannot own a region
    declared.withCancellationRegion('ghost', (r) => r.task('a'))
    // @ts-expect-error 'ghost' is not a declared task, so a region cannot cancel it
    declared.withCancellationRegion('b', (r) => r.task('ghost'))
    // @ts-expect-error 'nowhere' is not a declared condition, so a region cannot empty it
    declared.withCancellationRegion('b', (r) => r.condition('nowhere'))
    // @ts-expect-error 'c' is a condition, not a task
    declared.withCancellationRegion('b', (r) => r.task('c'))
    // @ts-expect-error implicit conditions are not declared names; a region names explicit conditions only
    declared.withCancellationRegion('b', (r) => r.condition('a__to__b'))
    // @ts-expect-error a flow is named by two declared tasks; 'c' is a condition
    declared.withCancellationRegion('b', (r) => r.flow('a', 'c'))
    // @ts-expect-error 'ghost' is not a declared task
    declared.withCancellationRegion('b', (r) => r.flow('ghost', 'b'))
  })

  it('before anything is declared, there is nothing to own a region', () => {
    expectTypeOf(Builder.workflow('w').withCancellationRegion).parameter(0).toBeNever()
  })
})
