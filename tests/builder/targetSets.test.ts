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
  it('no set at all', () => {
    expect(problems(chooser('or', []))).toEqual([
      "- connectTask('choose', ...) declares no target sets: pass .route(fn, { targetSets: [[...], ...] }) at least one set of its targets (a, b, side), or leave the option out.",
    ])
  })

  it('an empty set', () => {
    expect(problems(chooser('or', [['a'], []]))).toEqual([
      "- connectTask('choose', ...) declares an empty target set []: each set names at least one of its targets (a, b, side); remove it.",
    ])
  })

  it('a set that is not an array', () => {
    expect(problems(chooser('or', ['a' as never]))).toEqual([
      "- connectTask('choose', ...) declares the target set a, which is not an array: each set is an array of target names, e.g. ['a'].",
    ])
  })

  it('a name that is not a target of the flow: a task of the workflow not listed here, and an undeclared name', () => {
    expect(problems(chooser('or', [['a', 'leave'], ['ghost']]))).toEqual([
      "- connectTask('choose', ...) declares the target set [a, leave], but 'leave' is not one of its targets (a, b, side): a set names only targets listed in the same connectTask call.",
      "- connectTask('choose', ...) declares the target set [ghost], but 'ghost' is not one of its targets (a, b, side): a set names only targets listed in the same connectTask call.",
    ])
  })

  it('a name twice within one set', () => {
    expect(problems(chooser('or', [['a', 'b', 'a']]))).toEqual([
      "- connectTask('choose', ...) declares the target set [a, b, a], which names 'a' twice: name each target of a set once.",
    ])
  })

  it('the same set twice, in any order', () => {
    expect(problems(chooser('or', [['a', 'b'], ['side'], ['b', 'a']]))).toEqual([
      "- connectTask('choose', ...) declares the target set [b, a] twice (as [a, b] and [b, a]; order does not matter): declare each set once.",
    ])
  })

  it('a set of more than one target on an XOR-split', () => {
    expect(problems(chooser('xor', [['a'], ['b', 'side']]))).toEqual([
      "- task 'choose' has an XOR-split, which takes exactly one flow, but its target set [b, side] names 2 targets: give each set one target, or use .withSplitType('or').",
    ])
  })

  it('an AND-split takes no route, with or without sets', () => {
    expect(problems(chooser('and', [['a', 'b', 'side']]))).toEqual([
      "- task 'choose' has a route function but an AND-split, which takes every flow: add .withSplitType('xor') or ('or'), or drop the route.",
    ])
  })

  it('lists every problem of every set at once', () => {
    expect(problems(chooser('xor', [['a', 'a'], ['ghost'], ['b'], ['b']]))).toHaveLength(4)
  })
})
