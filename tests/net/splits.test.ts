import { describe, expect, it } from 'vitest'
import { completeTask, enabledTasks, exitTask, initialState, settle, startTask } from '../../src/net/interpreter'
import { splitTargets } from '../../src/net/semantics'
import { convexErrorData, exclusiveChoiceNet, handNet, multiChoiceNet, parallelNet, stateOf, totalTokens } from './nets'

/** A task `t` with outputs `p`, `q`, `r` and the given split; `u` reads them all (XOR-join). */
const splitNet = (split: 'and' | 'xor' | 'or') =>
  handNet({
    t: { split, in: ['start'], out: ['p', 'q', 'r'] },
    u: { join: 'xor', in: ['p', 'q', 'r'], out: ['end'] },
  })

const routed = (...conditions: string[]) => ({ conditions })

describe('output splits (docs/semantics.md#exit)', () => {
  describe('AND-split: one token into every output condition', () => {
    it('targets every output, in declaration order, and needs no route', () => {
      expect(splitTargets(splitNet('and'), 't', undefined)).toEqual(['p', 'q', 'r'])
    })

    it('produces one token in each output when the task completes', () => {
      const net = splitNet('and')
      const state = completeTask(net, stateOf({ start: 0 }, { t: 'started' }, { t: 1 }), 't')
      expect(state.marking).toEqual({ start: 0, p: 1, q: 1, r: 1 })
      expect(totalTokens(state.marking)).toBe(3)
    })

    it('the parallel workflow marks both branches and enables both', () => {
      let state = initialState(parallelNet)
      state = completeTask(parallelNet, startTask(parallelNet, state, 'split'), 'split')
      expect(state.marking).toEqual({ start: 0, split__to__pick: 1, split__to__invoice: 1 })
      expect(enabledTasks(parallelNet, state)).toEqual(['pick', 'invoice'])
    })
  })

  describe('XOR-split: exactly one of the outgoing targets', () => {
    it.each([['p'], ['q'], ['r']])('a route to %s marks only %s', (target) => {
      const net = splitNet('xor')
      expect(splitTargets(net, 't', routed(target))).toEqual([target])
      const state = completeTask(net, stateOf({}, { t: 'started' }), 't', routed(target))
      expect(state.marking).toEqual({ [target]: 1 })
    })

    it('the exclusive-choice workflow enables only the branch the route chose', () => {
      let state = initialState(exclusiveChoiceNet)
      state = startTask(exclusiveChoiceNet, state, 'triage')
      state = completeTask(exclusiveChoiceNet, state, 'triage', routed('triage__to__replace'))
      expect(enabledTasks(exclusiveChoiceNet, state)).toEqual(['replace'])
      expect(state.marking).toEqual({ start: 0, triage__to__replace: 1 })
    })
  })

  describe('OR-split: one or more of the outgoing targets, one token into each', () => {
    it.each([[['p']], [['q', 'r']], [['p', 'q', 'r']], [['r', 'p']]])('a route to %o marks exactly those', (targets) => {
      const net = splitNet('or')
      expect(new Set(splitTargets(net, 't', routed(...targets)))).toEqual(new Set(targets))
      const state = completeTask(net, stateOf({}, { t: 'started' }), 't', routed(...targets))
      expect(state.marking).toEqual(Object.fromEntries(targets.map((c) => [c, 1])))
    })

    it('the multi-choice workflow enables the chosen branches only', () => {
      let state = initialState(multiChoiceNet)
      state = startTask(multiChoiceNet, state, 'choose')
      state = completeTask(multiChoiceNet, state, 'choose', routed('choose__to__x', 'choose__to__z'))
      expect(enabledTasks(multiChoiceNet, state)).toEqual(['x', 'z'])
    })
  })

  describe('declared target sets: exactly one of them, in any order', () => {
    /** splitNet with `t`'s route declaring {p, q} | {r}. */
    const declared = (split: 'xor' | 'or', targetSets: string[][]) => {
      const net = splitNet(split)
      return { ...net, tasks: { ...net.tasks, t: { ...net.tasks.t!, targetSets } } }
    }

    it.each([[['p', 'q']], [['q', 'p']], [['q', 'p', 'q']], [['r']]])('an OR route to %o is one of them', (targets) => {
      expect(new Set(splitTargets(declared('or', [['p', 'q'], ['r']]), 't', routed(...targets)))).toEqual(new Set(targets))
    })

    it.each([[['p']], [['p', 'q', 'r']], [['q', 'r']]])('an OR route to %o is refused, naming what it returned and the sets', (targets) => {
      const data = convexErrorData(() => splitTargets(declared('or', [['p', 'q'], ['r']]), 't', routed(...targets)))
      expect(data).toEqual({
        code: 'INVALID_ROUTE',
        taskName: 't',
        splitType: 'or',
        message: `Route of task 't' (OR-split) returned [${targets.join(', ')}], not one of its declared target sets: [p, q] or [r].`,
      })
    })

    it('an XOR route to an output no set names is refused', () => {
      const net = declared('xor', [['p'], ['r']])
      expect(splitTargets(net, 't', routed('r'))).toEqual(['r'])
      expect(convexErrorData(() => splitTargets(net, 't', routed('q'))).message).toMatch(/returned \[q\], not one of its declared target sets: \[p\] or \[r\]/)
    })
  })

  describe('a route that cannot be taken is refused with INVALID_ROUTE', () => {
    type Row = [string, 'xor' | 'or', { conditions: string[] } | undefined, RegExp]
    it.each<Row>([
      ['XOR-split with two targets', 'xor', routed('p', 'q'), /2 targets.*exactly one/],
      ['XOR-split with three targets', 'xor', routed('p', 'q', 'r'), /3 targets.*exactly one/],
      ['XOR-split with no target', 'xor', routed(), /no target/],
      ['XOR-split with no route result', 'xor', undefined, /returned nothing/],
      ['OR-split with no target', 'or', routed(), /no target.*at least one/],
      ['OR-split with no route result', 'or', undefined, /returned nothing/],
      ['XOR-split to a condition that is not an outgoing flow', 'xor', routed('end'), /'end'.*not an outgoing flow/],
      ['OR-split to a condition that is not an outgoing flow', 'or', routed('p', 'start'), /'start'.*not an outgoing flow/],
      ['OR-split to a name that is nowhere in the net', 'or', routed('nowhere'), /'nowhere'.*not an outgoing flow/],
    ])('%s', (_, split, route, message) => {
      const net = splitNet(split)
      const data = convexErrorData(() => splitTargets(net, 't', route))
      expect(data).toMatchObject({ code: 'INVALID_ROUTE', taskName: 't', splitType: split })
      expect(data.message).toMatch(message)
      expect(data.message).toContain("task 't'")
    })

    it('completing the task with such a route throws and leaves the state as it was', () => {
      const net = splitNet('or')
      const before = stateOf({ start: 0 }, { t: 'started' }, { t: 1 })
      const copy = structuredClone(before)
      expect(convexErrorData(() => completeTask(net, before, 't', routed())).code).toBe('INVALID_ROUTE')
      expect(before).toEqual(copy)
    })
  })

  it('exit produces exactly the targets it is given; settling then enables the tasks they enable', () => {
    const net = splitNet('or')
    const exited = exitTask(net, stateOf({}, { t: 'started' }, { t: 1 }), 't', ['q', 'r'])
    expect(exited.marking).toEqual({ q: 1, r: 1 })
    expect(exited.tasks).toEqual({ t: 'completed' })
    const settled = settle(net, exited)
    expect(enabledTasks(net, settled)).toEqual(['u'])
    expect(settled.generations).toEqual({ t: 1, u: 1 })
    expect(settled.completed).toBe(false)
  })
})
