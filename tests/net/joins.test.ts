import { describe, expect, it, vi } from 'vitest'
import { completeTask, enabledTasks, initialState, startTask } from '../../src/net/interpreter'
import { isJoinSatisfied } from '../../src/net/semantics'
import { fullMarking, handNet, multiMergeNet, parallelNet, viewOf } from './nets'

/** One task `t` joining the inputs `p`, `q`, `r` (and a single-input task `s` on `p`). */
const joinNet = (join: 'and' | 'xor' | 'or') =>
  handNet({
    t: { join, in: ['p', 'q', 'r'], out: ['end'] },
    s: { join, in: ['p'], out: ['end'] },
  })

const marking = (p: number, q: number, r: number) => ({ p, q, r })

describe('enabling (docs/semantics.md#enabling)', () => {
  describe('AND-join: every input condition holds at least one token', () => {
    it.each([
      [marking(0, 0, 0), false],
      [marking(1, 0, 0), false],
      [marking(0, 1, 0), false],
      [marking(0, 0, 1), false],
      [marking(1, 1, 0), false],
      [marking(1, 0, 1), false],
      [marking(0, 1, 1), false],
      [marking(5, 5, 0), false],
      [marking(1, 1, 1), true],
      [marking(2, 1, 3), true],
    ])('marking %o → enabled: %s', (m, enabled) => {
      expect(isJoinSatisfied(joinNet('and'), 't', viewOf(m))).toBe(enabled)
    })

    it.each([
      [0, false],
      [1, true],
      [2, true],
    ])('a single input holding %i tokens → enabled: %s', (p, enabled) => {
      expect(isJoinSatisfied(joinNet('and'), 's', viewOf({ p }))).toBe(enabled)
    })
  })

  describe('XOR-join: at least one input condition holds a token', () => {
    it.each([
      [marking(0, 0, 0), false],
      [marking(1, 0, 0), true],
      [marking(0, 1, 0), true],
      [marking(0, 0, 1), true],
      [marking(1, 1, 0), true],
      [marking(0, 2, 1), true],
      [marking(1, 1, 1), true],
    ])('marking %o → enabled: %s', (m, enabled) => {
      expect(isJoinSatisfied(joinNet('xor'), 't', viewOf(m))).toBe(enabled)
    })

    it.each([
      [0, false],
      [1, true],
    ])('a single input holding %i tokens → enabled: %s', (p, enabled) => {
      expect(isJoinSatisfied(joinNet('xor'), 's', viewOf({ p }))).toBe(enabled)
    })
  })

  describe('OR-join: a marked input is necessary, the non-local decision is sufficient', () => {
    it('is not enabled with every input empty, and does not ask the decision', () => {
      const decide = vi.fn(() => true)
      expect(isJoinSatisfied(joinNet('or'), 't', viewOf(marking(0, 0, 0)), decide)).toBe(false)
      expect(decide).not.toHaveBeenCalled()
    })

    it.each([
      [marking(1, 0, 0), true],
      [marking(1, 0, 0), false],
      [marking(1, 1, 1), true],
      [marking(0, 1, 1), false],
    ])('with marking %o, follows the decision (%s)', (m, decision) => {
      const net = joinNet('or')
      const decide = vi.fn(() => decision)
      expect(isJoinSatisfied(net, 't', viewOf(m), decide)).toBe(decision)
      expect(decide).toHaveBeenCalledWith(net.tasks.t)
    })

    it('refuses to guess when a marked OR-join gets no decision', () => {
      expect(() => isJoinSatisfied(joinNet('or'), 't', viewOf(marking(1, 0, 0)))).toThrow(/OR-join/)
    })
  })

  it('names the unknown task it is asked about', () => {
    expect(() => isJoinSatisfied(joinNet('and'), 'ghost', viewOf({}))).toThrow(/ghost/)
  })
})

describe('enabling in a running net consumes nothing', () => {
  it('enables the first task with the start token still in the start condition', () => {
    const state = initialState(parallelNet)
    expect(enabledTasks(parallelNet, state)).toEqual(['split'])
    expect(state.marking).toEqual({ start: 1 })
    expect(state.generations).toEqual({ split: 1 })
  })

  it('an AND-join stays disabled until its last input is marked, then is enabled without consuming', () => {
    let state = initialState(parallelNet)
    state = completeTask(parallelNet, startTask(parallelNet, state, 'split'), 'split')
    expect(enabledTasks(parallelNet, state)).toEqual(['pick', 'invoice'])

    state = completeTask(parallelNet, startTask(parallelNet, state, 'pick'), 'pick')
    expect(state.tasks.pack ?? 'disabled').toBe('disabled')
    expect(state.marking.pick__to__pack).toBe(1)

    state = completeTask(parallelNet, startTask(parallelNet, state, 'invoice'), 'invoice')
    expect(enabledTasks(parallelNet, state)).toEqual(['pack'])
    expect(state.marking).toMatchObject({ pick__to__pack: 1, invoice__to__pack: 1 })
  })

  it('an XOR-join is enabled by its first marked input, without consuming it', () => {
    let state = initialState(multiMergeNet)
    state = completeTask(multiMergeNet, startTask(multiMergeNet, state, 'split'), 'split')
    state = completeTask(multiMergeNet, startTask(multiMergeNet, state, 'b'), 'b')
    expect(enabledTasks(multiMergeNet, state)).toEqual(['a', 'merge'])
    expect(fullMarking(multiMergeNet, state.marking)).toMatchObject({ a__to__merge: 0, b__to__merge: 1 })
  })
})
