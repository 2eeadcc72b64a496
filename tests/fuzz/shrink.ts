/**
 * Shrinking a failing fuzz run to a small named regression (issue 10: "shrunk counterexamples
 * become named regression tests"). `npm run fuzz -- --seed S --only I --shrink`:
 *
 * 1. the run is replayed on a worker process (runner.ts --shrink), which reports every step so the
 *    watchdog below can kill a step that never returns: a hang is reported, never shrunk (an engine
 *    step is synchronous JavaScript, so nothing in the process can interrupt it);
 * 2. fast-check shrinks the case through its own arbitraries (`fc.check` of "runCase reports no
 *    problem of this kind" with seed S + I, the random seed the run was drawn with): fewer tasks, choices
 *    towards 0 (plain AND-joins and AND-splits, no regions), simpler intents;
 * 3. a greedy pass over the concrete result: delta debugging over the step list, then single edits
 *    of the net (drop a region or one of its members, a flow, a task, a condition; a join or split
 *    to AND; one work item per task), each kept while the same kind of problem remains.
 *
 * The worker prints the minimal case in the form of the fuzz report and as a test to paste into
 * regressions.test.ts. A candidate that hangs during shrinking ends the worker; the smallest case
 * found before it is printed instead.
 */
import fc from 'fast-check'
import { caseArb, type FuzzCase } from './cases'
import { runCase, stepText, type Intent, type Outcome, type Step } from './driver'
import { netFromSeed } from './generate'
import type { NetSpec, Target, TaskSpec } from './model'
import { stepTimeoutMs as defaultStepTimeoutMs, watchWorker } from './isolated'
import { exampleLines } from './pool'

export type ProblemKind = NonNullable<Outcome['kind']>
export type Counterexample = { spec: NetSpec; steps: Step[]; kind: ProblemKind; problem: string }
type Tried = { kind?: ProblemKind; problem?: string; steps: Step[]; threw?: string }

/** One in-process try; a throw (a replayed step that no longer resolves, a net the Builder refuses) is no problem. */
async function attempt(spec: () => NetSpec, intents: Intent[], replay: Step[] | undefined, onStep: (text: string) => void): Promise<Tried> {
  try {
    onStep('initialize')
    const o = await runCase(spec(), intents, { replay, onStep: (_, s) => onStep(stepText(s)) })
    return o.inconclusive ? { steps: o.steps } : { kind: o.kind, problem: o.problem, steps: o.steps }
  } catch (e) {
    return { steps: [], threw: String((e as Error)?.message ?? e) }
  }
}

export type ShrinkEvents = {
  /** Before every call of every try (the watchdog's heartbeat). */
  onStep: (text: string) => void
  /** Every time a smaller failing case is found. */
  onBest: (c: Counterexample) => void
}

export type ShrinkResult =
  | { status: 'passes' | 'threw'; message: string }
  | { status: 'shrunk'; original: Counterexample; minimal: Counterexample; tries: number; ms: number; budgetSpent: string[] }

/** Shrinks run `run` of seed `seed` in this process (see the header: run it on a worker). */
export async function shrinkRun(seed: number, run: number, events: ShrinkEvents, budgetMs = { fastCheck: 60_000, edits: 60_000 }): Promise<ShrinkResult> {
  const started = Date.now()
  const [drawn] = fc.sample(caseArb, { seed: seed + run, numRuns: 1 })
  const first = await attempt(() => netFromSeed(drawn!.net), drawn!.intents, undefined, events.onStep)
  if (first.threw) return { status: 'threw', message: `the driver threw: ${first.threw}` }
  if (!first.kind) return { status: 'passes', message: `run ${run} of seed ${seed} reports no problem: nothing to shrink` }
  const kind = first.kind
  const original: Counterexample = { spec: netFromSeed(drawn!.net), steps: first.steps, kind, problem: first.problem! }
  let best = original
  let tries = 1
  const size = (c: Counterexample) => c.steps.length + specSize(c.spec)
  const accept = (c: Counterexample): boolean => {
    if (size(c) > size(best)) return false
    best = c
    events.onBest(c)
    return true
  }
  const budgetSpent: string[] = []
  const spent = (phase: string, deadline: number) => Date.now() > deadline && (budgetSpent.includes(phase) || budgetSpent.push(phase), true)

  // 2. fast-check's own shrinking, through the arbitraries the run was drawn from.
  const fcDeadline = Date.now() + budgetMs.fastCheck
  await fc.check(
    fc.asyncProperty(caseArb, async (c: FuzzCase) => {
      if (spent('fast-check', fcDeadline)) return true // out of time: no further candidate fails, shrinking stops
      tries++
      const spec = netFromSeed(c.net)
      const o = await attempt(() => spec, c.intents, undefined, events.onStep)
      if (o.kind !== kind) return true
      accept({ spec, steps: o.steps, kind, problem: o.problem! })
      return false
    }),
    { seed: seed + run, numRuns: 1, endOnFailure: false },
  )

  // 3. Greedy edits of the concrete case: steps (delta debugging), then the net, until nothing goes.
  const editDeadline = Date.now() + budgetMs.edits
  const overBudget = () => spent('edits', editDeadline)
  const check = async (spec: NetSpec, steps: Step[]): Promise<boolean> => {
    if (overBudget()) return false
    tries++
    const o = await attempt(() => spec, [], steps, events.onStep)
    return o.kind === kind && accept({ spec, steps: o.steps, kind, problem: o.problem! })
  }
  const editOnce = async () => {
    for (const { spec, drop } of specEdits(best.spec)) {
      if (await check(spec, best.steps)) return true
      // The same edit without the steps it makes pointless (on a task it removed, say).
      const without = drop ? best.steps.filter((s) => s.wf !== 0 || !drop(s)) : best.steps
      if (without.length < best.steps.length && (await check(spec, without))) return true
    }
    return false
  }
  for (let changed = true; changed && !overBudget(); ) {
    const before = best
    await ddmin(best.steps, (s) => check(before.spec, s))
    while (await editOnce());
    changed = best !== before
  }
  return { status: 'shrunk', original, minimal: best, tries, ms: Date.now() - started, budgetSpent }
}

/** Delta debugging (ddmin): drops chunks of steps, halving the chunk size, while `fails` holds. */
async function ddmin(steps: Step[], fails: (steps: Step[]) => Promise<boolean>): Promise<Step[]> {
  let current = steps
  let chunks = 2
  while (current.length > 0) {
    const size = Math.ceil(current.length / chunks)
    let reduced = false
    for (let at = 0; at < current.length; at += size) {
      const candidate = [...current.slice(0, at), ...current.slice(at + size)]
      if (await fails(candidate)) {
        current = candidate
        chunks = Math.max(chunks - 1, 2)
        reduced = true
        break
      }
    }
    if (reduced) continue
    if (size === 1) break
    chunks = Math.min(chunks * 2, current.length)
  }
  return current
}

function specSize(spec: NetSpec): number {
  const tasks = spec.tasks.reduce((n, t) => n + 1 + (t.join === 'and' ? 0 : 1) + (t.split === 'and' ? 0 : 1) + (t.child ? specSize(t.child) : 0), 0)
  const regions = spec.regions.reduce((n, r) => n + 1 + r.tasks.length + r.conditions.length + r.flows.length, 0)
  return tasks + spec.conditions.length + spec.flows.reduce((n, f) => n + f.targets.length, 0) + regions
}

/**
 * Single edits of a net, each a smaller or plainer net (the ones the Builder refuses are simply not
 * kept), and which steps of the root it may make pointless.
 */
function* specEdits(spec: NetSpec): Generator<{ spec: NetSpec; drop?: (s: Step) => boolean }> {
  const copy = (): NetSpec => structuredClone(spec)
  for (let i = 0; i < spec.regions.length; i++) {
    yield { spec: { ...copy(), regions: spec.regions.filter((_, k) => k !== i) } }
    for (const member of ['tasks', 'conditions', 'flows'] as const) {
      for (let k = 0; k < spec.regions[i]![member].length; k++) {
        const s = copy()
        s.regions[i]![member].splice(k, 1)
        yield { spec: s }
      }
    }
  }
  for (const name of [...spec.tasks.map((t) => t.name), ...spec.conditions]) {
    yield { spec: withoutNode(spec, name, true), drop: (s) => s.task === name }
    yield { spec: withoutNode(spec, name, false), drop: (s) => s.task === name }
  }
  for (let i = 0; i < spec.flows.length; i++) {
    for (let k = 0; k < spec.flows[i]!.targets.length; k++) {
      const s = copy()
      const removed = s.flows[i]!.targets.splice(k, 1)[0]!
      s.flows = s.flows.filter((f) => f.targets.length > 0)
      for (const r of s.regions) r.flows = r.flows.filter(([a, b]) => !(a === spec.flows[i]!.from && b === removed.name))
      yield { spec: s }
    }
  }
  const plain: Array<[keyof TaskSpec, unknown]> = [['join', 'and'], ['split', 'and'], ['autoItems', 1]]
  for (let i = 0; i < spec.tasks.length; i++) {
    const t = spec.tasks[i]!
    for (const [key, value] of plain) {
      if (t[key] === value || (key === 'autoItems' && t.kind !== 'atomic')) continue
      const s = copy()
      ;(s.tasks[i] as Record<string, unknown>)[key] = value
      yield { spec: s, drop: key === 'autoItems' ? (s) => s.op === 'initItem' && s.task === t.name : undefined }
    }
    if (t.child) {
      for (const smaller of specEdits(t.child)) {
        const s = copy()
        s.tasks[i]!.child = smaller.spec
        yield { spec: s }
      }
    }
  }
}

/**
 * The net without a task or condition, its flows and its mentions in regions; with `bypass`, the
 * flows into it go to its targets instead (a chain `a → x → b` becomes `a → b`).
 */
function withoutNode(spec: NetSpec, name: string, bypass: boolean): NetSpec {
  const s = structuredClone(spec)
  const onward = bypass ? (s.flows.find((f) => f.from === name)?.targets ?? []) : []
  const redirect = (targets: Target[]) => {
    const out = targets.flatMap((x) => (x.name === name ? onward : [x]))
    return out.filter((x, i) => x.name !== name && out.findIndex((y) => y.name === x.name) === i)
  }
  s.tasks = s.tasks.filter((t) => t.name !== name)
  s.conditions = s.conditions.filter((c) => c !== name)
  s.flows = s.flows.filter((f) => f.from !== name).map((f) => ({ ...f, targets: redirect(f.targets) })).filter((f) => f.targets.length > 0)
  s.regions = s.regions
    .filter((r) => r.task !== name)
    .map((r) => ({ ...r, tasks: r.tasks.filter((t) => t !== name), conditions: r.conditions.filter((c) => c !== name), flows: r.flows.filter(([a, b]) => a !== name && b !== name) }))
  return s
}

// ---- printing ---------------------------------------------------------------------------------

const q = (s: string) => `'${s.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`

/** `task('t1', 'dummy', 'or')`: the regressions' helper, trailing defaults left out. */
function taskCode(t: TaskSpec, indent: string): string {
  const args = [q(t.name), q(t.kind), q(t.join), q(t.split), String(t.autoItems)]
  const defaults = [undefined, "'atomic'", "'and'", "'and'", String(t.kind === 'atomic' ? 1 : 0)]
  while (args.length > 1 && args.at(-1) === defaults[args.length - 1]) args.pop()
  const call = `task(${args.join(', ')})`
  return t.child ? `{ ...${call}, child: ${specCode(t.child, indent)} }` : call
}

function specCode(spec: NetSpec, indent: string): string {
  const inner = `${indent}  `
  const flows = spec.flows.map((f) => `flow(${[f.from, ...f.targets.map((x) => (x.kind === 'task' ? x.name : `(${x.name})`))].map(q).join(', ')})`)
  const regions = spec.regions.map(
    (r) => `{ task: ${q(r.task)}, tasks: [${r.tasks.map(q).join(', ')}], conditions: [${r.conditions.map(q).join(', ')}], flows: [${r.flows.map(([a, b]) => `[${q(a)}, ${q(b)}]`).join(', ')}] }`,
  )
  return [
    '{',
    `${inner}name: ${q(spec.name)},`,
    `${inner}conditions: [${spec.conditions.map(q).join(', ')}],`,
    `${inner}tasks: [${spec.tasks.map((t) => taskCode(t, inner)).join(', ')}],`,
    `${inner}flows: [${flows.join(', ')}],`,
    `${inner}regions: [${regions.join(', ')}],`,
    `${indent}}`,
  ].join('\n')
}

/** `step('start', 't0')` for a work item step of the root workflow, the literal otherwise. */
function stepCode(s: Step): string {
  if (s.wf === 0 && s.task !== undefined && s.gen !== undefined && s.idx !== undefined) {
    const args = [q(s.op), q(s.task), String(s.gen), String(s.idx), ...(s.variant ? [q(s.variant)] : [])]
    if (!s.variant) while (args.length > 2 && args.at(-1) === (args.length === 3 ? '1' : '0')) args.pop()
    return `step(${args.join(', ')})`
  }
  const fields = Object.entries(s).filter(([, v]) => v !== undefined).map(([k, v]) => `${k}: ${typeof v === 'string' ? q(v) : v}`)
  return `{ ${fields.join(', ')} }`
}

/** A named test in the shape of regressions.test.ts, ready to paste into its `describe`. */
export function regressionCode(c: Counterexample, seed: number, run: number): string {
  const name = `fuzz seed ${seed} run ${run} (shrunk): ${c.problem.replace(/\s+/g, ' ').slice(0, 120)}`
  return [
    `  // TODO: name what it shows. Found by npm run fuzz -- --seed ${seed} --only ${run} --shrink (${c.kind}).`,
    `  it(${q(name)}, async () => {`,
    `    const spec: NetSpec = ${specCode(c.spec, '    ')}`,
    `    await expectAgreement(spec, [${c.steps.map(stepCode).join(', ')}])`,
    '  })',
  ].join('\n')
}

function counterexampleText(c: Counterexample): string {
  return exampleLines(c.problem, c.spec, c.steps).join('\n')
}

function tasksOf(spec: NetSpec): number {
  return spec.tasks.reduce((n, t) => n + 1 + (t.child ? tasksOf(t.child) : 0), 0)
}

export function shrunkText(c: Counterexample, seed: number, run: number, heading: string): string {
  return [
    `${heading}: ${tasksOf(c.spec)} tasks, ${c.steps.length} steps`,
    counterexampleText(c),
    '',
    'As a named regression (paste into the describe of tests/fuzz/regressions.test.ts, then give it a name that says what it shows):',
    '',
    regressionCode(c, seed, run),
  ].join('\n')
}

// ---- on a worker, with a watchdog -------------------------------------------------------------

/**
 * Shrinks run `run` on a worker process (runner.ts --shrink) and returns the text to print. A
 * worker silent for `stepTimeoutMs` is killed: the run hangs (not shrunk), or a candidate hung
 * while shrinking (the smallest case found before it is printed).
 */
export async function shrinkIsolated(seed: number, run: number, stepTimeoutMs = defaultStepTimeoutMs): Promise<{ ok: boolean; text: string }> {
  let last = 'initialize'
  let best: Counterexample | undefined
  let result: { ok: boolean; text: string } | undefined
  await watchWorker(
    ['--seed', String(seed), '--shrink', String(run)],
    stepTimeoutMs,
    (event) => {
      if (event.t === 'step') last = event.text
      if (event.t === 'best') best = event.case
      if (event.t === 'shrunk') result = { ok: true, text: event.text }
      if (event.t === 'noShrink') result = { ok: event.ok, text: event.text }
      if (event.t === 'crash') result = { ok: false, text: `the shrinker crashed: ${event.message}` }
    },
    () =>
      (result = best
        ? { ok: true, text: shrunkText(best, seed, run, `a candidate hung while shrinking (${last} did not return within ${stepTimeoutMs} ms); the smallest case before it`) }
        : { ok: false, text: `run ${run} of seed ${seed} hangs: ${last} did not return within ${stepTimeoutMs} ms. Hangs are not shrunk (a synchronous step cannot be interrupted in-process); replay it with --only ${run}.` }),
  )
  return result ?? { ok: false, text: 'the shrink worker ended without a result' }
}

/** The worker's side: shrinks and prints JSON events (runner.ts --shrink). */
export async function shrinkOnWorker(seed: number, run: number, emit: (event: object) => void): Promise<void> {
  const result = await shrinkRun(seed, run, { onStep: (text) => emit({ t: 'step', text }), onBest: (c) => emit({ t: 'best', case: c }) })
  if (result.status !== 'shrunk') return emit({ t: 'noShrink', ok: result.status === 'passes', text: result.message })
  const { original, minimal, tries, ms, budgetSpent } = result
  const text = [
    `run ${run} of seed ${seed}: ${original.kind} with ${tasksOf(original.spec)} tasks and ${original.steps.length} steps; shrunk in ${tries} tries, ${(ms / 1000).toFixed(1)} s${budgetSpent.length ? ` (time budget of ${budgetSpent.join(' and ')} spent: the case may shrink further)` : ''}`,
    '',
    shrunkText(minimal, seed, run, 'minimal counterexample'),
  ].join('\n')
  emit({ t: 'shrunk', text })
}
