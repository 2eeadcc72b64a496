import { orJoinBoundedWorkflow } from '../../src/workflows/enabling'
import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'
import type { ConditionNode, JoinType, NetDefinition, TaskNode } from '../../src/net/definition'
import { completeTask, enabledTasks, initialState, startTask, type NetState } from '../../src/net/interpreter'
import {
  decideOrJoin,
  inputStillReachable,
  isOrJoinEnabled,
  orJoinSearchBound,
  sharedInputsOf,
  type OrJoinReader,
  type OrJoinState,
} from '../../src/net/orJoin'
import { isTasknetError } from '../../src/errors'
import { atomic, convexErrorData, handNet } from './nets'

/**
 * The OR-join decision's pruning and bound, and the lazy witness search `inputStillReachable`
 * checked against the full decision on random nets and states.
 */


/**
 * Issue 10's 7-task net: start→t5; t5→t8,t3; t3 (OR-join)→t8; t8→c1,c0,t2; c1→t6→t3; c0→t7→t0;
 * t2→c2→t0; t0→end,t5; t6 cancels the flow t5→t3. t5 is an XOR-join, t8 and t0 AND-joins.
 */
const sevenTasks = orJoinBoundedWorkflow.build().net

/** A reader over a whole state that counts its reads per place. */
function countingReader(state: OrJoinState) {
  const reads = new Map<string, number>()
  const count = (name: string) => reads.set(name, (reads.get(name) ?? 0) + 1)
  const reader: OrJoinReader = {
    tokens: (c) => (count(c), state.marking[c] ?? 0),
    started: (t) => (count(`busy:${t}`), state.started.includes(t)),
  }
  return { reader, reads }
}

describe('the 7-task net of issue 10', () => {
  it('t5 completes: t3 is enabled (its empty input needs t8, whose AND-join needs t3’s own output), within 50 ms', () => {
    let s = initialState(sevenTasks)
    expect(enabledTasks(sevenTasks, s)).toEqual(['t5'])
    s = startTask(sevenTasks, s, 't5')
    const t0 = performance.now()
    s = completeTask(sevenTasks, s, 't5')
    const ms = performance.now() - t0
    expect(enabledTasks(sevenTasks, s)).toEqual(['t3'])
    expect(ms).toBeLessThan(50)
    console.info(`7-task net: completing t5 (settle with the OR-join decision) took ${ms.toFixed(2)} ms`)
  })

  it('the lazy search answers no for the empty input, reading each place at most once', () => {
    const state: OrJoinState = { marking: { t5__to__t3: 1, t5__to__t8: 1 }, started: [] }
    const { reader, reads } = countingReader(state)
    const t0 = performance.now()
    expect(inputStillReachable(sevenTasks, 't3', 't6__to__t3', reader)).toBe('no')
    expect(performance.now() - t0).toBeLessThan(50)
    expect(Math.max(...reads.values())).toBe(1)
    expect(sharedInputsOf(sevenTasks, 't3')).toEqual(['t5__to__t3']) // t6's region resets it
  })

  it('once t8 runs, the OR-join waits for t6 (c1 marked, t3 fired earlier in a previous pass)', () => {
    const state: OrJoinState = { marking: { t5__to__t3: 1, c1: 1 }, started: [] }
    expect(isOrJoinEnabled(sevenTasks, state, 't3')).toBe(true) // t6 would reset t5__to__t3: waiting gains nothing
    const withOther: OrJoinState = { marking: { t5__to__t3: 1 }, started: ['t3'] }
    // A started previous generation of t3 ends, then t8 needs t5__to__t8 too: not markable here.
    expect(isOrJoinEnabled(sevenTasks, withOther, 't3')).toBe(true)
  })
})

describe('reset arcs for the implicit inputs of region tasks', () => {
  // a AND-splits to b and k, both flow into the OR-join j; k's region cancels j itself, which
  // withdraws j's implicit inputs: k's end empties b__to__j while it marks k__to__j.
  const net = Builder.workflow('withdrawJ')
    .startCondition('start')
    .task('a', atomic())
    .task('b', atomic())
    .task('k', atomic())
    .task('j', atomic('or'))
    .endCondition('end')
    .connectCondition('start', (to) => to.task('a'))
    .connectTask('a', (to) => to.task('b').task('k'))
    .connectTask('b', (to) => to.task('j'))
    .connectTask('k', (to) => to.task('j'))
    .connectTask('j', (to) => to.condition('end'))
    .withCancellationRegion('k', (r) => r.task('j'))
    .build().net

  it('j’s implicit inputs are shared (reset by k), and waiting for k gains nothing: j is enabled', () => {
    expect(sharedInputsOf(net, 'j')).toEqual(['b__to__j', 'k__to__j']) // both are j's implicit inputs
    const state: OrJoinState = { marking: { b__to__j: 1, a__to__k: 1 }, started: [] }
    expect(isOrJoinEnabled(net, state, 'j')).toBe(true)
    expect(inputStillReachable(net, 'j', 'k__to__j', countingReader(state).reader)).toBe('no')
  })

  it('with only k’s branch marked, j waits for b (b does not reset k__to__j)', () => {
    const state: OrJoinState = { marking: { k__to__j: 1, a__to__b: 1 }, started: [] }
    expect(isOrJoinEnabled(net, state, 'j')).toBe(false)
    expect(inputStillReachable(net, 'j', 'b__to__j', countingReader(state).reader)).toBe('yes')
  })
})

describe('the bound of the decision', () => {
  // `x` needs two tokens in w; one is there, so p can never be marked, but only counting shows it.
  const net = handNet({
    x: { in: ['w', 'w'], out: ['p'] },
    j: { join: 'or', in: ['s', 'p'], out: ['end'] },
  })
  const state: OrJoinState = { marking: { s: 1, w: 1 }, started: [] }

  it('decides within the default bound', () => {
    expect(isOrJoinEnabled(net, state, 'j')).toBe(true)
    expect(orJoinSearchBound).toBeGreaterThanOrEqual(1_000)
  })

  it('refuses with LIMIT_EXCEEDED, naming the OR-join, the net and the bound, beyond a tiny bound', () => {
    const data = convexErrorData(() => decideOrJoin(net, state, 'j', 1))
    expect(data).toMatchObject({ code: 'LIMIT_EXCEEDED', taskName: 'j', net: 'hand', bound: 1 })
    expect(data.message).toContain("OR-join 'j'")
    expect(data.message).toContain("'hand'")
    expect(data.message).toContain('1')
  })

  it('the lazy search answers unknown beyond its budget, and no within it', () => {
    const { reader } = countingReader(state)
    expect(inputStillReachable(net, 'j', 'p', reader, 1)).toBe('unknown')
    expect(inputStillReachable(net, 'j', 'p', reader, 100)).toBe('no')
  })

  it('exceptions from the reader pass through', () => {
    const reader: OrJoinReader = {
      tokens: () => {
        throw new Error('load me')
      },
      started: () => false,
    }
    expect(() => inputStillReachable(net, 'j', 'p', reader)).toThrow('load me')
  })
})

// ---- Random nets: the lazy search against the full decision ----

/** mulberry32: a small seeded generator, so a failure reproduces. */
function random(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (n: number) => Math.floor(next() * n)
  const pick = <T,>(xs: readonly T[]): T => xs[int(xs.length)]!
  return { next, int, pick }
}

/**
 * A random net of 3–7 tasks: every join and split type, explicit conditions and task-to-task
 * flows (implicit conditions), loops, and cancellation regions naming tasks and conditions.
 */
function randomNet(seed: number): NetDefinition {
  const r = random(seed)
  const n = 3 + r.int(5)
  const names = Array.from({ length: n }, (_, i) => `t${i}`)
  const explicit = ['start', 'end', ...Array.from({ length: 1 + r.int(3) }, (_, i) => `c${i}`)]
  const inputs = new Map(names.map((t) => [t, [] as string[]]))
  const outputs = new Map(names.map((t) => [t, [] as string[]]))
  const implicit = new Set<string>()
  inputs.get('t0')!.push('start')
  for (const t of names) {
    const k = 1 + r.int(2)
    for (let i = 0; i < k; i++) {
      if (r.next() < 0.5) {
        const u = r.pick(names)
        const c = `${t}__to__${u}`
        if (implicit.has(c)) continue
        implicit.add(c)
        outputs.get(t)!.push(c)
        inputs.get(u)!.push(c)
      } else {
        const c = r.pick(explicit.filter((x) => x !== 'start'))
        if (!outputs.get(t)!.includes(c)) outputs.get(t)!.push(c)
      }
    }
    if (inputs.get(t)!.length === 0 || r.next() < 0.3) {
      const c = r.pick(explicit.filter((x) => x !== 'end'))
      if (!inputs.get(t)!.includes(c)) inputs.get(t)!.push(c)
    }
  }
  if (!names.some((t) => outputs.get(t)!.includes('end'))) outputs.get(names[n - 1]!)!.push('end')
  const types: JoinType[] = ['and', 'xor', 'or']
  const tasks: Record<string, TaskNode> = {}
  for (const t of names) {
    const region =
      r.next() < 0.3
        ? { tasks: names.filter((u) => u !== t && r.next() < 0.4), conditions: explicit.filter((c) => c !== 'end' && r.next() < 0.3) }
        : undefined
    tasks[t] = {
      name: t,
      kind: 'atomic',
      joinType: r.pick(types),
      splitType: r.pick(types),
      inputs: inputs.get(t)!,
      outputs: outputs.get(t)!,
      ...(region ? { cancellationRegion: region } : {}),
    }
  }
  const conditions: Record<string, ConditionNode> = {}
  for (const c of [...explicit, ...implicit]) {
    conditions[c] = {
      name: c,
      implicit: implicit.has(c),
      inputs: names.filter((t) => outputs.get(t)!.includes(c)),
      outputs: names.filter((t) => inputs.get(t)!.includes(c)),
    }
  }
  return { name: `random${seed}`, startCondition: 'start', endCondition: 'end', conditions, tasks }
}

/** Random reachable states of `net` through the interpreter (a run stops on an error of the decision's bound). */
function randomStates(net: NetDefinition, seed: number, steps: number): NetState[] {
  const r = random(seed)
  const states: NetState[] = []
  try {
    let s = initialState(net)
    states.push(s)
    for (let i = 0; i < steps && !s.completed; i++) {
      const started = Object.keys(net.tasks).filter((t) => s.tasks[t] === 'started')
      const moves = [...enabledTasks(net, s).map((t) => ['start', t] as const), ...started.map((t) => ['complete', t] as const)]
      if (moves.length === 0) break
      const [kind, task] = r.pick(moves)
      if (kind === 'start') s = startTask(net, s, task)
      else {
        const node = net.tasks[task]!
        const outs = [...new Set(node.outputs)]
        const chosen = node.splitType === 'xor' ? [r.pick(outs)] : outs.filter(() => r.next() < 0.5)
        const routed = node.splitType === 'and' ? undefined : { conditions: chosen.length > 0 ? chosen : [outs[0]!] }
        s = completeTask(net, s, task, routed)
      }
      states.push(s)
    }
  } catch (error) {
    if (!isTasknetError(error, 'LIMIT_EXCEEDED')) throw error
  }
  return states
}

describe('inputStillReachable agrees with isOrJoinEnabled on random nets and reachable states', () => {
  it('300 nets × up to 20 steps: enabled ⇔ some input marked ∧ every empty input answers no', () => {
    let compared = 0
    let slowest = 0
    for (let seed = 1; seed <= 300; seed++) {
      const net = randomNet(seed)
      const orJoins = Object.values(net.tasks).filter((t) => t.joinType === 'or')
      if (orJoins.length === 0) continue
      for (const s of randomStates(net, seed * 7919, 20)) {
        const state: OrJoinState = {
          marking: s.marking,
          started: Object.keys(s.tasks).filter((t) => s.tasks[t] === 'started'),
        }
        for (const j of orJoins) {
          const inputs = [...new Set(j.inputs)]
          const t0 = performance.now()
          const full = isOrJoinEnabled(net, state, j.name)
          slowest = Math.max(slowest, performance.now() - t0)
          const marked = inputs.some((c) => (state.marking[c] ?? 0) > 0)
          const lazy =
            marked &&
            inputs
              .filter((c) => (state.marking[c] ?? 0) === 0)
              .every((q) => {
                const { reader, reads } = countingReader(state)
                const answer = inputStillReachable(net, j.name, q, reader, 1_000_000)
                expect(answer).not.toBe('unknown')
                for (const n of reads.values()) expect(n).toBe(1)
                return answer === 'no'
              })
          if (full !== lazy) throw new Error(`${net.name}, ${j.name}, ${JSON.stringify(state)}: full ${full}, lazy ${lazy}`)
          compared++
        }
      }
    }
    console.info(`lazy vs full OR-join decision: ${compared} comparisons agree; slowest full decision ${slowest.toFixed(2)} ms`)
    expect(compared).toBeGreaterThan(500)
  })
})
