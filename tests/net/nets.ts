import { ConvexError } from 'convex/values'
import { Builder } from '../../src/builder'
import type { JoinType, NetDefinition, SplitType, TaskKind } from '../../src/net/definition'
import type { NetState } from '../../src/net/interpreter'
import type { NetView } from '../../src/net/semantics'
import type { TaskState } from '../../src/net/lifecycle'

/**
 * Nets and small helpers shared by the pure-semantics tests (no database).
 * Nets are built with the Builder where the Builder accepts them, and by hand
 * as `NetDefinition` data where it does not (OR-joins, odd markings).
 */

// ---- Hand-built nets ----

export type TaskDecl = { join?: JoinType; split?: SplitType; kind?: TaskKind; in: string[]; out: string[] }

/**
 * A net as plain data from its tasks alone: conditions are derived from the
 * tasks' `in` / `out` lists, their arcs kept in the order the tasks name them.
 */
export function handNet(tasks: Record<string, TaskDecl>, ends = { start: 'start', end: 'end' }): NetDefinition {
  const conditions: Record<string, { name: string; implicit: boolean; inputs: string[]; outputs: string[] }> = {}
  const condition = (name: string) => (conditions[name] ??= { name, implicit: false, inputs: [], outputs: [] })
  condition(ends.start)
  condition(ends.end)
  for (const [name, t] of Object.entries(tasks)) {
    for (const c of t.in) condition(c).outputs.push(name)
    for (const c of t.out) condition(c).inputs.push(name)
  }
  return {
    name: 'hand',
    startCondition: ends.start,
    endCondition: ends.end,
    conditions,
    tasks: Object.fromEntries(
      Object.entries(tasks).map(([name, t]) => [
        name,
        { name, kind: t.kind ?? 'atomic', joinType: t.join ?? 'and', splitType: t.split ?? 'and', inputs: t.in, outputs: t.out },
      ]),
    ),
  }
}

/** A view of a marking and task states, for calling the primitives directly. */
export function viewOf(marking: Record<string, number>, tasks: Record<string, TaskState> = {}): NetView {
  return { tokens: (c) => marking[c] ?? 0, taskState: (t) => tasks[t] ?? 'disabled' }
}

/** A state in the interpreter's shape, for starting a test from an arbitrary marking. */
export function stateOf(
  marking: Record<string, number>,
  tasks: Record<string, TaskState> = {},
  generations: Record<string, number> = {},
): NetState {
  return { marking, tasks, generations, completed: false }
}

// ---- Builder nets (atomic tasks: the interpreter fires a dummy task as soon as its join holds) ----

export const atomic = (join: JoinType = 'and', split: SplitType = 'and') =>
  Builder.task(Builder.workItem('work')).withJoinType(join).withSplitType(split)

/** WCP-1 sequence: start → a → b → end. */
export const sequenceNet = Builder.workflow('sequence')
  .startCondition('start')
  .task('a', atomic())
  .task('b', atomic())
  .endCondition('end')
  .connectCondition('start', (to) => to.task('a'))
  .connectTask('a', (to) => to.task('b'))
  .connectTask('b', (to) => to.condition('end'))
  .build().net

/** WCP-2/3: `split` AND-splits to `pick` and `invoice`, `pack` AND-joins them. */
export const parallelNet = Builder.workflow('parallel')
  .startCondition('start')
  .task('split', atomic())
  .task('pick', atomic())
  .task('invoice', atomic())
  .task('pack', atomic('and'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('pick').task('invoice'))
  .connectTask('pick', (to) => to.task('pack'))
  .connectTask('invoice', (to) => to.task('pack'))
  .connectTask('pack', (to) => to.condition('end'))
  .build().net

/** WCP-4/5: `triage` XOR-splits to `repair` or `replace`, `close` XOR-joins. */
export const exclusiveChoiceNet = Builder.workflow('exclusiveChoice')
  .startCondition('start')
  .task('triage', atomic('and', 'xor'))
  .task('repair', atomic())
  .task('replace', atomic())
  .task('close', atomic('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('triage'))
  .connectTask('triage', (to) => to.task('repair').task('replace').route(({ route }) => route.toTask('repair')))
  .connectTask('repair', (to) => to.task('close'))
  .connectTask('replace', (to) => to.task('close'))
  .connectTask('close', (to) => to.condition('end'))
  .build().net

/**
 * WCP-8 multi-merge: `split` AND-splits to `a` and `b`, both flow into the
 * XOR-join `merge` (so it can hold a token in each input), `merge` flows to `finish`.
 */
export const multiMergeNet = Builder.workflow('multiMerge')
  .startCondition('start')
  .task('split', atomic())
  .task('a', atomic())
  .task('b', atomic())
  .task('merge', atomic('xor'))
  .task('finish', atomic('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('a').task('b'))
  .connectTask('a', (to) => to.task('merge'))
  .connectTask('b', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.task('finish'))
  .connectTask('finish', (to) => to.condition('end'))
  .build().net

/** WCP-6 multi-choice: `choose` OR-splits to any of `x`, `y`, `z`; each flows to the XOR-join `merge`. */
export const multiChoiceNet = Builder.workflow('multiChoice')
  .startCondition('start')
  .task('choose', atomic('and', 'or'))
  .task('x', atomic())
  .task('y', atomic())
  .task('z', atomic())
  .task('merge', atomic('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('choose'))
  .connectTask('choose', (to) => to.task('x').task('y').task('z').route(({ route }) => [route.toTask('x'), route.toTask('y')]))
  .connectTask('x', (to) => to.task('merge'))
  .connectTask('y', (to) => to.task('merge'))
  .connectTask('z', (to) => to.task('merge'))
  .connectTask('merge', (to) => to.condition('end'))
  .build().net

/** WCP-16 deferred choice: `prepare` marks `offer`, which `accept` and `decline` share. */
export const deferredChoiceNet = Builder.workflow('deferredChoice')
  .startCondition('start')
  .task('prepare', atomic())
  .condition('offer')
  .task('accept', atomic())
  .task('decline', atomic())
  .endCondition('end')
  .connectCondition('start', (to) => to.task('prepare'))
  .connectTask('prepare', (to) => to.condition('offer'))
  .connectCondition('offer', (to) => to.task('accept').task('decline'))
  .connectTask('accept', (to) => to.condition('end'))
  .connectTask('decline', (to) => to.condition('end'))
  .build().net

/** WCP-10/21 structured loop: `check` XOR-splits back to `ready` (another pass of `draft`) or on to `end`. */
export const loopNet = Builder.workflow('loop')
  .startCondition('start')
  .task('open', atomic())
  .condition('ready')
  .task('draft', atomic())
  .task('check', atomic('and', 'xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('open'))
  .connectTask('open', (to) => to.condition('ready'))
  .connectCondition('ready', (to) => to.task('draft'))
  .connectTask('draft', (to) => to.task('check'))
  .connectTask('check', (to) => to.condition('ready').condition('end').route(({ route }) => route.toCondition('end')))
  .build().net

/**
 * A race to the end: `split` AND-splits to `fast`, `slow` and `idle`; `fast`
 * reaches `end` directly while `slow` and `idle` go through `tail`.
 */
export const raceNet = Builder.workflow('race')
  .startCondition('start')
  .task('split', atomic())
  .task('fast', atomic())
  .task('slow', atomic())
  .task('idle', atomic())
  .task('tail', atomic('xor'))
  .endCondition('end')
  .connectCondition('start', (to) => to.task('split'))
  .connectTask('split', (to) => to.task('fast').task('slow').task('idle'))
  .connectTask('fast', (to) => to.condition('end'))
  .connectTask('slow', (to) => to.task('tail'))
  .connectTask('idle', (to) => to.task('tail'))
  .connectTask('tail', (to) => to.condition('end'))
  .build().net

// ---- Counting and errors ----

/** Every token of a marking. */
export function totalTokens(marking: Readonly<Record<string, number>>): number {
  return Object.values(marking).reduce((sum, n) => sum + n, 0)
}

/** The marking with every condition of the net listed (0 when empty), for whole-marking comparisons. */
export function fullMarking(net: NetDefinition, marking: Readonly<Record<string, number>>): Record<string, number> {
  return Object.fromEntries(Object.keys(net.conditions).map((c) => [c, marking[c] ?? 0]))
}

/** The error `fn` throws; fails the test when it does not throw. */
export function thrown(fn: () => unknown): unknown {
  try {
    fn()
  } catch (error) {
    return error
  }
  throw new Error('expected the call to throw, and it returned')
}

/** The `data` of the `ConvexError` `fn` throws; fails the test when it throws anything else. */
export function convexErrorData(fn: () => unknown): { code: string; message: string; [key: string]: unknown } {
  const error = thrown(fn)
  if (!(error instanceof ConvexError)) throw new Error(`expected a ConvexError, got ${String(error)}`)
  return error.data as { code: string; message: string }
}
