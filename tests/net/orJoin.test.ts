import { describe, expect, it } from 'vitest'
import type { NetDefinition } from '../../src/net/definition'
import { completeTask, enabledTasks, initialState, startTask, type NetState } from '../../src/net/interpreter'
import { isOrJoinEnabled, type OrJoinState } from '../../src/net/orJoin'
import type { RouteRequest } from '../../src/net/semantics'
import { handNet } from './nets'

// ---- Nets (hand-built, so each case states exactly the places and transitions it needs) ----

/** Synchronising merge: `a` OR-splits to `b1` / `b2`, the OR-join `j` merges them. */
const syncMerge = handNet({
  a: { split: 'or', in: ['start'], out: ['a1', 'a2'] },
  b1: { in: ['a1'], out: ['m1'] },
  b2: { in: ['a2'], out: ['m2'] },
  j: { join: 'or', in: ['m1', 'm2'], out: ['end'] },
})

/**
 * Scenario 2: `fork` AND-splits to `s` (straight to the OR-join `j`) and `x`,
 * which XOR-splits to `p` (towards `j`) or `q` (elsewhere, to `done`).
 */
const routedAway = handNet({
  fork: { in: ['start'], out: ['s0', 'x0'] },
  s: { in: ['s0'], out: ['js'] },
  x: { split: 'xor', in: ['x0'], out: ['x1', 'x2'] },
  p: { in: ['x1'], out: ['jp'] },
  q: { in: ['x2'], out: ['other'] },
  j: { join: 'or', in: ['js', 'jp'], out: ['joined'] },
  done: { join: 'or', in: ['joined', 'other'], out: ['end'] },
})

/** Nested OR-splits: `a` OR-splits to `b` and `d`; `b` OR-splits to `c1` / `c2`, merged by `inner`; `outer` merges `inner` and `d`. */
const nested = handNet({
  a: { split: 'or', in: ['start'], out: ['a1', 'a2'] },
  b: { split: 'or', in: ['a1'], out: ['b1', 'b2'] },
  c1: { in: ['b1'], out: ['k1'] },
  c2: { in: ['b2'], out: ['k2'] },
  inner: { join: 'or', in: ['k1', 'k2'], out: ['i'] },
  d: { in: ['a2'], out: ['dd'] },
  outer: { join: 'or', in: ['i', 'dd'], out: ['end'] },
})

/**
 * A loop before the OR-join: `fork` marks `s` (an input of `j`) and `l0`; `work`
 * (XOR-join of `l0` and `back`) feeds `check`, which XOR-splits back, on to `j`
 * (`p`), or away (`q`).
 */
const loopBefore = handNet({
  fork: { in: ['start'], out: ['s', 'l0'] },
  work: { join: 'xor', in: ['l0', 'back'], out: ['l1'] },
  check: { split: 'xor', in: ['l1'], out: ['back', 'p', 'q'] },
  j: { join: 'or', in: ['s', 'p'], out: ['end'] },
  away: { in: ['q'], out: ['gone'] },
})

/** An unbounded pump: `gen` puts a token back in `g` and one in `w` each time; `feed` turns `w`+`f` into `p`. */
const pump = handNet({
  gen: { in: ['g'], out: ['g', 'w'] },
  feed: { in: ['w', 'f'], out: ['p'] },
  j: { join: 'or', in: ['s', 'p'], out: ['end'] },
})

/**
 * Two OR-joins in sequence (Wynn et al., Fig. 3.5): `a` OR-splits to `c1`/`c2`;
 * `c` OR-splits `c1` to `c4`/`c5`; `d` moves `c5` to `c6`; the OR-join `e`
 * merges `c4`,`c6` into `c7`; `b` moves `c2` to `c3`; the OR-join `f` merges `c3`,`c7`.
 */
const twoOrJoins = handNet({
  a: { split: 'or', in: ['start'], out: ['c1', 'c2'] },
  c: { split: 'or', in: ['c1'], out: ['c4', 'c5'] },
  d: { in: ['c5'], out: ['c6'] },
  e: { join: 'or', in: ['c4', 'c6'], out: ['c7'] },
  b: { in: ['c2'], out: ['c3'] },
  f: { join: 'or', in: ['c3', 'c7'], out: ['end'] },
})

/** `syncMerge` where `steal` competes with the OR-join for `m1` (deferred choice) and moves it to `m2`. */
const shared = handNet({
  a: { split: 'or', in: ['start'], out: ['a1', 'a2'] },
  b1: { in: ['a1'], out: ['m1'] },
  b2: { in: ['a2'], out: ['m2'] },
  steal: { in: ['m1'], out: ['m2'] },
  j: { join: 'or', in: ['m1', 'm2'], out: ['end'] },
})

/** `net` with `region` as the cancellation region of `task` (handNet has no syntax for regions). */
function withRegion(net: NetDefinition, task: string, region: { tasks: string[]; conditions: string[] }): NetDefinition {
  return { ...net, tasks: { ...net.tasks, [task]: { ...net.tasks[task]!, cancellationRegion: region } } }
}

/**
 * Scenario 3 (Wynn et al., Fig. 3.3): the OR-join `e` merges `c4`, `c5`, `c6`;
 * `d` marks `c6` and its cancellation region empties `c5` and cancels `c`.
 */
const regionFree = handNet({
  fork: { in: ['start'], out: ['x', 'y', 'z'] },
  b: { in: ['x'], out: ['c4'] },
  c: { in: ['y'], out: ['c5'] },
  d: { in: ['z'], out: ['c6'] },
  e: { join: 'or', in: ['c4', 'c5', 'c6'], out: ['end'] },
})
const withCancel = withRegion(regionFree, 'd', { tasks: ['c'], conditions: ['y', 'c5'] })

/** Scenario 10: `split` OR-splits into 20 branches `t1..t20`, merged by the OR-join `j`. */
const wide = (() => {
  const tasks: Parameters<typeof handNet>[0] = {}
  const n = 20
  const range = Array.from({ length: n }, (_, i) => i + 1)
  tasks.split = { split: 'or', in: ['start'], out: range.map((i) => `c${i}`) }
  for (const i of range) tasks[`t${i}`] = { in: [`c${i}`], out: [`d${i}`] }
  tasks.j = { join: 'or', in: range.map((i) => `d${i}`), out: ['end'] }
  return handNet(tasks)
})()

const st = (marking: Record<string, number>, started: string[] = []): OrJoinState => ({ marking, started })

// ---- The pure decision ----

type Case = [string, NetDefinition, string, OrJoinState, boolean]

describe('isOrJoinEnabled (docs/semantics.md#the-or-join)', () => {
  it.each<Case>([
    // synchronising merge
    ['no input marked', syncMerge, 'j', st({ a1: 1 }), false],
    ['OR-split chose 1 of 2, its branch arrived', syncMerge, 'j', st({ m1: 1 }), true],
    ['OR-split chose 2 of 2, the second is still in a condition', syncMerge, 'j', st({ m1: 1, a2: 1 }), false],
    ['OR-split chose 2 of 2, the second task is started', syncMerge, 'j', st({ m1: 1 }, ['b2']), false],
    ['OR-split chose 2 of 2, both arrived', syncMerge, 'j', st({ m1: 1, m2: 1 }), true],
    ['a second token in an already marked input does not make it wait', syncMerge, 'j', st({ m2: 1, a2: 1 }), true],
    // scenario 2: routed away upstream
    ['XOR-split not yet decided (token before it)', routedAway, 'j', st({ js: 1, x0: 1 }), false],
    ['XOR-split started, not yet routed', routedAway, 'j', st({ js: 1 }, ['x']), false],
    ['XOR-split routed towards the OR-join', routedAway, 'j', st({ js: 1, x1: 1 }), false],
    ['XOR-split routed away (scenario 2)', routedAway, 'j', st({ js: 1, x2: 1 }), true],
    ['the other path is already done', routedAway, 'j', st({ js: 1, other: 1 }), true],
    ['the other path is started', routedAway, 'j', st({ js: 1 }, ['q']), true],
    ['the second OR-join waits for the first (as an XOR-join)', routedAway, 'done', st({ other: 1, js: 1 }), false],
    ['the second OR-join, nothing left upstream', routedAway, 'done', st({ other: 1 }), true],
    // nested OR-splits
    ['inner: both inner branches chosen, one pending', nested, 'inner', st({ k1: 1, b2: 1 }), false],
    ['inner: one inner branch chosen', nested, 'inner', st({ k1: 1, dd: 1 }), true],
    ['outer: inner branch pending (inner OR-join as XOR)', nested, 'outer', st({ dd: 1, k1: 1 }), false],
    ['outer: inner OR-split still started', nested, 'outer', st({ dd: 1 }, ['b']), false],
    ['outer: outer branch a1 not yet split', nested, 'outer', st({ dd: 1, a1: 1 }), false],
    ['outer: d pending', nested, 'outer', st({ i: 1, a2: 1 }), false],
    ['outer: only one outer branch chosen', nested, 'outer', st({ i: 1 }), true],
    ['outer: both arrived', nested, 'outer', st({ i: 1, dd: 1 }), true],
    // a loop feeding back before the OR-join
    ['loop token before the loop', loopBefore, 'j', st({ s: 1, l0: 1 }), false],
    ['loop routed back', loopBefore, 'j', st({ s: 1, back: 1 }), false],
    ['loop check started', loopBefore, 'j', st({ s: 1 }, ['check']), false],
    ['loop body started', loopBefore, 'j', st({ s: 1 }, ['work']), false],
    ['loop left towards the OR-join', loopBefore, 'j', st({ s: 1, p: 1 }), true],
    ['loop left elsewhere', loopBefore, 'j', st({ s: 1, q: 1 }), true],
    ['loop left elsewhere and finished', loopBefore, 'j', st({ s: 1, gone: 1 }), true],
    // unbounded behaviour terminates
    ['unbounded pump that cannot reach the input (no f)', pump, 'j', st({ s: 1, g: 1 }), true],
    ['unbounded pump that can reach the input', pump, 'j', st({ s: 1, g: 1, f: 1 }), false],
    // two OR-joins in sequence: the other is treated as an XOR-join
    ['f: c can still mark c4, e (as XOR) then c7', twoOrJoins, 'f', st({ c1: 1, c3: 1 }), false],
    ['f: c4 alone reaches c7 through e as an XOR-join', twoOrJoins, 'f', st({ c3: 1, c4: 1 }), false],
    ['f: c6 alone reaches c7 through e as an XOR-join', twoOrJoins, 'f', st({ c3: 1, c6: 1 }), false],
    ['f: e started', twoOrJoins, 'f', st({ c3: 1 }, ['e']), false],
    ['f: nothing upstream', twoOrJoins, 'f', st({ c3: 1 }), true],
    ['f: b pending', twoOrJoins, 'f', st({ c7: 1, c2: 1 }), false],
    ['e: d pending', twoOrJoins, 'e', st({ c4: 1, c5: 1, c3: 1 }), false],
    ['e: c chose only c4', twoOrJoins, 'e', st({ c4: 1, c3: 1 }), true],
    // a marked input shared with a competitor must keep its token in the covering marking
    ['shared input: moving m1 to m2 does not count as a second branch', shared, 'j', st({ m1: 1 }), true],
    ['shared input: a second branch still pending', shared, 'j', st({ m1: 1, a2: 1 }), false],
    ['shared input: two tokens in m1, one can move to m2', shared, 'j', st({ m1: 2 }), true],
    // cancellation regions are reset arcs (scenario 3)
    ['no region: d can add c6 while c5 stays', regionFree, 'e', st({ c4: 1, c5: 1, z: 1 }), false],
    ['region: d marking c6 empties c5, so waiting gains nothing', withCancel, 'e', st({ c4: 1, c5: 1, z: 1 }), true],
    ['region: c may still mark c5 before d cancels it', withCancel, 'e', st({ c4: 1, y: 1, z: 1 }), false],
    ['region: c started may still end before d', withCancel, 'e', st({ c4: 1 }, ['c', 'd']), false],
    ['region: d done, c canceled', withCancel, 'e', st({ c4: 1, c6: 1 }), true],
    // scenario 10 correctness (timing below)
    ['wide: 19 of 20 routed away', wide, 'j', st({ d1: 1 }), true],
    ['wide: one of 20 still pending', wide, 'j', st({ d1: 1, c17: 1 }), false],
    ['wide: split still started', wide, 'j', st({ d1: 1 }, ['split']), false],
    ['wide: ten arrived, none pending', wide, 'j', st(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i + 1}`, 1]))), true],
  ])('%s', (_name, net, task, state, expected) => {
    expect(isOrJoinEnabled(net, state, task)).toBe(expected)
  })

  it('scenario 10: an OR-split of 20 outputs with 19 routed away decides in milliseconds', () => {
    isOrJoinEnabled(wide, st({ d1: 1 }), 'j') // warm-up
    const cases: Array<[OrJoinState, boolean]> = [
      [st({ d1: 1 }), true],
      [st({ d20: 1 }), true],
      [st({ d1: 1, c20: 1 }), false],
      [st({ d1: 1 }, ['t20']), false],
      [st(Object.fromEntries(Array.from({ length: 19 }, (_, i) => [`d${i + 1}`, 1]))), true],
      [st(Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`d${i + 1}`, 1])), ['t20']), false],
    ]
    const timings: number[] = []
    for (const [state, expected] of cases) {
      const t0 = performance.now()
      const enabled = isOrJoinEnabled(wide, state, 'j')
      const ms = performance.now() - t0
      expect(enabled).toBe(expected)
      expect(ms).toBeLessThan(50)
      timings.push(ms)
    }
    console.info(`scenario 10 decision times (ms): ${timings.map((t) => t.toFixed(2)).join(', ')}`)
  })

  it('refuses an unknown task', () => {
    expect(() => isOrJoinEnabled(syncMerge, st({}), 'nope')).toThrow(/no task 'nope'/)
  })
})

// ---- Through the interpreter ----

/*
 * The interpreter decides every OR-join on the whole current state each time settling checks it
 * (after every start and completion), so a step needs no decision from the test.
 */
const start = (net: NetDefinition, s: NetState, task: string) => startTask(net, s, task)
const complete = (net: NetDefinition, s: NetState, task: string, routed?: RouteRequest) => completeTask(net, s, task, routed)
const run = (net: NetDefinition, s: NetState, task: string, routed?: RouteRequest) => complete(net, start(net, s, task), task, routed)

describe('OR-joins through the interpreter', () => {
  it('synchronising merge, OR-split chose one branch: enabled when it arrives', () => {
    let s = initialState(syncMerge)
    expect(enabledTasks(syncMerge, s)).toEqual(['a'])
    s = run(syncMerge, s, 'a', { conditions: ['a1'] })
    expect(enabledTasks(syncMerge, s)).toEqual(['b1'])
    s = run(syncMerge, s, 'b1')
    expect(enabledTasks(syncMerge, s)).toEqual(['j'])
    s = run(syncMerge, s, 'j')
    expect(s.completed).toBe(true)
  })

  it('synchronising merge, OR-split chose both: waits for the second branch, then consumes both', () => {
    let s = initialState(syncMerge)
    s = run(syncMerge, s, 'a', { conditions: ['a1', 'a2'] })
    expect(enabledTasks(syncMerge, s)).toEqual(['b1', 'b2'])
    s = run(syncMerge, s, 'b1')
    expect(enabledTasks(syncMerge, s)).toEqual(['b2'])
    expect(s.tasks.j ?? 'disabled').toBe('disabled')
    s = start(syncMerge, s, 'b2')
    expect(enabledTasks(syncMerge, s)).toEqual([])
    s = complete(syncMerge, s, 'b2')
    expect(enabledTasks(syncMerge, s)).toEqual(['j'])
    s = start(syncMerge, s, 'j')
    expect(s.marking).toMatchObject({ m1: 0, m2: 0 })
  })

  it('scenario 2: the OR-join is enabled when the XOR-split upstream routes away, though no token reaches it', () => {
    let s = initialState(routedAway)
    s = run(routedAway, s, 'fork')
    s = run(routedAway, s, 's')
    expect(s.tasks.j ?? 'disabled').toBe('disabled') // x may still route to p
    s = run(routedAway, s, 'x', { conditions: ['x2'] })
    expect(enabledTasks(routedAway, s)).toEqual(['q', 'j'])
    s = run(routedAway, s, 'j')
    // `done` has `joined` marked but `q` is enabled and will mark `other`: it waits.
    expect(s.tasks.done ?? 'disabled').toBe('disabled')
    s = run(routedAway, s, 'q')
    expect(enabledTasks(routedAway, s)).toEqual(['done'])
    s = run(routedAway, s, 'done')
    expect(s.completed).toBe(true)
  })

  it('scenario 2 the other way: routed towards the OR-join, it waits for that branch', () => {
    let s = initialState(routedAway)
    s = run(routedAway, s, 'fork')
    s = run(routedAway, s, 's')
    s = run(routedAway, s, 'x', { conditions: ['x1'] })
    expect(enabledTasks(routedAway, s)).toEqual(['p'])
    s = run(routedAway, s, 'p')
    expect(enabledTasks(routedAway, s)).toEqual(['j'])
    s = start(routedAway, s, 'j')
    expect(s.marking).toMatchObject({ js: 0, jp: 0 })
  })

  it('a loop before the OR-join: waits while the loop runs, enabled when it leaves elsewhere', () => {
    let s = initialState(loopBefore)
    s = run(loopBefore, s, 'fork')
    for (let pass = 0; pass < 3; pass++) {
      s = run(loopBefore, s, 'work')
      s = run(loopBefore, s, 'check', { conditions: ['back'] })
      expect(s.tasks.j ?? 'disabled').toBe('disabled')
    }
    s = run(loopBefore, s, 'work')
    s = run(loopBefore, s, 'check', { conditions: ['q'] })
    expect(enabledTasks(loopBefore, s)).toEqual(['j', 'away'])
  })

  it('scenario 3: re-evaluated after a cancellation region empties the condition it waited on', () => {
    let s = initialState(withCancel)
    s = run(withCancel, s, 'fork')
    s = run(withCancel, s, 'b')
    expect(s.tasks.e ?? 'disabled').toBe('disabled') // c and d are pending
    s = start(withCancel, s, 'c')
    s = start(withCancel, s, 'd')
    // The exit of `d` cancels `c` and empties y and c5; settling then decides `e` on that state.
    const exited = completeTask(withCancel, s, 'd')
    expect(exited.tasks.c).toBe('canceled')
    expect([exited.marking.y ?? 0, exited.marking.c5 ?? 0, exited.marking.c6]).toEqual([0, 0, 1])
    expect(enabledTasks(withCancel, exited)).toEqual(['e'])
  })

  it('scenario 10 through the interpreter: 1 of 20 chosen', () => {
    let s = initialState(wide)
    s = run(wide, s, 'split', { conditions: ['c5'] })
    s = run(wide, s, 't5')
    expect(enabledTasks(wide, s)).toEqual(['j'])
  })
})
