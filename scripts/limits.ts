/**
 * `npm run limits`: the largest net one engine step can handle under Convex's transaction limits,
 * found by measurement. Each probe runs the engine's handlers on convex-test with
 * `transactionLimits: true` (scripts/embedded.ts: 16,000 documents written, 32,000 read, 4,096
 * index ranges per transaction), with tasknet's own checks (src/runtime/limits.ts) switched off, so
 * that what stops a step is Convex's limit itself. A binary search between a size that runs and one
 * that does not, starting around what the cost model of src/runtime/limits.ts predicts, finds:
 *
 * - fan-out: an AND-split's completion into n outputs (`andSplit(n)`): n tokens, n tasks enabled,
 *   n work items offered;
 * - fan-in: an AND-join's firing that consumes n tokens (`wideJoin(n)`: its inputs are marked over
 *   several steps, since one split cannot mark that many);
 * - OR-join net: an OR-split taking all of its n outputs into an OR-join (`orSplitJoin(n)`), then a
 *   first branch's completion, which decides the OR-join with n - 1 branches still running;
 * - children: child workflows one step initializes (`nested(1, n)`: the root's composite task starts
 *   n leaf children when it is enabled, in the root's initialization).
 *
 * For each it prints, as JSON lines on stdout, the measured maximum, the maximum tasknet's check
 * allows (they must agree), and the cost and wall time of the step at the maximum. About a minute.
 */
import type { WorkflowDefinition } from '../src'
import { costs, maximum, useLimits } from '../src/runtime/limits'
import { andSplit, names, nested, orSplitJoin, wideJoin } from '../src/workflows/synthetic'
import { stepper, type StepCost } from '../tests/support/stepCost'
import { embeddedBackend as backend } from './embedded'

type Probe = (n: number) => Promise<StepCost>

const isConvexLimit = (error: unknown) => error instanceof Error && error.message.includes('This is a Convex limit')

/** The step's cost when it fits, undefined when Convex refuses it; any other error is a bug. */
async function attempt(probe: Probe, n: number): Promise<StepCost | undefined> {
  try {
    return await probe(n)
  } catch (error) {
    if (isConvexLimit(error)) return undefined
    throw error
  }
}

/** The largest n for which `probe` fits, searched around `guess`. */
async function largest(label: string, probe: Probe, guess: number): Promise<{ max: number; cost: StepCost; probes: number }> {
  let probes = 0
  const run = async (n: number) => {
    probes++
    const cost = await attempt(probe, n)
    process.stderr.write(`${label} ${n}: ${cost ? 'fits' : 'exceeds'}\n`)
    return cost
  }
  let step = 8
  let lo = Math.max(1, guess - step)
  let loCost = await run(lo)
  while (!loCost) {
    if (lo === 1) throw new Error(`${label}: even 1 exceeds the limits`)
    step *= 2
    lo = Math.max(1, guess - step)
    loCost = await run(lo)
  }
  step = 8
  let hi = guess + step
  while (await run(hi)) {
    lo = hi
    step *= 2
    hi = guess + step
  }
  // lo fits, hi does not.
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2)
    if (await run(mid)) lo = mid
    else hi = mid
  }
  return { max: lo, cost: (await probe(lo))!, probes }
}

const elements = (definition: WorkflowDefinition) => Object.keys(definition.net.tasks).length + Object.keys(definition.net.conditions).length

const fanOut: Probe = async (n) => {
  const wf = stepper(backend(), andSplit(n))
  await wf.initialize()
  await wf.start('split')
  return await wf.complete('split')
}

const fanIn: Probe = async (n) => {
  const wf = stepper(backend(), wideJoin(n))
  await wf.initialize()
  for (const s of names('s', Math.ceil(n / 4000))) await wf.run(s)
  return await wf.start('join')
}

/** The OR-split's completion; the first branch's completion (the OR-join's decision) must fit too. */
const orNet: Probe = async (n) => {
  const wf = stepper(backend(), orSplitJoin(n))
  await wf.initialize()
  await wf.start('choose')
  const split = await wf.complete('choose', { choice: names('b', n).join(',') })
  await wf.start('b1')
  const decision = await wf.complete('b1')
  process.stderr.write(`  first branch into the OR-join at ${n}: ${JSON.stringify(decision)}\n`)
  return split
}

const children: Probe = async (n) => await stepper(backend(), nested(1, n)).initialize()

async function main() {
  const predicted = {
    fanOut: maximum(costs.production, elements(andSplit(5332))),
    fanIn: maximum(costs.consumption),
    children: maximum(costs.children),
  }
  const restore = useLimits({ documentsRead: Infinity, documentsWritten: Infinity, indexRanges: Infinity })
  const started = performance.now()
  try {
    for (const [name, probe, guess, check, step] of [
      ['AND-split fan-out', fanOut, predicted.fanOut, predicted.fanOut, 'completeWorkItem(split)'],
      ['AND-join fan-in', fanIn, predicted.fanIn, predicted.fanIn, 'startWorkItem(join)'],
      ['OR-split into an OR-join', orNet, predicted.fanOut, predicted.fanOut, 'completeWorkItem(choose)'],
      ['children per step', children, predicted.children, predicted.children, 'initializeRootWorkflow'],
    ] as const) {
      const { max, cost, probes } = await largest(name, probe, guess)
      process.stdout.write(`${JSON.stringify({ limit: name, measured: max, checked: check, step, probes, ...cost })}\n`)
    }
  } finally {
    restore()
  }
  process.stderr.write(`done in ${Math.round((performance.now() - started) / 1000)} s\n`)
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
