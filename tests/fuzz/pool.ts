/**
 * Runs fuzz runs on worker processes (runner.ts), one per core, with a per-step watchdog: a worker
 * that prints nothing for `stepTimeoutMs` is killed, its current step is reported as a hang, and a
 * new worker goes on with the next run. Results are grouped into classes (the problem text with
 * names and numbers blanked), each with its first example.
 */
import { caseOf } from './cases'
import { stepText, type Step } from './driver'
import { stepTimeoutMs, watchWorker } from './isolated'
import { netText, type NetSpec } from './model'
import { addFigures, figuresText, noFigures, type OrJoinFigures } from './orJoinBound'
import type { JournalFigures } from '../support/journalCheck'

export type RunResult = {
  run: number
  compared: number
  inconclusive: boolean
  kind?: 'divergence' | 'invariant' | 'orJoin' | 'journal' | 'hang' | 'crash'
  problem?: string
  steps: Step[]
  orJoins?: OrJoinFigures
  journal?: JournalFigures
}
export type Summary = {
  runs: number
  compared: number
  divergences: number
  invariants: number
  /** Runs failed by an OR-join decision over its bound, refused with LIMIT_EXCEEDED, or whose lazy and full answers disagree. */
  orJoinFailures: number
  hangs: number
  /** Runs whose journal broke a promise (tests/support/journalCheck.ts). */
  journalProblems: number
  /** Over the runs that ended (not hung): nets with a workflow, workflows whose journal was replayed, their events, and the snapshots compared with live reads. */
  journal: { runs: number; workflows: number; events: number; snapshots: number }
  inconclusive: number
  /** The OR-join decisions timed in every run that ended (a hung or crashed run's are lost with its worker). */
  orJoins: OrJoinFigures
  ms: number
  results: RunResult[]
}

/** The class of a problem: its text without names, ids and numbers. */
export function classOf(r: RunResult): string {
  return `${r.kind}: ${(r.problem ?? '')
    .replace(/^step \d+ \((\w+)[^)]*\)\)?/, '$1')
    .replace(/^after initialize/, 'initialize')
    .replace(/; steps: .*$/, '')
    .replace(/:.*?'[^']*'.*$/s, (m) => m.replace(/'[^']*'/g, "'…'"))
    .replace(/\b(t|c)\d+\b/g, '$1N')
    .replace(/\d+/g, 'N')
    .slice(0, 160)}`
}

async function worker(seed: number, from: number, to: number, stepTimeoutMs: number, results: RunResult[]): Promise<void> {
  let current = { run: from, step: -1, text: 'initialize', steps: [] as string[] }
  let next = from
  await watchWorker(
    ['--seed', String(seed), '--from', String(from), '--to', String(to)],
    stepTimeoutMs,
    (event) => {
      if (event.t === 'step') current = { run: event.run, step: event.step, text: event.text, steps: event.run === current.run ? [...current.steps, event.text] : [event.text] }
      if (event.t === 'done') {
        results.push(event)
        next = event.run + 1
      }
      if (event.t === 'crash') {
        results.push({ run: current.run, compared: 0, inconclusive: false, kind: 'crash', problem: event.message, steps: [] })
        next = current.run + 1
      }
    },
    () => {
      results.push({ run: current.run, compared: Math.max(0, current.step), inconclusive: false, kind: 'hang', problem: `step ${current.step + 1} (${current.text}) did not return within ${stepTimeoutMs} ms; steps: ${current.steps.join('; ')}`, steps: [] })
      next = current.run + 1
    },
  )
  if (next < to) await worker(seed, next, to, stepTimeoutMs, results)
}

export async function fuzz(options: { runs: number; seed: number; only?: number; workers?: number; stepTimeoutMs?: number }): Promise<Summary> {
  const started = Date.now()
  const results: RunResult[] = []
  const timeout = options.stepTimeoutMs ?? stepTimeoutMs
  if (options.only !== undefined) {
    await worker(options.seed, options.only, options.only + 1, timeout, results)
  } else {
    const workers = options.workers ?? 2
    const size = Math.ceil(options.runs / workers)
    await Promise.all(Array.from({ length: workers }, (_, k) => worker(options.seed, k * size, Math.min(options.runs, (k + 1) * size), timeout, results)))
  }
  results.sort((a, b) => a.run - b.run)
  const count = (kind: string) => results.filter((r) => r.kind === kind).length
  const orJoins = noFigures()
  for (const r of results) addFigures(orJoins, r.run, r.orJoins)
  return {
    runs: results.length,
    compared: results.reduce((n, r) => n + r.compared, 0),
    divergences: count('divergence') + count('crash'),
    invariants: count('invariant'),
    orJoinFailures: count('orJoin'),
    hangs: count('hang'),
    journalProblems: count('journal'),
    journal: {
      runs: results.filter((r) => (r.journal?.workflows ?? 0) > 0).length,
      workflows: results.reduce((n, r) => n + (r.journal?.workflows ?? 0), 0),
      events: results.reduce((n, r) => n + (r.journal?.events ?? 0), 0),
      snapshots: results.reduce((n, r) => n + (r.journal?.snapshots ?? 0), 0),
    },
    inconclusive: results.filter((r) => r.inconclusive).length,
    orJoins,
    ms: Date.now() - started,
    results,
  }
}

/** A readable report: figures, then each class with its count and first example (net, steps, problem). */
export function report(summary: Summary, seed: number): string {
  const lines = [
    `fuzz: seed ${seed}, ${summary.runs} runs, ${summary.compared} steps compared, ${summary.divergences} divergences, ${summary.invariants} invariant violations, ${summary.orJoinFailures} OR-join bound failures, ${summary.journalProblems} journal problems, ${summary.hangs} hangs, ${summary.inconclusive} runs inconclusive (the reference's OR-join state cap), ${figuresText(summary.orJoins)}, journal: ${summary.journal.runs} nets, ${summary.journal.workflows} workflows, ${summary.journal.events} events, ${summary.journal.snapshots} snapshots replayed equal to the live reads, ${(summary.ms / 1000).toFixed(1)} s`,
  ]
  const classes = new Map<string, RunResult[]>()
  for (const r of summary.results.filter((r) => r.kind)) classes.set(classOf(r), [...(classes.get(classOf(r)) ?? []), r])
  for (const [name, list] of [...classes].sort((a, b) => b[1].length - a[1].length)) {
    const first = list[0]!
    const { spec } = caseOf(seed, first.run)
    const shrink = first.kind === 'hang' ? '' : `, shrink: add --shrink`
    lines.push('', `■ ${list.length}× ${name}`, `  first: run ${first.run} (replay: npm run fuzz -- --seed ${seed} --only ${first.run}${shrink})`, ...exampleLines(first.problem ?? '', spec, first.steps))
  }
  return lines.join('\n')
}

/** A problem, its net and its steps, as the report prints them (and the shrinker, its minimal case). */
export function exampleLines(problem: string, spec: NetSpec, steps: Step[]): string[] {
  return [`  problem: ${problem}`, netText(spec, '  '), ...(steps.length ? [`  steps: initialize; ${steps.map(stepText).join('; ')}`] : [])]
}
