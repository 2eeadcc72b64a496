import { describe, expect, it } from 'vitest'
import { completeTask, enabledTasks, exitTask, initialState, startTask } from '../../src/net/interpreter'
import { handNet, raceNet, sequenceNet, stateOf } from './nets'

describe('the workflow completes when the end condition is marked (docs/semantics.md#exit)', () => {
  it('a sequence completes when its last task completes, with the token in the end condition', () => {
    let state = initialState(sequenceNet)
    for (const task of ['a', 'b']) {
      expect(state.completed).toBe(false)
      state = completeTask(sequenceNet, startTask(sequenceNet, state, task), task)
    }
    expect(state.completed).toBe(true)
    expect(state.marking).toEqual({ start: 0, a__to__b: 0, end: 1 })
    expect(state.tasks).toEqual({ a: 'completed', b: 'completed' })
  })

  it('remaining enabled tasks are disabled and started ones canceled', () => {
    let state = initialState(raceNet)
    state = completeTask(raceNet, startTask(raceNet, state, 'split'), 'split')
    expect(enabledTasks(raceNet, state)).toEqual(['fast', 'slow', 'idle'])
    state = startTask(raceNet, state, 'slow')
    state = completeTask(raceNet, startTask(raceNet, state, 'fast'), 'fast')

    expect(state.completed).toBe(true)
    expect(state.tasks).toEqual({ split: 'completed', fast: 'completed', slow: 'canceled', idle: 'disabled' })
    expect(enabledTasks(raceNet, state)).toEqual([])
  })

  it('a task the same exit would enable is never enabled: the workflow is over', () => {
    // t AND-splits into end and r; u on r would be enabled, but the workflow completes first.
    const net = handNet({ t: { in: ['start'], out: ['end', 'r'] }, u: { in: ['r'], out: ['end'] } })
    let state = initialState(net)
    state = completeTask(net, startTask(net, state, 't'), 't')
    expect(state.completed).toBe(true)
    expect(state.tasks.u ?? 'disabled').toBe('disabled')
    expect(state.generations.u ?? 0).toBe(0)
    expect(state.marking).toMatchObject({ end: 1, r: 1 })
  })

  it.each([
    [['end'], true],
    [['r'], false],
    [['r', 'end'], true],
  ])('exit into %o completes the workflow: %s', (targets, completes) => {
    const net = handNet({ t: { split: 'or', in: ['start'], out: ['r', 'end'] }, u: { in: ['r'], out: ['end'] } })
    const before = stateOf({}, { t: 'started' }, { t: 1 })
    // The exit itself only produces; the settling after it completes the workflow.
    expect(exitTask(net, before, 't', targets).completed).toBe(false)
    const after = completeTask(net, before, 't', { conditions: targets })
    expect(after.completed).toBe(completes)
    expect(after.tasks.u ?? 'disabled').toBe(completes ? 'disabled' : 'enabled')
  })

  it('a workflow that has not reached its end is not completed, whatever else is marked', () => {
    let state = initialState(raceNet)
    state = completeTask(raceNet, startTask(raceNet, state, 'split'), 'split')
    state = completeTask(raceNet, startTask(raceNet, state, 'slow'), 'slow')
    expect(state.completed).toBe(false)
    expect(enabledTasks(raceNet, state)).toEqual(['fast', 'idle', 'tail'])
  })
})
