import { dummyLoopWorkflow, regionWithdrawWorkflow } from '../../src/workflows/enabling'
import { describe, expect, it } from 'vitest'
import { Builder } from '../../src/builder'
import { cancellationEffects, cancellationFootprint } from '../../src/net/cancellation'
import { completeTask, enabledTasks, initialState, settle, startTask, type NetState } from '../../src/net/interpreter'
import { verifyWorkflow } from '../../src/net/verify'
import { joinHolds } from '../../src/net/semantics'
import { atomic, handNet, stateOf, viewOf } from './nets'

/**
 * Settling (the step order of the interpreter) and cancellation regions that withdraw the tasks
 * they cancel: the nets of issue 10.
 */


const run = (net: Parameters<typeof startTask>[0], s: NetState, task: string) => completeTask(net, startTask(net, s, task), task)

describe('a region withdraws the tasks it cancels (issue 10)', () => {
  /** Issue 10: `a` AND-splits to b, c, k; all three flow into the OR-join `j`; k's region cancels `c`. */
  const net = regionWithdrawWorkflow.build().net

  it('cancellationEffects reports the tokens of a region task’s implicit inputs as withdrawn, within the footprint', () => {
    const view = viewOf({ a__to__c: 1, b__to__j: 1 }, { c: 'enabled', k: 'started' })
    expect(cancellationEffects(net, view, 'k')).toEqual({
      canceled: ['c'],
      emptied: [],
      withdrawn: [{ condition: 'a__to__c', tokens: 1 }],
    })
    expect(cancellationFootprint(net, 'k')).toEqual({ conditions: ['a__to__c'], tasks: ['c'] })
    // A region task that is not active is not canceled, but loses the tokens of its implicit inputs all the same.
    expect(cancellationEffects(net, viewOf({ a__to__c: 1 }, { c: 'disabled' }), 'k')).toEqual({
      canceled: [],
      emptied: [],
      withdrawn: [{ condition: 'a__to__c', tokens: 1 }],
    })
  })

  it('complete a, b, k: c is canceled, a__to__c empty, j enabled; the workflow completes once j does', () => {
    let s = initialState(net)
    s = run(net, s, 'a')
    s = run(net, s, 'b')
    expect(s.tasks.j ?? 'disabled').toBe('disabled') // c and k may still deliver
    s = run(net, s, 'k')
    expect(s.tasks.c).toBe('canceled')
    expect(s.marking.a__to__c).toBe(0)
    expect(enabledTasks(net, s)).toEqual(['j'])
    s = run(net, s, 'j')
    expect(s.completed).toBe(true)
    expect(s.marking).toMatchObject({ b__to__j: 0, k__to__j: 0, end: 1 })
  })

  it('verifyWorkflow finds nothing on it', () => {
    const result = verifyWorkflow(regionWithdrawWorkflow)
    expect(result.findings).toEqual([])
    expect(result.ok).toBe(true)
  })
})

describe('a region task whose join still holds on an explicit input is enabled again, in a new generation', () => {
  // `t` cancels `u` (XOR-join of the implicit flow s→u and the explicit condition `p`); p is not in the region.
  const net = Builder.workflow('reEnable')
    .startCondition('start')
    .task('s', atomic())
    .task('t', atomic())
    .task('u', atomic('xor'))
    .task('w', atomic('xor'))
    .condition('p')
    .condition('q')
    .endCondition('end')
    .connectCondition('start', (to) => to.task('s'))
    .connectTask('s', (to) => to.task('u').condition('p').condition('q'))
    .connectCondition('p', (to) => to.task('u'))
    .connectCondition('q', (to) => to.task('t'))
    .connectTask('t', (to) => to.task('w'))
    .connectTask('u', (to) => to.task('w'))
    .connectTask('w', (to) => to.condition('end'))
    .withCancellationRegion('t', (r) => r.task('u'))
    .build().net

  it.each(['enabled', 'started'] as const)('u %s (generation 1) → t completes: s__to__u withdrawn, p kept, u enabled in generation 2', (uState) => {
    let s = initialState(net)
    s = run(net, s, 's')
    expect(s.tasks.u).toBe('enabled')
    expect(s.generations.u).toBe(1)
    // Started, u takes the token of its first marked input (s__to__u); enabled, both stay.
    if (uState === 'started') s = startTask(net, s, 'u')
    s = completeTask(net, startTask(net, s, 't'), 't')
    expect(s.marking).toMatchObject({ s__to__u: 0, p: 1, t__to__w: 1 })
    expect(s.tasks.u).toBe('enabled')
    expect(s.generations.u).toBe(2)
    expect(enabledTasks(net, s)).toEqual(['u', 'w'])
  })
})

describe('the dummy loop of issue 10', () => {
  // start → t4 (XOR-join, AND-split) → t2 (dummy) → back to t4; t4 → t3 (dummy, OR-join) → end
  const net = dummyLoopWorkflow.build().net

  it('completing t4 completes the workflow: t2 and t3 fire in the same step, t3 marks the end', () => {
    let s = initialState(net)
    expect(enabledTasks(net, s)).toEqual(['t4'])
    s = run(net, s, 't4')
    expect(s.completed).toBe(true)
    expect(s.tasks).toMatchObject({ t4: 'completed', t2: 'completed', t3: 'completed' })
    expect(s.marking).toMatchObject({ end: 1, t2__to__t4: 1, t4__to__t2: 0, t4__to__t3: 0 })
  })

  it('verifyWorkflow explores it the same way (the loop token is left behind: an improper completion)', () => {
    const result = verifyWorkflow(net)
    expect(result.exhaustive).toBe(true)
    expect(result.findings.map((f) => f.kind)).toEqual(['improperCompletion'])
  })
})

describe('settle and joinHolds', () => {
  it('joinHolds counts distinct inputs: an input named twice counts once', () => {
    const net = handNet({ t: { in: ['p', 'p', 'q'], out: ['end'] } })
    expect(joinHolds(net.tasks.t!, 2)).toBe(true)
    expect(joinHolds(net.tasks.t!, 1)).toBe(false)
  })

  it('settle disables an enabled task whose join no longer holds and enables one whose join holds', () => {
    const net = handNet({ u: { in: ['p'], out: ['end'] }, v: { in: ['q'], out: ['end'] } })
    const s = settle(net, stateOf({ q: 1 }, { u: 'enabled', v: 'canceled' }, { u: 1, v: 3 }))
    expect(s.tasks).toEqual({ u: 'disabled', v: 'enabled' })
    expect(s.generations).toEqual({ u: 1, v: 4 })
  })
})
