import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import { Builder } from '../../src/builder'

/**
 * Builders are immutable (api.md, style.md): every call returns a new builder
 * and leaves the one it was called on exactly as it was, so a builder can be
 * shared and branched.
 */

/** A deep copy of plain objects and arrays; functions, schemas and builders are kept by reference. */
function snapshot<T>(value: T): T {
  if (Array.isArray(value)) return value.map(snapshot) as T
  if (value !== null && typeof value === 'object') {
    const proto = Object.getPrototypeOf(value)
    if (proto === Object.prototype || proto === null) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, snapshot(v)])) as T
    }
  }
  return value
}

/** Calls `method` on `original` and checks that it made a new, different builder and left `original` alone. */
function expectImmutable<B extends { readonly spec: unknown }>(original: B, method: (b: B) => { readonly spec: unknown }) {
  const before = snapshot(original.spec)
  const result = method(original)
  expect(result).not.toBe(original)
  expect(result.spec).not.toEqual(before) // the call did change something (the case is not vacuous)
  expect(original.spec).toEqual(before)
}

const noop = async () => {}
const workflow = () =>
  Builder.workflow('w').startCondition('start').dummyTask('a', Builder.dummyTask()).condition('c').endCondition('end')
const task = () => Builder.task(Builder.workItem('item'))
const workItem = () => Builder.workItem('item')

describe('every builder method returns a new builder and leaves the original unchanged', () => {
  it.each<[string, () => void]>([
    ['workflow.startCondition', () => expectImmutable(Builder.workflow('w'), (b) => b.startCondition('s'))],
    ['workflow.endCondition', () => expectImmutable(workflow(), (b) => b.endCondition('e'))],
    ['workflow.condition', () => expectImmutable(workflow(), (b) => b.condition('c2'))],
    ['workflow.task', () => expectImmutable(workflow(), (b) => b.task('t', task()))],
    ['workflow.dummyTask', () => expectImmutable(workflow(), (b) => b.dummyTask('d', Builder.dummyTask()))],
    ['workflow.connectCondition', () => expectImmutable(workflow(), (b) => b.connectCondition('start', (to) => to.task('a')))],
    ['workflow.connectTask', () => expectImmutable(workflow(), (b) => b.connectTask('a', (to) => to.condition('end')))],
    [
      'workflow.withActions',
      () =>
        expectImmutable(workflow(), (b) =>
          b.withActions(
            Builder.workflowActions().initialize(z.object({ n: z.number() }), async ({ workflow }) => {
              await workflow.initialize()
            }),
          ),
        ),
    ],
    ['workflow.withActivities', () => expectImmutable(workflow(), (b) => b.withActivities({ onStarted: noop }))],
    ['task.withSplitType', () => expectImmutable(task(), (b) => b.withSplitType('xor'))],
    ['task.withJoinType', () => expectImmutable(task(), (b) => b.withJoinType('xor'))],
    ['task.withActivities', () => expectImmutable(task(), (b) => b.withActivities({ onEnabled: noop }))],
    ['task.withPolicy', () => expectImmutable(task(), (b) => b.withPolicy(() => 'complete'))],
    ['dummyTask.withSplitType', () => expectImmutable(Builder.dummyTask(), (b) => b.withSplitType('or'))],
    ['dummyTask.withJoinType', () => expectImmutable(Builder.dummyTask(), (b) => b.withJoinType('xor'))],
    ['dummyTask.withActivities', () => expectImmutable(Builder.dummyTask(), (b) => b.withActivities({ onEnabled: noop }))],
    [
      'workItem.withActions',
      () => expectImmutable(workItem(), (b) => b.withActions(Builder.workItemActions().start(z.object({}), noop))),
    ],
    ['workItem.withActivities', () => expectImmutable(workItem(), (b) => b.withActivities({ onStarted: noop }))],
    ...(['initialize', 'start', 'complete', 'fail', 'cancel', 'reset'] as const).map((name): [string, () => void] => [
      `workItemActions.${name}`,
      () => expectImmutable(Builder.workItemActions().complete(z.string(), noop), (b) => b[name](z.object({}), noop)),
    ]),
    ...(['initialize', 'cancel'] as const).map((name): [string, () => void] => [
      `workflowActions.${name}`,
      () => expectImmutable(Builder.workflowActions(), (b) => b[name](z.object({}), noop)),
    ]),
  ])('%s', (_, check) => check())

  it('flow builders: task, condition and route return new flow builders', () => {
    workflow()
      .connectCondition('start', (to) => {
        expectImmutable(to, (f) => f.task('a'))
        return to.task('a')
      })
      .connectTask('a', (to) => {
        expectImmutable(to, (f) => f.task('a'))
        expectImmutable(to, (f) => f.condition('end'))
        const withEnd = to.condition('end')
        expectImmutable(withEnd, (f) => f.route(({ route }) => route.toCondition('end')))
        return withEnd
      })
  })

  it('two branches made from one builder do not see each other', () => {
    const base = workflow()
    const left = base.dummyTask('left', Builder.dummyTask())
    const right = base.dummyTask('right', Builder.dummyTask())
    expect(left.spec.tasks.map((t) => t.name)).toEqual(['a', 'left'])
    expect(right.spec.tasks.map((t) => t.name)).toEqual(['a', 'right'])
    expect(base.spec.tasks.map((t) => t.name)).toEqual(['a'])
  })

  it('a later withActivities call adds to the earlier ones on a new builder', () => {
    const onEnabled = async () => {}
    const onStarted = async () => {}
    const first = task().withActivities({ onEnabled })
    const second = first.withActivities({ onStarted })
    expect(first.spec.activities).toEqual({ onEnabled })
    expect(second.spec.activities).toEqual({ onEnabled, onStarted })
  })

  it('build() leaves the builder unchanged', () => {
    const builder = workflow()
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('c'))
      .connectCondition('c', (to) => to.task('a'))
    const before = snapshot(builder.spec)
    expect(() => builder.build()).toThrow() // `a` loops on c and has no way to the end
    expect(builder.spec).toEqual(before)

    const valid = workflow()
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('c'))
      .dummyTask('b', Builder.dummyTask())
      .connectCondition('c', (to) => to.task('b'))
      .connectTask('b', (to) => to.condition('end'))
    const validBefore = snapshot(valid.spec)
    valid.build()
    expect(valid.spec).toEqual(validBefore)
  })
})
