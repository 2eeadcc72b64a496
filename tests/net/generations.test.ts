import { describe, expect, it } from 'vitest'
import { completeTask, enabledTasks, initialState, startTask, type NetState } from '../../src/net/interpreter'
import { fullMarking, handNet, loopNet, multiMergeNet, stateOf } from './nets'

const routed = (...conditions: string[]) => ({ conditions })

/** Starts and completes `task` (a route for XOR/OR-splits). */
function run(net: Parameters<typeof startTask>[0], state: NetState, task: string, route?: { conditions: string[] }) {
  return completeTask(net, startTask(net, state, task), task, route)
}

describe('a task whose inputs still hold tokens is enabled again when it completes (docs/semantics.md#settling)', () => {
  it('scenario 1: an XOR-join with tokens in two inputs fires twice, one token each time', () => {
    let state = initialState(multiMergeNet)
    state = run(multiMergeNet, state, 'split')
    state = run(multiMergeNet, state, 'a')
    state = run(multiMergeNet, state, 'b')
    expect(fullMarking(multiMergeNet, state.marking)).toMatchObject({ a__to__merge: 1, b__to__merge: 1 })
    expect(state.tasks.merge).toBe('enabled')
    expect(state.generations.merge).toBe(1)

    state = startTask(multiMergeNet, state, 'merge')
    expect(fullMarking(multiMergeNet, state.marking)).toMatchObject({ a__to__merge: 0, b__to__merge: 1 })
    state = completeTask(multiMergeNet, state, 'merge')
    expect(state.tasks.merge).toBe('enabled')
    expect(state.generations.merge).toBe(2)
    expect(state.marking.merge__to__finish).toBe(1)

    state = startTask(multiMergeNet, state, 'merge')
    expect(fullMarking(multiMergeNet, state.marking)).toMatchObject({ a__to__merge: 0, b__to__merge: 0 })
    state = completeTask(multiMergeNet, state, 'merge')
    expect(state.tasks.merge).toBe('completed')
    expect(state.generations.merge).toBe(2)
    expect(state.marking.merge__to__finish).toBe(2)
  })

  it.each([
    ['AND-join', 'and' as const, { p: 2, q: 2 }, { p: 1, q: 1 }, true],
    ['AND-join with one input exhausted', 'and' as const, { p: 2, q: 1 }, { p: 1, q: 0 }, false],
    ['XOR-join', 'xor' as const, { p: 1, q: 1 }, { p: 0, q: 1 }, true],
    ['XOR-join with a second token in the same input', 'xor' as const, { p: 2, q: 0 }, { p: 1, q: 0 }, true],
    ['XOR-join with its only token consumed', 'xor' as const, { p: 1, q: 0 }, { p: 0, q: 0 }, false],
  ])('%s: %o → after one firing %o → enabled again: %s', (_, join, before, left, again) => {
    // t produces into r (not the end condition, which would complete the workflow).
    const net = handNet({ t: { join, in: ['p', 'q'], out: ['r'] }, u: { in: ['r'], out: ['end'] } })
    let state = stateOf(before, { t: 'enabled' }, { t: 4 })
    state = startTask(net, state, 't')
    expect(state.marking).toEqual(left)
    state = completeTask(net, state, 't')
    expect(state.tasks.t).toBe(again ? 'enabled' : 'completed')
    expect(state.generations.t).toBe(again ? 5 : 4)
  })

  it('completing a task enables its successor and, on the token left in its other input, itself again', () => {
    const net = handNet({
      t: { join: 'xor', in: ['p', 'q'], out: ['r'] },
      u: { in: ['r'], out: ['end'] },
    })
    const state = completeTask(net, stateOf({ p: 0, q: 1 }, { t: 'started' }, { t: 3 }), 't')
    expect(state.tasks).toEqual({ t: 'enabled', u: 'enabled' })
    expect(state.generations).toEqual({ t: 4, u: 1 })
    expect(enabledTasks(net, state)).toEqual(['t', 'u'])
  })

  it.each(['enabled', 'started'] as const)('completing a task does not enable again a successor that is already %s', (s) => {
    const net = handNet({ t: { in: ['p'], out: ['r'] }, u: { join: 'xor', in: ['r'], out: ['end'] } })
    const state = completeTask(net, stateOf({ r: 1 }, { t: 'started', u: s }, { t: 1, u: 2 }), 't')
    expect(state.marking.r).toBe(2)
    expect(state.tasks.u).toBe(s)
    expect(state.generations.u).toBe(2)
  })

  it.each(['completed', 'failed', 'canceled', 'disabled'] as const)('completing a task enables a successor that is %s (a new generation)', (s) => {
    const net = handNet({ t: { in: ['p'], out: ['r'] }, u: { in: ['r'], out: ['end'] } })
    const state = completeTask(net, stateOf({}, { t: 'started', u: s }, { t: 1, u: 2 }), 't')
    expect(state.tasks).toEqual({ t: 'completed', u: 'enabled' })
    expect(state.generations).toEqual({ t: 1, u: 3 })
  })
})

describe('a loop back to an earlier condition enables a new generation each pass (scenario 9)', () => {
  it('three passes of draft → check, then out to the end', () => {
    let state = initialState(loopNet)
    state = run(loopNet, state, 'open')
    const passes: Array<{ draft: number | undefined; check: number | undefined; ready: number }> = []
    for (let pass = 1; pass <= 3; pass++) {
      expect(enabledTasks(loopNet, state)).toEqual(['draft'])
      state = run(loopNet, state, 'draft')
      expect(enabledTasks(loopNet, state)).toEqual(['check'])
      state = run(loopNet, state, 'check', routed(pass < 3 ? 'ready' : 'end'))
      passes.push({ draft: state.generations.draft, check: state.generations.check, ready: state.marking.ready ?? 0 })
    }
    expect(passes).toEqual([
      { draft: 2, check: 1, ready: 1 },
      { draft: 3, check: 2, ready: 1 },
      { draft: 3, check: 3, ready: 0 },
    ])
    expect(state.completed).toBe(true)
    expect(state.generations.open).toBe(1)
    expect(fullMarking(loopNet, state.marking)).toEqual({ start: 0, ready: 0, end: 1, draft__to__check: 0 })
  })

  it('each pass enables draft once: generation n+1 exactly when the n-th check routes back', () => {
    let state = run(loopNet, initialState(loopNet), 'open')
    expect(state.generations.draft).toBe(1)
    for (let n = 1; n <= 5; n++) {
      state = run(loopNet, state, 'draft')
      expect(state.tasks.draft).toBe('completed')
      state = run(loopNet, state, 'check', routed('ready'))
      expect(state.tasks.draft).toBe('enabled')
      expect(state.generations.draft).toBe(n + 1)
    }
  })
})
