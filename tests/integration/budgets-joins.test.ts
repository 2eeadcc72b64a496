import { beforeAll, describe, expect, it } from 'vitest'
import { andSplit, names, orSplitJoin } from '../../src/workflows/synthetic'
import { backend } from '../support/harness'
import { documents, stepper, type StepCost } from '../support/stepCost'

/**
 * Joins cost nothing in their fan-in (issue 10 point 6). A task keeps the count of its marked
 * inputs on its own document, so a branch completing next to an AND-join reads the same documents
 * at fan-in 10, 100 and 500; an OR-join's decision reads what it needs to prove the join must
 * wait (the input it waits on and that input's branch), not every input, so a whole run of 500
 * branches reads a small multiple of its steps, not their square.
 */

const fanIns = [10, 100, 500] as const
type AndRun = { first: StepCost; last: StepCost }

/** An AND-split into `n` branches and the AND-join behind them: the first and the last branch completion. */
async function andRun(n: number): Promise<AndRun> {
  const wf = stepper(backend({ journal: false }), andSplit(n))
  await wf.initialize()
  await wf.run('split')
  await wf.start('b1')
  const first = await wf.complete('b1')
  for (let k = 2; k < n; k++) await wf.run(`b${k}`)
  await wf.start(`b${n}`)
  const last = await wf.complete(`b${n}`)
  expect((await wf.workItemOf('join')).state).toBe('initialized')
  return { first, last }
}

/**
 * An OR-split taking all `n` branches into the OR-join: every step of the run, from initializing
 * the workflow to the join's completion, with the documents each read.
 */
async function orRun(n: number): Promise<{ steps: StepCost[]; branchCompletions: StepCost[] }> {
  const wf = stepper(backend({ journal: false }), orSplitJoin(n))
  const steps: StepCost[] = [await wf.initialize(), await wf.start('choose')]
  steps.push(await wf.complete('choose', { choice: names('b', n).join(',') }))
  const branchCompletions: StepCost[] = []
  for (const b of names('b', n)) {
    steps.push(await wf.start(b))
    const completed = await wf.complete(b)
    steps.push(completed)
    branchCompletions.push(completed)
  }
  steps.push(await wf.start('merge'), await wf.complete('merge'))
  return { steps, branchCompletions }
}

describe('a branch completing into an AND-join', () => {
  const runs = new Map<number, AndRun>()
  beforeAll(async () => {
    for (const n of fanIns) runs.set(n, await andRun(n))
  }, 120_000)

  it.each(fanIns)('reads at most 12 documents at fan-in %i, the last branch included', (n) => {
    expect(runs.get(n)!.first.documentsRead).toBeLessThanOrEqual(12)
    expect(runs.get(n)!.last.documentsRead).toBeLessThanOrEqual(12)
  })

  it('costs the same documents at fan-in 10, 100 and 500', () => {
    for (const n of [100, 500]) {
      expect(documents(runs.get(n)!.first)).toEqual(documents(runs.get(10)!.first))
      expect(documents(runs.get(n)!.last)).toEqual(documents(runs.get(10)!.last))
    }
  })
})

describe('branches running into an OR-join', () => {
  const runs = new Map<number, Awaited<ReturnType<typeof orRun>>>()
  beforeAll(async () => {
    for (const n of fanIns) runs.set(n, await orRun(n))
  }, 240_000)

  const read = (steps: StepCost[]) => steps.reduce((sum, s) => sum + s.documentsRead, 0)

  it('a whole run of 500 branches reads under a tenth of 505,000 documents', () => {
    expect(read(runs.get(500)!.steps)).toBeLessThan(50_500)
  })

  it.each(fanIns)('a branch completion that leaves the join waiting reads at most 16 documents at fan-in %i', (n) => {
    const waiting = runs.get(n)!.branchCompletions.slice(0, -1)
    expect(Math.max(...waiting.map((s) => s.documentsRead))).toBeLessThanOrEqual(16)
  })
})
