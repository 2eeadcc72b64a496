import { describe, expect, it } from 'vitest'
import { completeTask, enabledTasks, fireTask, initialState, startTask } from '../../src/net/interpreter'
import type { TaskState } from '../../src/net/lifecycle'
import { consumedBy } from '../../src/net/semantics'
import { deferredChoiceNet, fullMarking, handNet, multiMergeNet, stateOf, totalTokens, viewOf } from './nets'

const orJoinYes = () => true

/** A task `t` joining `p`, `q`, `r` in that declaration order. */
const joinNet = (join: 'and' | 'xor' | 'or') => handNet({ t: { join, in: ['p', 'q', 'r'], out: ['end'] } })

describe('firing consumes input tokens (docs/semantics.md#firing)', () => {
  describe('AND-join: one token from every input condition', () => {
    it.each([
      [{ p: 1, q: 1, r: 1 }, { p: 0, q: 0, r: 0 }],
      [{ p: 2, q: 1, r: 1 }, { p: 1, q: 0, r: 0 }],
      [{ p: 3, q: 2, r: 5 }, { p: 2, q: 1, r: 4 }],
    ])('%o → %o', (before, after) => {
      const net = joinNet('and')
      expect(consumedBy(net, viewOf(before), 't')).toEqual(['p', 'q', 'r'])
      const state = startTask(net, stateOf(before, { t: 'enabled' }), 't')
      expect(state.marking).toEqual(after)
      expect(state.tasks.t).toBe('started')
    })
  })

  describe('XOR-join: one token, from the first marked input in declaration order; the others stay', () => {
    it.each([
      [{ p: 1, q: 1, r: 1 }, 'p', { p: 0, q: 1, r: 1 }],
      [{ p: 1, q: 0, r: 1 }, 'p', { p: 0, q: 0, r: 1 }],
      [{ p: 0, q: 1, r: 1 }, 'q', { p: 0, q: 0, r: 1 }],
      [{ p: 0, q: 0, r: 1 }, 'r', { p: 0, q: 0, r: 0 }],
      [{ p: 2, q: 1, r: 0 }, 'p', { p: 1, q: 1, r: 0 }],
      [{ p: 0, q: 3, r: 2 }, 'q', { p: 0, q: 2, r: 2 }],
    ])('%o consumes from %s → %o', (before, from, after) => {
      const net = joinNet('xor')
      expect(consumedBy(net, viewOf(before), 't')).toEqual([from])
      expect(startTask(net, stateOf(before, { t: 'enabled' }), 't').marking).toEqual(after)
    })

    it('declaration order is the order of the inputs, not the alphabetical order of their names', () => {
      const net = handNet({ t: { join: 'xor', in: ['zeta', 'alpha'], out: ['end'] } })
      expect(consumedBy(net, viewOf({ zeta: 1, alpha: 1 }), 't')).toEqual(['zeta'])
      expect(fireTask(net, stateOf({ zeta: 1, alpha: 1 }, { t: 'enabled' }), 't').marking).toEqual({ zeta: 0, alpha: 1 })
    })

    it('a Builder net consumes from the input whose flow was declared first', () => {
      let state = initialState(multiMergeNet)
      state = completeTask(multiMergeNet, startTask(multiMergeNet, state, 'split'), 'split')
      state = completeTask(multiMergeNet, startTask(multiMergeNet, state, 'b'), 'b')
      state = completeTask(multiMergeNet, startTask(multiMergeNet, state, 'a'), 'a')
      // `a`'s flow into merge is declared before `b`'s, although `b` delivered first.
      expect(multiMergeNet.tasks.merge!.inputs).toEqual(['a__to__merge', 'b__to__merge'])
      state = startTask(multiMergeNet, state, 'merge')
      expect(fullMarking(multiMergeNet, state.marking)).toMatchObject({ a__to__merge: 0, b__to__merge: 1 })
    })
  })

  describe('OR-join: one token from every marked input', () => {
    it.each([
      [{ p: 1, q: 0, r: 0 }, ['p'], { p: 0, q: 0, r: 0 }],
      [{ p: 1, q: 0, r: 1 }, ['p', 'r'], { p: 0, q: 0, r: 0 }],
      [{ p: 2, q: 1, r: 1 }, ['p', 'q', 'r'], { p: 1, q: 0, r: 0 }],
    ])('%o consumes from %o → %o', (before, from, after) => {
      const net = joinNet('or')
      expect(consumedBy(net, viewOf(before), 't')).toEqual(from)
      expect(startTask(net, stateOf(before, { t: 'enabled' }), 't', { decide: () => orJoinYes }).marking).toEqual(after)
    })
  })

  it.each(['disabled', 'started', 'completed', 'canceled'] as const)('the interpreter refuses to fire a task that is %s', (s) => {
    const net = joinNet('xor')
    expect(() => startTask(net, stateOf({ p: 1 }, { t: s }), 't')).toThrow(/not enabled/)
  })

  it('firing leaves the previous state untouched (the interpreter is pure)', () => {
    const net = joinNet('and')
    const before = stateOf({ p: 1, q: 1, r: 1 }, { t: 'enabled' }, { t: 1 })
    const copy = structuredClone(before)
    startTask(net, before, 't')
    expect(before).toEqual(copy)
  })
})

describe('deferred choice: firing disables the competitors that lost their enabling (docs/semantics.md#firing)', () => {
  /**
   * `t` fires on `p` (AND-join, single input). Its competitors:
   * `u` reads only `p`; `v` XOR-joins `p` and `q`; `w` AND-joins `p` and `q`.
   */
  const choiceNet = handNet({
    t: { in: ['p'], out: ['end'] },
    u: { in: ['p'], out: ['end'] },
    v: { join: 'xor', in: ['p', 'q'], out: ['end'] },
    w: { join: 'and', in: ['p', 'q'], out: ['end'] },
  })
  type Row = [string, Record<string, number>, Record<string, TaskState>, string[]]
  it.each<Row>([
    ['the last token of p: every enabled competitor loses it', { p: 1, q: 0 }, { u: 'enabled', v: 'enabled' }, ['u', 'v']],
    ['p keeps a token: nobody loses its enabling', { p: 2, q: 0 }, { u: 'enabled', v: 'enabled' }, []],
    ['q is marked: the XOR-join v stays enabled through q, u does not', { p: 1, q: 1 }, { u: 'enabled', v: 'enabled' }, ['u']],
    ['q is marked: the AND-join w needs p too and loses it', { p: 1, q: 1 }, { w: 'enabled', v: 'enabled' }, ['w']],
    ['a competitor already started is not disabled', { p: 1, q: 0 }, { u: 'started', v: 'enabled' }, ['v']],
    ['a competitor that was not enabled is left alone', { p: 1, q: 0 }, { u: 'completed', w: 'disabled' }, []],
  ])('%s', (_, marking, competitors, disabled) => {
    const tasks = { t: 'enabled' as TaskState, ...competitors }
    const before = stateOf(marking, tasks, { t: 1, u: 1, v: 1, w: 1 })
    const after = startTask(choiceNet, before, 't')
    expect(after.tasks.t).toBe('started')
    // Exactly the listed tasks went from enabled to disabled; no other task changed state or generation.
    const lost = Object.keys(choiceNet.tasks).filter((name) => before.tasks[name] === 'enabled' && after.tasks[name] === 'disabled')
    expect(lost).toEqual(disabled)
    for (const name of ['u', 'v', 'w']) {
      expect(after.tasks[name] ?? 'disabled', name).toBe(disabled.includes(name) ? 'disabled' : (before.tasks[name] ?? 'disabled'))
    }
    expect(after.generations).toEqual(before.generations)
  })

  it('an XOR-join competitor is judged on the marking after the firing consumed its one token', () => {
    // t XOR-joins p and q; v reads q only. t takes p (the first marked input), so v keeps q.
    const net = handNet({ t: { join: 'xor', in: ['p', 'q'], out: ['end'] }, v: { in: ['q'], out: ['end'] } })
    const kept = startTask(net, stateOf({ p: 1, q: 1 }, { t: 'enabled', v: 'enabled' }, { t: 1, v: 1 }), 't')
    expect(kept.marking).toEqual({ p: 0, q: 1 })
    expect(kept.tasks).toEqual({ t: 'started', v: 'enabled' })
    expect(kept.generations.v).toBe(1)
    // With p empty, t takes q, and v loses it.
    const lost = startTask(net, stateOf({ p: 0, q: 1 }, { t: 'enabled', v: 'enabled' }, { t: 1, v: 1 }), 't')
    expect(lost.marking).toEqual({ p: 0, q: 0 })
    expect(lost.tasks).toEqual({ t: 'started', v: 'disabled' })
  })

  it('in the deferred-choice workflow, starting accept disables decline and consumes the offer', () => {
    let state = initialState(deferredChoiceNet)
    state = completeTask(deferredChoiceNet, startTask(deferredChoiceNet, state, 'prepare'), 'prepare')
    expect(enabledTasks(deferredChoiceNet, state)).toEqual(['accept', 'decline'])
    expect(state.marking.offer).toBe(1)

    state = startTask(deferredChoiceNet, state, 'accept')
    expect(state.tasks).toMatchObject({ accept: 'started', decline: 'disabled' })
    expect(totalTokens(state.marking)).toBe(0)
    expect(() => startTask(deferredChoiceNet, state, 'decline')).toThrow(/not enabled/)
  })

  it('with two offers, both tasks can start: the second offer keeps the other one enabled', () => {
    const net = deferredChoiceNet
    let state = stateOf({ offer: 2 }, { accept: 'enabled', decline: 'enabled' }, { accept: 1, decline: 1 })
    state = startTask(net, state, 'accept')
    expect(state.tasks).toEqual({ accept: 'started', decline: 'enabled' })
    state = startTask(net, state, 'decline')
    expect(state.tasks).toEqual({ accept: 'started', decline: 'started' })
    expect(state.marking).toEqual({ offer: 0 })
  })
})
