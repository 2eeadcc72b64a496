import { ConvexError } from 'convex/values'
import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'
import type { SplitType } from '../../src/net/definition'

/**
 * The target sets a route declares (`.route(fn, { targetSets })`, api.md "Builder"): `build()`
 * stores them in the net as the output conditions each set marks, and refuses sets that do not fit
 * the flows and split they belong to (INVALID_DEFINITION, every problem listed). Casts (`as never`)
 * reach the checks a JavaScript caller or a generated net would hit.
 */

const split = (type: SplitType) => Builder.dummyTask().withSplitType(type)

/** `choose` splits to tasks `a`, `b` and the condition `side`; everything ends in `end`. */
function chooser(type: SplitType, targetSets: readonly (readonly string[])[] | undefined) {
  return Builder.workflow('broken')
    .startCondition('start')
    .dummyTask('choose', split(type))
    .dummyTask('a', split('and'))
    .dummyTask('b', split('and'))
    .condition('side')
    .dummyTask('leave', split('and'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('choose'))
    .connectTask('choose', (to) =>
      to
        .task('a')
        .task('b')
        .condition('side')
        .route(({ route }) => route.toTask('a'), targetSets === undefined ? undefined : { targetSets: targetSets as never }),
    )
    .connectTask('a', (to) => to.condition('end'))
    .connectTask('b', (to) => to.condition('end'))
    .connectCondition('side', (to) => to.task('leave'))
    .connectTask('leave', (to) => to.condition('end'))
}

/** The problem lines of the error `build()` throws; fails when it builds. */
function problems(builder: { build(): unknown }): string[] {
  let error: unknown
  try {
    builder.build()
  } catch (e) {
    error = e
  }
  if (!(error instanceof ConvexError)) throw new Error(`expected build() to throw a ConvexError, got ${String(error)}`)
  const data = error.data as { code: string; message: string; workflowName: string }
  expect(data.code).toBe('INVALID_DEFINITION')
  expect(data.workflowName).toBe('broken')
  const [head, ...lines] = data.message.split('\n')
  expect(head).toBe("Workflow 'broken' cannot run:")
  return lines
}

describe('declared target sets are stored in the net', () => {
  it('as the output conditions each set marks: the implicit condition of a flow to a task, else the condition', () => {
    const { net } = chooser('or', [['a', 'b'], ['side'], ['b', 'a', 'side']]).build()
    expect(net.tasks.choose!.targetSets).toEqual([['choose__to__a', 'choose__to__b'], ['side'], ['choose__to__b', 'choose__to__a', 'side']])
    expect(Object.isFrozen(net.tasks.choose!.targetSets)).toBe(true)
    expect(Object.isFrozen(net.tasks.choose!.targetSets![0])).toBe(true)
  })

  it('an XOR-split takes sets of one target each', () => {
    const { net } = chooser('xor', [['a'], ['side']]).build()
    expect(net.tasks.choose!.targetSets).toEqual([['choose__to__a'], ['side']])
  })

  it('a route without them leaves the task node as before (no targetSets key)', () => {
    const { net } = chooser('or', undefined).build()
    expect('targetSets' in net.tasks.choose!).toBe(false)
  })

  it('a later .route(fn) without options replaces the declared sets with none', () => {
    const { net } = Builder.workflow('w')
      .startCondition('start')
      .dummyTask('choose', split('or'))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('choose'))
      .connectTask('choose', (to) =>
        to
          .condition('end')
          .route(({ route }) => route.toCondition('end'), { targetSets: [['end']] })
          .route(({ route }) => route.toCondition('end')),
      )
      .build()
    expect('targetSets' in net.tasks.choose!).toBe(false)
  })
})

describe('build() refuses target sets that do not fit (INVALID_DEFINITION)', () => {
  const where = "- connectTask('choose', ...): the target set"

  it('no set at all, as one empty set', () => {
    expect(problems(chooser('or', []))).toEqual([`${where} [] is empty: name one or more of its targets (a, b, side).`])
  })

  it('an empty set', () => {
    expect(problems(chooser('or', [['a'], []]))).toEqual([`${where} [] is empty: name one or more of its targets (a, b, side).`])
  })

  it('a name that is not a target of the flow: a task of the workflow not listed here, and an undeclared name', () => {
    expect(problems(chooser('or', [['a', 'leave'], ['ghost']]))).toEqual([
      `${where} [a, leave] names 'leave', not one of its targets (a, b, side).`,
      `${where} [ghost] names 'ghost', not one of its targets (a, b, side).`,
    ])
  })

  it('a name twice within one set', () => {
    expect(problems(chooser('or', [['a', 'b', 'a']]))).toEqual([`${where} [a, b, a] names 'a' twice.`])
  })

  it('the same set twice, in any order', () => {
    expect(problems(chooser('or', [['a', 'b'], ['side'], ['b', 'a']]))).toEqual([`${where} [b, a] is declared twice (in any order).`])
  })

  it('a set of more than one target on an XOR-split', () => {
    expect(problems(chooser('xor', [['a'], ['b', 'side']]))).toEqual([`${where} [b, side] has 2 targets; an XOR-split takes one per set.`])
  })

  it('an AND-split takes no route, with or without sets', () => {
    expect(problems(chooser('and', [['a', 'b', 'side']]))).toEqual([
      "- task 'choose' has a route function but an AND-split, which takes every flow: add .withSplitType('xor') or ('or'), or drop the route.",
    ])
  })

  it('lists every problem of every set at once, and stores nothing', () => {
    expect(problems(chooser('xor', [['a', 'a'], ['ghost'], ['b'], ['b']]))).toEqual([
      `${where} [a, a] names 'a' twice.`,
      `${where} [a, a] has 2 targets; an XOR-split takes one per set.`,
      `${where} [ghost] names 'ghost', not one of its targets (a, b, side).`,
      `${where} [b] is declared twice (in any order).`,
    ])
  })
})
