import { describe, expectTypeOf, it } from 'vitest'
import { Builder, type WorkflowDefinition } from '../../src'
import type { RouteTarget } from '../../src/builder/contexts'

/**
 * What the Builder's types accept and refuse (api.md: "Types flow"). Each
 * `@ts-expect-error` names why the line must not compile; vitest's typecheck
 * (and `tsc`) report one that is not needed any more.
 */

const dummy = () => Builder.dummyTask()

/** start, c (conditions); a, b, x (tasks); end. */
const declared = Builder.workflow('w')
  .startCondition('start')
  .dummyTask('a', dummy())
  .dummyTask('b', dummy().withSplitType('xor'))
  .dummyTask('x', dummy())
  .condition('c')
  .endCondition('end')

describe('declared names accumulate in the type, as literal unions', () => {
  it('connectCondition and connectTask take exactly the declared names', () => {
    expectTypeOf(declared.connectCondition).parameter(0).toEqualTypeOf<'start' | 'c' | 'end'>()
    // connectTask is generic in the task it connects (to name its implicit conditions): its constraint is the declared tasks.
    declared.connectTask<'a' | 'b' | 'x', never, never>
    // @ts-expect-error 'c' is a condition, not a task
    declared.connectTask<'c', never, never>
  })

  it('before anything is declared, there is nothing to connect', () => {
    expectTypeOf(Builder.workflow('w').connectCondition).parameter(0).toBeNever()
    expectTypeOf(Builder.workflow('w').connectTask).parameter(0).toBeNever()
  })
})

describe('happy paths compile', () => {
  it('a complete workflow with explicit conditions, task-to-task flows and an XOR route', () => {
    const wf = declared
      .connectCondition('start', (to) => to.task('a').task('x'))
      .connectTask('a', (to) => to.task('b'))
      .connectTask('x', (to) => to.condition('c'))
      .connectCondition('c', (to) => to.task('b'))
      .connectTask('b', (to) =>
        to
          .task('a')
          .condition('end')
          .route(async ({ route, task, parent }) => {
            expectTypeOf(task.generation).toBeNumber()
            expectTypeOf(parent.workflow.name).toBeString()
            expectTypeOf(route.toTask).parameter(0).toEqualTypeOf<'a'>()
            expectTypeOf(route.toCondition).parameter(0).toEqualTypeOf<'end'>()
            return task.generation > 2 ? route.toCondition('end') : route.toTask('a')
          }),
      )
    expectTypeOf(wf.build()).toExtend<WorkflowDefinition>()
  })

  it('an OR-split route returns several targets', () => {
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .task('x')
        .condition('c')
        .route(({ route }) => [route.toTask('a'), route.toTask('x'), route.toCondition('c')]),
    )
  })

  it('route.toTask and route.toCondition return targets typed by the names they were given', () => {
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .condition('end')
        .route(({ route }) => {
          expectTypeOf(route.toTask('a')).toEqualTypeOf<RouteTarget<'a', never>>()
          expectTypeOf(route.toCondition('end')).toEqualTypeOf<RouteTarget<never, 'end'>>()
          return route.toTask('a')
        }),
    )
  })
})

describe('declared target sets are typed like the route\'s targets', () => {
  it('a set names the tasks and conditions of the same connectTask call', () => {
    declared.connectTask('b', (to) => {
      const flows = to.task('a').task('x').condition('end')
      expectTypeOf(flows.route).parameter(1).toEqualTypeOf<{ readonly targetSets: readonly (readonly ('a' | 'x' | 'end')[])[] } | undefined>()
      return flows.route(({ route }) => [route.toTask('a'), route.toTask('x')], { targetSets: [['a', 'x'], ['end']] })
    })
  })

  it('a name the flow does not declare does not compile', () => {
    declared.connectTask('b', (to) =>
      to.task('a').condition('end').route(({ route }) => route.toTask('a'), {
        // @ts-expect-error 'ghost' is declared nowhere in the workflow
        targetSets: [['a'], ['ghost']],
      }),
    )
    declared.connectTask('b', (to) =>
      to.task('a').condition('end').route(({ route }) => route.toTask('a'), {
        // @ts-expect-error 'x' is a declared task, but not a flow of this connectTask
        targetSets: [['a'], ['x']],
      }),
    )
    declared.connectTask('b', (to) =>
      to.task('a').route(({ route }) => route.toTask('a'), {
        // @ts-expect-error 'c' is a declared condition, but not a flow of this connectTask
        targetSets: [['a', 'c']],
      }),
    )
  })
})

describe('what must not compile', () => {
  it('connecting to an undeclared task or condition', () => {
    // @ts-expect-error 'ghost' is not a declared task
    declared.connectCondition('start', (to) => to.task('ghost'))
    // @ts-expect-error 'ghost' is not a declared task
    declared.connectTask('a', (to) => to.task('ghost'))
    // @ts-expect-error 'ghost' is not a declared condition
    declared.connectTask('a', (to) => to.condition('ghost'))
    // @ts-expect-error conditions lead only to tasks (the net is bipartite): there is no condition flow builder .condition
    declared.connectCondition('start', (to) => to.condition('c'))
    // @ts-expect-error a condition name is not a task name
    declared.connectTask('a', (to) => to.task('c'))
    // @ts-expect-error a task name is not a condition name
    declared.connectTask('a', (to) => to.condition('x'))
  })

  it('connecting from an undeclared condition or task', () => {
    // @ts-expect-error 'ghost' is not a declared condition
    declared.connectCondition('ghost', (to) => to.task('a'))
    // @ts-expect-error 'a' is a task, not a condition
    declared.connectCondition('a', (to) => to.task('a'))
    // @ts-expect-error 'ghost' is not a declared task
    declared.connectTask('ghost', (to) => to.condition('end'))
    // @ts-expect-error 'start' is a condition, not a task
    declared.connectTask('start', (to) => to.task('a'))
    // @ts-expect-error nothing is declared yet
    Builder.workflow('empty').connectCondition('start', (to) => to)
  })

  it('route.toTask / route.toCondition naming a target the flow does not declare', () => {
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .condition('end')
        // @ts-expect-error 'x' is a declared task, but not a flow of this connectTask
        .route(({ route }) => route.toTask('x')),
    )
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .condition('end')
        // @ts-expect-error 'c' is a declared condition, but not a flow of this connectTask
        .route(({ route }) => route.toCondition('c')),
    )
    declared.connectTask('b', (to) =>
      to
        .task('a')
        // @ts-expect-error no condition flow is declared in this connectTask at all
        .route(({ route }) => route.toCondition('end')),
    )
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .condition('end')
        // @ts-expect-error 'a' is a task target, not a condition target
        .route(({ route }) => route.toCondition('a')),
    )
  })

  it('a route function returning a target it did not make with route.toTask/toCondition', () => {
    declared.connectTask('b', (to) =>
      to
        .task('a')
        .condition('end')
        // @ts-expect-error a route can only name targets that the flow declares (api.md), 'x' is not one of them
        .route(() => ({ kind: 'task' as const, name: 'x' as const })),
    )
  })

  it('declaring a name twice', () => {
    // @ts-expect-error the task 'a' is already declared
    declared.dummyTask('a', dummy())
    // @ts-expect-error 'c' is already a condition, so it cannot name a task
    declared.task('c', Builder.task(Builder.workItem('c')))
    // @ts-expect-error the condition 'c' is already declared
    declared.condition('c')
    // @ts-expect-error 'a' is already a task, so it cannot name a condition
    declared.condition('a')
    // @ts-expect-error 'start' is already declared
    declared.startCondition('start')
    // @ts-expect-error 'end' is already declared
    declared.endCondition('end')
    // @ts-expect-error 'start' is already declared, even right after it was
    Builder.workflow('w').startCondition('start').endCondition('start')
  })

  it('split and join types are the three YAWL ones', () => {
    // @ts-expect-error 'nand' is not a split type
    dummy().withSplitType('nand')
    // @ts-expect-error 'any' is not a join type
    Builder.task(Builder.workItem('w')).withJoinType('any')
  })
})
