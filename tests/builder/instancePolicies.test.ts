import { describe, expect, it } from 'vitest'
import { instancePolicy, type InstancePolicy } from '../../src'
import type { PolicyResult, TaskStats } from '../../src/builder/contexts'
import { decideInstances } from '../../src/builder/instancePolicies'

/**
 * The multiple-instance policies (src/builder/instancePolicies.ts, api.md
 * "Multiple instances") over fake counts: each case is the generation's
 * counts after the transition being decided, as `task.getStats()` returns
 * them. The engine side (asked only while started, teardown not asked) is in
 * tests/patterns/wcp-13 … wcp-36.
 */

type Counts = Partial<Omit<TaskStats, 'total'>>
const stats = (counts: Counts): TaskStats => {
  const full = { initialized: 0, started: 0, completed: 0, failed: 0, canceled: 0, ...counts }
  return { ...full, total: full.initialized + full.started + full.completed + full.failed + full.canceled }
}

/** Asks a policy the way the engine does, with only the counts behind `task.getStats()`. */
const ask = (policy: InstancePolicy, counts: Counts) => policy({ task: { getStats: async () => stats(counts) } })

type Case = [string, Counts, PolicyResult]

describe('instancePolicy.all(): complete once every work item is final, fail on the first failure', () => {
  it.each<Case>([
    ['a completion with one open (initialized)', { completed: 1, initialized: 1 }, 'continue'],
    ['a completion with one open (started)', { completed: 1, started: 1 }, 'continue'],
    ['the last completion', { completed: 3 }, 'complete'],
    ['a cancellation with one open', { canceled: 1, started: 1 }, 'continue'],
    ['the last open one canceled', { completed: 2, canceled: 1 }, 'complete'],
    ['every one canceled', { canceled: 2 }, 'complete'],
    ['a failure with others open', { failed: 1, started: 2 }, 'fail'],
    ['a failure as the last one', { failed: 1, completed: 2 }, 'fail'],
  ])('%s: %j → %s', async (_, counts, expected) => {
    expect(await ask(instancePolicy.all(), counts)).toBe(expected)
  })

  it('decides like the default policy on every case (docs/semantics.md#policies)', async () => {
    // The default policy: a failure fails; otherwise complete when nothing is open.
    const defaultPolicy = (next: 'completed' | 'failed' | 'canceled', s: TaskStats): PolicyResult =>
      next === 'failed' ? 'fail' : s.initialized + s.started === 0 ? 'complete' : 'continue'
    for (let initialized = 0; initialized <= 2; initialized++)
      for (let started = 0; started <= 2; started++)
        for (let completed = 0; completed <= 2; completed++)
          for (let canceled = 0; canceled <= 2; canceled++) {
            const open = { initialized, started, canceled }
            expect(await ask(instancePolicy.all(), { ...open, completed: completed + 1 })).toBe(defaultPolicy('completed', stats({ ...open, completed: completed + 1 })))
            expect(await ask(instancePolicy.all(), { ...open, completed, canceled: canceled + 1 })).toBe(defaultPolicy('canceled', stats({ ...open, completed, canceled: canceled + 1 })))
            expect(await ask(instancePolicy.all(), { ...open, completed, failed: 1 })).toBe('fail')
          }
  })

  it('with maxFailures, tolerates that many failures as final work items, and fails on the next', async () => {
    const policy = instancePolicy.all({ maxFailures: 1 })
    expect(await ask(policy, { failed: 1, started: 2 })).toBe('continue')
    expect(await ask(policy, { failed: 1, completed: 2 })).toBe('complete')
    expect(await ask(policy, { failed: 2, started: 1 })).toBe('fail')
    expect(await ask(policy, { failed: 2, completed: 1 })).toBe('fail')
  })
})

describe('instancePolicy.threshold(n): complete once n have completed, the open ones are left to the teardown', () => {
  it.each<Case>([
    ['1 of 3 completed', { completed: 1, started: 2 }, 'continue'],
    ['2 of 3 completed, one still started', { completed: 2, started: 1 }, 'complete'],
    ['2 of 3 completed, one only offered', { completed: 2, initialized: 1 }, 'complete'],
    ['2 of 5 completed (more than n still open)', { completed: 2, started: 2, initialized: 1 }, 'complete'],
    ['a cancellation does not count towards n', { completed: 1, canceled: 1, started: 1 }, 'continue'],
    ['every one final with 1 of 2 needed completions: complete anyway', { completed: 1, canceled: 2 }, 'complete'],
    ['every one canceled: complete anyway', { canceled: 3 }, 'complete'],
    ['unreachable with the open ones, but one is still open: continue (more may be added)', { canceled: 2, started: 1 }, 'continue'],
    ['a failure (maxFailures 0)', { completed: 1, failed: 1, started: 1 }, 'fail'],
  ])('threshold(2), %s → %s', async (_, counts, expected) => {
    expect(await ask(instancePolicy.threshold(2), counts)).toBe(expected)
  })

  it.each<Case>([
    ['one failure is tolerated', { failed: 1, completed: 1, started: 1 }, 'continue'],
    ['one failure, then the threshold', { failed: 1, completed: 2 }, 'complete'],
    ['one failure and the rest canceled: every one final', { failed: 1, completed: 1, canceled: 1 }, 'complete'],
    ['a second failure fails the task, work still open', { failed: 2, started: 1 }, 'fail'],
  ])('threshold(2, { maxFailures: 1 }), %s → %s', async (_, counts, expected) => {
    expect(await ask(instancePolicy.threshold(2, { maxFailures: 1 }), counts)).toBe(expected)
  })

  it('a threshold above the number of work items completes when every one is final', async () => {
    expect(await ask(instancePolicy.threshold(5), { completed: 2, started: 1 })).toBe('continue')
    expect(await ask(instancePolicy.threshold(5), { completed: 3 })).toBe('complete')
  })

  it('maxFailures: Infinity never fails: failures count like cancellations', async () => {
    const policy = instancePolicy.threshold(2, { maxFailures: Infinity })
    expect(await ask(policy, { failed: 10, started: 1 })).toBe('continue')
    expect(await ask(policy, { failed: 10, completed: 1 })).toBe('complete')
  })
})

describe('instancePolicy.first(): threshold(1)', () => {
  it.each<Case>([
    ['the first completion, others open', { completed: 1, started: 1, initialized: 1 }, 'complete'],
    ['a cancellation, others open', { canceled: 1, started: 1 }, 'continue'],
    ['every one canceled', { canceled: 2 }, 'complete'],
    ['a failure', { failed: 1, started: 1 }, 'fail'],
  ])('%s → %s', async (_, counts, expected) => {
    expect(await ask(instancePolicy.first(), counts)).toBe(expected)
  })

  it('with maxFailures, a tolerated failure waits for a completion', async () => {
    expect(await ask(instancePolicy.first({ maxFailures: 2 }), { failed: 2, started: 1 })).toBe('continue')
    expect(await ask(instancePolicy.first({ maxFailures: 2 }), { failed: 3, started: 1 })).toBe('fail')
  })
})

describe('decideInstances: the rules in order', () => {
  it('failure before threshold before "nothing open"', () => {
    // Counts no engine run produces (the task would have failed earlier), to show the precedence.
    expect(decideInstances(stats({ failed: 2, completed: 5 }), { threshold: 2, maxFailures: 1 })).toBe('fail')
    expect(decideInstances(stats({ completed: 2, started: 1 }), { threshold: 2, maxFailures: 0 })).toBe('complete')
    expect(decideInstances(stats({}), { threshold: 2, maxFailures: 0 })).toBe('complete')
  })
})

describe('the helpers refuse a bad threshold or maxFailures when the workflow is defined', () => {
  it.each([
    ['threshold(0)', () => instancePolicy.threshold(0), "instancePolicy.threshold: n is 0; expected a whole number of at least 1."],
    ['threshold(1.5)', () => instancePolicy.threshold(1.5), "instancePolicy.threshold: n is 1.5; expected a whole number of at least 1."],
    ['threshold(Infinity)', () => instancePolicy.threshold(Infinity), "instancePolicy.threshold: n is Infinity; expected a whole number of at least 1."],
    ['all({ maxFailures: -1 })', () => instancePolicy.all({ maxFailures: -1 }), 'instancePolicy.all: maxFailures is -1; expected a whole number of at least 0 (or Infinity).'],
    ['first({ maxFailures: NaN })', () => instancePolicy.first({ maxFailures: NaN }), 'instancePolicy.first: maxFailures is NaN; expected a whole number of at least 0 (or Infinity).'],
  ])('%s', (_, make, message) => {
    expect(make).toThrow(expect.objectContaining({ data: expect.objectContaining({ code: 'INVALID_DEFINITION', message }) }))
  })
})
