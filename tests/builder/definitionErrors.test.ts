import { ConvexError } from 'convex/values'
import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'

/**
 * A definition that cannot run is refused by `build()` (api.md, "A definition
 * that cannot run is refused when it is built") with code INVALID_DEFINITION
 * and a message saying what is wrong and how to fix it. The type checks are
 * bypassed with casts (`'x' as string`, `'x' as never`) to reach the run-time
 * checks a JavaScript caller, or a dynamically built definition, would hit.
 */

const dummy = () => Builder.dummyTask()
const xor = () => Builder.dummyTask().withSplitType('xor')
const or = () => Builder.dummyTask().withSplitType('or')

/** A child workflow: start → step → end. */
const leaf = (name: string) =>
  Builder.workflow(name)
    .startCondition('start')
    .dummyTask('step', dummy())
    .endCondition('end')
    .connectCondition('start', (to) => to.task('step'))
    .connectTask('step', (to) => to.condition('end'))

/** start → a → end: valid, the base most cases break in one place. */
const declared = () => Builder.workflow('broken').startCondition('start').dummyTask('a', dummy()).endCondition('end')

/** The data of the error `build()` throws; fails when it builds. */
function definitionError(builder: { build(): unknown }): { code: string; message: string; [key: string]: unknown } {
  let error: unknown
  try {
    builder.build()
  } catch (e) {
    error = e
  }
  if (!(error instanceof ConvexError)) throw new Error(`expected build() to throw a ConvexError, got ${String(error)}`)
  return error.data as { code: string; message: string }
}

type Case = [
  /** what is wrong */ string,
  /** the definition, made without throwing */ () => { build(): unknown },
  /** the message says what is wrong */ RegExp,
  /** the message says how to fix it */ RegExp,
]

const cases: Case[] = [
  [
    'no start condition',
    () =>
      Builder.workflow('broken')
        .dummyTask('a', dummy())
        .endCondition('end')
        .connectTask('a', (to) => to.condition('end')),
    /no start condition/,
    /\.startCondition\(/,
  ],
  [
    'no end condition',
    () =>
      Builder.workflow('broken')
        .startCondition('start')
        .dummyTask('a', dummy())
        .connectCondition('start', (to) => to.task('a')),
    /no end condition/,
    /\.endCondition\(/,
  ],
  [
    'a condition name used twice',
    () =>
      declared()
        .condition('start' as string)
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /'start' is used more than once/,
    /its own name/,
  ],
  [
    'a task name used twice',
    () =>
      declared()
        .dummyTask('a' as string, dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /'a' is used more than once/,
    /its own name/,
  ],
  [
    'a task named like a condition',
    () =>
      declared()
        .dummyTask('end' as string, dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /'end' is used more than once/,
    /its own name/,
  ],
  [
    'a condition flow to an undeclared task',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a').task('ghost' as never))
        .connectTask('a', (to) => to.condition('end')),
    /'ghost'.*not a declared task/,
    /\.task\('ghost'/,
  ],
  [
    'a task flow to an undeclared task',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end').task('ghost' as never)),
    /task 'ghost'.*not declared/,
    /\.task\('ghost'/,
  ],
  [
    'a task flow to an undeclared condition',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end').condition('ghost' as never)),
    /condition 'ghost'.*not declared/,
    /\.condition\('ghost'\)/,
  ],
  [
    'flows from an undeclared condition',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a'))
        .connectCondition('ghost' as never, (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /no condition 'ghost'/,
    /\.condition\('ghost'\)/,
  ],
  [
    'flows from an undeclared task',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('ghost' as never, (to) => to.condition('end')),
    /no task 'ghost'/,
    /\.task\('ghost'/,
  ],
  [
    'a task with no incoming flow',
    () =>
      declared()
        .dummyTask('b', dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.condition('end')),
    /task 'b' has no incoming flow/,
    /connect a condition or task to it/,
  ],
  [
    'a task with no outgoing flow',
    () =>
      declared()
        .dummyTask('b', dummy())
        .connectCondition('start', (to) => to.task('a').task('b'))
        .connectTask('a', (to) => to.condition('end')),
    /task 'b' has no outgoing flow/,
    /\.connectTask\('b'/,
  ],
  [
    'an XOR-split without a route function',
    () =>
      declared()
        .dummyTask('b', xor())
        .connectCondition('start', (to) => to.task('a').task('b'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.task('a').condition('end')),
    /task 'b' has an XOR-split but no route function/,
    /\.route\(/,
  ],
  [
    'an OR-split without a route function',
    () =>
      declared()
        .dummyTask('b', or())
        .connectCondition('start', (to) => to.task('a').task('b'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.task('a').condition('end')),
    /task 'b' has an OR-split but no route function/,
    /\.route\(/,
  ],
  [
    'an AND-split with a route function',
    () =>
      declared()
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end').route(({ route }) => route.toCondition('end'))),
    /task 'a' has a route function but an AND-split/,
    /withSplitType\('xor'\).*or drop the route/,
  ],
  [
    'an element from which the end condition cannot be reached',
    () =>
      declared()
        .condition('loop')
        .dummyTask('spin', dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end').condition('loop'))
        .connectCondition('loop', (to) => to.task('spin'))
        .connectTask('spin', (to) => to.condition('loop')),
    /end condition 'end' cannot be reached from task 'spin'/,
    /connect a path from it to the end/,
  ],
  [
    'an element not reachable from the start condition',
    () =>
      declared()
        .condition('island')
        .dummyTask('x', dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end'))
        .connectCondition('island', (to) => to.task('x'))
        .connectTask('x', (to) => to.condition('island').condition('end')),
    /task 'x' cannot be reached from the start condition 'start'/,
    /connect a path to it/,
  ],
  [
    'connectTask called twice for the same task',
    () =>
      declared()
        .dummyTask('b', dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.task('b'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.condition('end')),
    /connectTask\('a'\) is called more than once/,
    /declare all its flows in one call/,
  ],
  [
    'connectCondition called twice for the same condition',
    () =>
      declared()
        .dummyTask('b', dummy())
        .connectCondition('start', (to) => to.task('a'))
        .connectCondition('start', (to) => to.task('b'))
        .connectTask('a', (to) => to.condition('end'))
        .connectTask('b', (to) => to.condition('end')),
    /connectCondition\('start'\) is called more than once/,
    /declare all its flows in one call/,
  ],
  [
    'a workflow name used twice in a hierarchy (a dynamic composite task naming one child twice)',
    () =>
      Builder.workflow('broken')
        .startCondition('start')
        .compositeTask('a', Builder.dynamicCompositeTask([leaf('child'), leaf('child')]))
        .endCondition('end')
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /the workflow name 'child' \(composite task 'a'\) is used twice/,
    /give every child workflow its own name/,
  ],
  [
    'a lazy child workflow that does not exist yet when the workflow is built',
    () =>
      Builder.workflow('broken')
        .startCondition('start')
        .compositeTask(
          'a',
          Builder.compositeTask((): ReturnType<typeof leaf> => {
            throw new ReferenceError("Cannot access 'later' before initialization")
          }),
        )
        .endCondition('end')
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /the child workflow of composite task 'a' could not be resolved \(Cannot access 'later' before initialization\)/,
    /must return a workflow builder that exists when build\(\) runs/,
  ],
  [
    'a child that is not a workflow builder (a built definition, say)',
    () =>
      Builder.workflow('broken')
        .startCondition('start')
        .compositeTask('a', Builder.compositeTask((() => leaf('child').build()) as never))
        .endCondition('end')
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /the child workflow of composite task 'a' is not a workflow builder/,
    /pass Builder\.workflow\(\.\.\.\) \(or a function returning one\)/,
  ],
  [
    'a dynamic composite task with no child workflow',
    () =>
      Builder.workflow('broken')
        .startCondition('start')
        .compositeTask('a', Builder.dynamicCompositeTask([] as never))
        .endCondition('end')
        .connectCondition('start', (to) => to.task('a'))
        .connectTask('a', (to) => to.condition('end')),
    /composite task 'a' has no child workflow/,
    /pass at least one to Builder\.dynamicCompositeTask/,
  ],
]

describe('build() refuses a definition that cannot run (INVALID_DEFINITION)', () => {
  it.each(cases)('%s', (_, define, what, fix) => {
    const builder = define() // declaring never throws: the checks run at build()
    const data = definitionError(builder)
    expect(data.code).toBe('INVALID_DEFINITION')
    expect(data.workflowName).toBe('broken')
    expect(data.message).toMatch(/^Workflow 'broken' cannot run:/)
    expect(data.message).toMatch(what)
    expect(data.message).toMatch(fix)
  })

  it('the base the cases break is itself valid', () => {
    const valid = declared()
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('end'))
    expect(() => valid.build()).not.toThrow()
  })

  it('lists every problem at once, one per line', () => {
    const data = definitionError(Builder.workflow('broken').dummyTask('a', dummy()))
    const lines = data.message.split('\n').slice(1)
    expect(lines).toEqual([
      expect.stringMatching(/^- .*no start condition/),
      expect.stringMatching(/^- .*no end condition/),
      expect.stringMatching(/^- task 'a' has no incoming flow/),
      expect.stringMatching(/^- task 'a' has no outgoing flow/),
    ])
  })

  it('refuses an empty workflow', () => {
    expect(definitionError(Builder.workflow('broken')).code).toBe('INVALID_DEFINITION')
  })
})
