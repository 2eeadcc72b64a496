import { describe, expect, it } from 'vitest'
import type { NetDefinition } from '../../src/net/definition'
import { completeTask, initialState, startTask, type NetState } from '../../src/net/interpreter'
import {
  deferredChoiceNet,
  exclusiveChoiceNet,
  handNet,
  loopNet,
  multiChoiceNet,
  multiMergeNet,
  parallelNet,
  raceNet,
  sequenceNet,
  totalTokens,
} from './nets'

/**
 * Tokens are never created or lost except by the rules (docs/semantics.md#exit,
 * the paragraph after the steps). Random runs of every example net check each step against the
 * rules restated here independently of src/net: a start removes one token from
 * each input an AND-join has (from the first marked input of an XOR-join), a
 * completion adds one token to each output of an AND-split (to each routed
 * target of an XOR/OR-split), and nothing else changes.
 */

/** A small deterministic PRNG (mulberry32), so a failing run can be replayed by its seed. */
function random(seed: number) {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

const tokens = (state: NetState, c: string) => state.marking[c] ?? 0

/** The join rule of §3 for AND- and XOR-joins, restated. */
function joinHolds(net: NetDefinition, state: NetState, task: string): boolean {
  const { joinType, inputs } = net.tasks[task]!
  return joinType === 'and' ? inputs.every((c) => tokens(state, c) > 0) : inputs.some((c) => tokens(state, c) > 0)
}

/** What a start must consume, per §4. */
function expectedConsumption(net: NetDefinition, state: NetState, task: string): string[] {
  const { joinType, inputs } = net.tasks[task]!
  return joinType === 'and' ? [...inputs] : inputs.filter((c) => tokens(state, c) > 0).slice(0, 1)
}

function checkInvariants(net: NetDefinition, state: NetState, where: string) {
  for (const [c, n] of Object.entries(state.marking)) expect(n, `${where}: tokens in ${c}`).toBeGreaterThanOrEqual(0)
  if (state.completed) return
  for (const task of Object.keys(net.tasks)) {
    const s = state.tasks[task] ?? 'disabled'
    // An enabled task's join holds; a task neither enabled nor started has nothing to enable it.
    if (s === 'enabled') expect(joinHolds(net, state, task), `${where}: ${task} enabled without its join`).toBe(true)
    else if (s !== 'started') expect(joinHolds(net, state, task), `${where}: ${task} is ${s} with its join holding`).toBe(false)
  }
}

type Step = { kind: 'start' | 'complete'; task: string; route?: string[] }

/** Runs `net` at random until it completes, gets stuck or has taken `maxSteps`, checking every step. */
function randomRun(net: NetDefinition, seed: number, maxSteps = 60) {
  const rand = random(seed)
  const pick = <T,>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!
  let state = initialState(net)
  let created = 1 // the start token
  let consumedTotal = 0
  let producedTotal = 0
  const trace: Step[] = []
  checkInvariants(net, state, `seed ${seed}, initial`)

  for (let i = 0; i < maxSteps && !state.completed; i++) {
    const steps: Step[] = []
    for (const [task, s] of Object.entries(state.tasks)) {
      if (s === 'enabled') steps.push({ kind: 'start', task })
      if (s === 'started') {
        const { splitType, outputs } = net.tasks[task]!
        if (splitType === 'and') steps.push({ kind: 'complete', task })
        else if (splitType === 'xor') steps.push({ kind: 'complete', task, route: [pick(outputs)] })
        else {
          const chosen = outputs.filter(() => rand() < 0.5)
          steps.push({ kind: 'complete', task, route: chosen.length > 0 ? chosen : [pick(outputs)] })
        }
      }
    }
    if (steps.length === 0) break
    const step = pick(steps)
    trace.push(step)
    const where = `seed ${seed}, step ${i} (${step.kind} ${step.task})`
    const before = state

    let changed: string[]
    let delta: number
    if (step.kind === 'start') {
      changed = expectedConsumption(net, before, step.task)
      delta = -1
      state = startTask(net, before, step.task)
      consumedTotal += changed.length
    } else {
      changed = step.route ?? [...net.tasks[step.task]!.outputs]
      delta = +1
      state = completeTask(net, before, step.task, step.route ? { conditions: step.route } : undefined)
      producedTotal += changed.length
    }
    for (const c of Object.keys(net.conditions)) {
      const expected = tokens(before, c) + (changed.includes(c) ? delta : 0)
      expect(tokens(state, c), `${where}: tokens in ${c}`).toBe(expected)
    }
    expect(totalTokens(state.marking), where).toBe(created - consumedTotal + producedTotal)
    checkInvariants(net, state, where)
  }
  return { state, trace }
}

const nets: Array<[string, NetDefinition]> = [
  ['sequence', sequenceNet],
  ['parallel', parallelNet],
  ['exclusive choice', exclusiveChoiceNet],
  ['multi-merge', multiMergeNet],
  ['multi-choice', multiChoiceNet],
  ['deferred choice', deferredChoiceNet],
  ['loop', loopNet],
  ['race', raceNet],
  [
    'a hand-built net mixing AND- and XOR-joins over shared conditions',
    handNet({
      fork: { in: ['start'], out: ['p', 'q', 'r'] },
      both: { join: 'and', in: ['p', 'q'], out: ['s'] },
      either: { join: 'xor', in: ['q', 'r'], out: ['s'] },
      again: { join: 'xor', split: 'xor', in: ['s'], out: ['p', 'end'] },
    }),
  ],
]

describe('token conservation over random runs', () => {
  it.each(nets)('%s: every step changes the marking exactly by the rules', (_, net) => {
    let completedRuns = 0
    for (let seed = 1; seed <= 40; seed++) {
      const { state } = randomRun(net, seed)
      if (state.completed) completedRuns++
    }
    // The runs are not vacuous: most of them reach the end.
    expect(completedRuns).toBeGreaterThan(0)
  })

  it('a completed run of the parallel net has consumed and produced every token it made', () => {
    const { state, trace } = randomRun(parallelNet, 7)
    expect(state.completed).toBe(true)
    expect(trace.map((s) => `${s.kind} ${s.task}`).filter((s) => s.startsWith('start')).sort()).toEqual(
      ['start invoice', 'start pack', 'start pick', 'start split'],
    )
    expect(state.marking).toEqual({
      start: 0,
      split__to__pick: 0,
      split__to__invoice: 0,
      pick__to__pack: 0,
      invoice__to__pack: 0,
      end: 1,
    })
  })
})
