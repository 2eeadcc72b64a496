import { afterEach, describe, expect, it } from 'vitest'
import { isTasknetError } from '../../src/errors'
import { costs, maximum, useLimits } from '../../src/runtime/limits'
import { andSplit, names, nested, orSplitJoin, wideJoin } from '../../src/workflows/synthetic'
import { dumpTables } from '../support/dump'
import { backend } from '../support/harness'
import { stepper } from '../support/stepCost'

/**
 * docs/api.md#limits: a step that would exceed Convex's transaction limits fails with
 * LIMIT_EXCEEDED before it writes anything, and the tables stay as they were. The checks are
 * exercised at a small scale (smaller limits through `useLimits`, with convex-test still enforcing
 * Convex's own), and at the real scale where that stays fast. `npm run limits` finds the real
 * maxima by measurement: 5,332 outputs, 15,989 inputs, 3,199 children.
 */

let restore: (() => void) | undefined
afterEach(() => {
  restore?.()
  restore = undefined
})

/** Runs `step`, which must fail with LIMIT_EXCEEDED and leave every table unchanged; returns the error's message. */
async function refused(t: ReturnType<typeof backend>, step: () => Promise<unknown>): Promise<string> {
  const before = await dumpTables(t)
  const error = await step().then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(isTasknetError(error, 'LIMIT_EXCEEDED'), String(error)).toBe(true)
  expect(await dumpTables(t)).toEqual(before)
  return (error as { data: { message: string } }).data.message
}

it('the checks allow the measured maxima', () => {
  expect(maximum(costs.production, Object.keys(andSplit(5333).net.tasks).length + Object.keys(andSplit(5333).net.conditions).length)).toBe(5332)
  expect(maximum(costs.consumption)).toBe(15_989)
  expect(maximum(costs.children)).toBe(3_199)
})

async function splitReady(n: number) {
  const t = backend({ journal: false })
  const wf = stepper(t, andSplit(n))
  await wf.initialize()
  await wf.start('split')
  return { t, wf }
}

describe('AND-split fan-out', () => {
  it('at a small scale: the largest split completes, one more output is refused', async () => {
    restore = useLimits({ documentsWritten: 100 })
    const fits = await splitReady(32)
    expect((await fits.wf.complete('split')).documentsWritten).toBeLessThanOrEqual(100)
    const over = await splitReady(33)
    const message = await refused(over.t, () => over.wf.complete('split'))
    expect(message).toBe(
      `Task 'split' of workflow ${over.wf.workflowId} cannot complete: its AND-split into 33 outputs would write about 102 documents, and Convex allows 100 documents written per transaction; in this net a split produces at most 32 tokens in one step.`,
    )
  })

  it('at the real scale: a split into 5,333 outputs is refused before it writes', async () => {
    const { t, wf } = await splitReady(5333)
    const message = await refused(t, () => wf.complete('split'))
    expect(message).toContain('its AND-split into 5,333 outputs would write about 16,002 documents, and Convex allows 16,000 documents written per transaction')
    expect(message).toContain('a split produces at most 5,332 tokens in one step')
  }, 20_000)
})

describe('AND-join fan-in', () => {
  /** `wideJoin(n, 15)` with every input marked: the join is offered, and starting it fires it. */
  async function joinReady(n: number) {
    const t = backend({ journal: false })
    const wf = stepper(t, wideJoin(n, 15))
    await wf.initialize()
    for (const s of names('s', Math.ceil(n / 15))) await wf.run(s)
    return { t, wf }
  }

  it('at a small scale: the widest join fires, one more input is refused', async () => {
    restore = useLimits({ documentsWritten: 61 })
    const fits = await joinReady(58)
    expect((await fits.wf.start('join')).documentsWritten).toBeLessThanOrEqual(61)
    const over = await joinReady(59)
    const message = await refused(over.t, () => over.wf.start('join'))
    expect(message).toBe(
      `Task 'join' of workflow ${over.wf.workflowId} cannot start: its AND-join consuming 59 tokens would write about 62 documents, and Convex allows 61 documents written per transaction; a join consumes at most 58 tokens in one step.`,
    )
  })
})

describe('OR-split into an OR-join', () => {
  async function chooseReady(n: number) {
    const t = backend({ journal: false })
    const wf = stepper(t, orSplitJoin(n))
    await wf.initialize()
    await wf.start('choose')
    return { t, wf, all: { choice: names('b', n).join(',') } }
  }

  it('at a small scale: the widest OR-split completes and its OR-join decides; one more output is refused', async () => {
    restore = useLimits({ documentsWritten: 100 })
    const fits = await chooseReady(32)
    await fits.wf.complete('choose', fits.all)
    await fits.wf.run('b1')
    const over = await chooseReady(33)
    const message = await refused(over.t, () => over.wf.complete('choose', over.all))
    expect(message).toContain(`Task 'choose' of workflow ${over.wf.workflowId} cannot complete: its OR-split into 33 outputs would write about 102 documents`)
  })
})

describe('children per step', () => {
  it('at a small scale: the most children start, one more is refused', async () => {
    restore = useLimits({ documentsWritten: 54 })
    const t = backend({ journal: false })
    expect((await stepper(t, nested(1, 10)).initialize()).documentsWritten).toBeLessThanOrEqual(54)
    const message = await refused(t, () => stepper(t, nested(1, 11)).initialize())
    expect(message).toMatch(
      /^Task 'work' of workflow \S+ cannot start another child workflow: 11 child workflows in one step would write about 59 documents, and Convex allows 54 documents written per transaction; one step initializes at most 10 child workflows\.$/,
    )
  })

  it('at the real scale: 3,199 children start in one step, 3,200 are refused', async () => {
    const t = backend({ journal: false })
    expect((await stepper(t, nested(1, 3199)).initialize()).documentsWritten).toBe(15_999)
    const message = await refused(t, () => stepper(t, nested(1, 3200)).initialize())
    expect(message).toContain('3,200 child workflows in one step would write about 16,004 documents, and Convex allows 16,000 documents written per transaction')
  }, 20_000)
})
