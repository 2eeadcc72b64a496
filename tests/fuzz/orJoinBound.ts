/**
 * The OR-join decision is bounded (issue 10): after every accepted step of a fuzz run, the engine's
 * pure OR-join decisions are timed on the runtime's actual state, read from the dump the checks
 * already take. For every running workflow (initialized or started: the only ones the runtime
 * decides in) whose net has OR-joins, and every OR-join of it that is not started and has a marked
 * input, that is one decision:
 * - the full decision, `isOrJoinEnabled(net, { marking, started }, task)`;
 * - the lazy one, `inputStillReachable(net, task, q, reader)` for every empty input `q`, with a
 *   reader over the same state.
 * Each search is timed on its own. A search slower than `OR_JOIN_DECISION_BOUND_MS`, a full
 * decision refused with LIMIT_EXCEEDED, or lazy and full answers that disagree (enabled ⇔ every
 * empty input answers 'no'; a decision where some input answers 'unknown' is not compared, only
 * counted) fails the run. A refused step leaves every table as it was (checks.ts), so its state was
 * timed after the step before and is not timed again.
 */
import { performance } from 'node:perf_hooks'
import type { WorkflowDefinition } from '../../src'
import { isTasknetError } from '../../src/errors'
import type { NetDefinition } from '../../src/net/definition'
import { inputStillReachable, isOrJoinEnabled, type OrJoinReader } from '../../src/net/orJoin'
import { orJoinsOf } from '../../src/runtime/orJoins'
import type { Dump } from './backend'

/**
 * The time one OR-join search may take on a fuzz state, in ms. Convex kills a mutation after about
 * 1 s, and a step may decide several OR-joins (settling decides them again after every change of
 * the marking; the runtime's lazy reader may also restart a search after each document it loads),
 * in an isolate slower than this machine and with its reads and writes on top, so one search must
 * stay well under that. Measured on a 2-core machine loaded by parallel work: over 1,000 runs of
 * seed 7 (1,168 decisions) the slowest search took 68.9 ms (a full decision, run 284 after step
 * 20; 24.6 ms when that run is replayed alone); over the 300 runs of `npm test` 15 ms (the first
 * lazy search of a worker process: cold JIT, analysis net built); most take well under 1 ms.
 * 250 ms is more than three times the worst figure under load and ten times the worst alone, so
 * only a real change of complexity trips it, and it is still a quarter of Convex's limit.
 */
export const OR_JOIN_DECISION_BOUND_MS = 250

export type SlowestSearch = { ms: number; step: number; workflow: string; task: string; search: string; run?: number }

/** Figures of one run (and, summed by the pool, of a whole fuzz). */
export type OrJoinFigures = {
  /** OR-join decisions timed: one per OR-join and state. */
  decisions: number
  /** `inputStillReachable` searches among them (one per empty input). */
  lazy: number
  /** Decisions where some lazy search answered 'unknown': timed, not compared. */
  unknown: number
  slowest?: SlowestSearch
}

export const noFigures = (): OrJoinFigures => ({ decisions: 0, lazy: 0, unknown: 0 })

/** The net of every workflow name of a definition: the root and, recursively, child workflows. */
export function netsByWorkflowName(definition: WorkflowDefinition, into = new Map<string, NetDefinition>()): Map<string, NetDefinition> {
  into.set(definition.name, definition.net)
  for (const task of Object.values(definition.tasks)) for (const child of Object.values(task.childWorkflows ?? {})) netsByWorkflowName(child, into)
  return into
}

/**
 * Times every OR-join decision on the state of `dump` (after step `step`; -1 for after initialize)
 * and adds to `figures`. Returns the first problem as text, or undefined.
 */
export function timeOrJoinDecisions(nets: ReadonlyMap<string, NetDefinition>, dump: Dump, step: number, figures: OrJoinFigures): string | undefined {
  for (const doc of dump.tasknet_workflows!) {
    if (doc.state !== 'initialized' && doc.state !== 'started') continue
    const net = nets.get(doc.name)
    if (!net) throw new Error(`no net for workflow '${doc.name}'`)
    const orJoins = orJoinsOf(net)
    if (orJoins.length === 0) continue
    const marking: Record<string, number> = {}
    for (const c of dump.tasknet_conditions!) if (c.workflowId === doc._id && c.marking > 0) marking[c.name] = c.marking
    const tasks = dump.tasknet_tasks!.filter((t) => t.workflowId === doc._id)
    const started = tasks.filter((t) => t.state === 'started').map((t) => t.name as string)
    const startedSet = new Set(started)
    const read: OrJoinReader = { tokens: (c) => marking[c] ?? 0, started: (t) => startedSet.has(t) }
    for (const { name: task, inputs: declared } of orJoins) {
      if (startedSet.has(task)) continue
      const inputs = [...new Set(declared)]
      if (!inputs.some((c) => (marking[c] ?? 0) > 0)) continue
      const at = `OR-join ${task} of ${doc.name} after ${step < 0 ? 'initialize' : `step ${step + 1}`}`
      const timed = <T>(search: string, f: () => T): T => {
        const t0 = performance.now()
        const value = f()
        const ms = performance.now() - t0
        if (!figures.slowest || ms > figures.slowest.ms) figures.slowest = { ms, step: step + 1, workflow: doc.name, task, search }
        if (ms > OR_JOIN_DECISION_BOUND_MS) throw new Slow(`${at}: ${search} took ${ms.toFixed(1)} ms, over the bound of ${OR_JOIN_DECISION_BOUND_MS} ms`)
        return value
      }
      figures.decisions++
      try {
        const enabled = timed('full decision', () => isOrJoinEnabled(net, { marking, started }, task))
        const answers = inputs
          .filter((q) => (marking[q] ?? 0) === 0)
          .map((q) => {
            figures.lazy++
            return [q, timed(`lazy search of input ${q}`, () => inputStillReachable(net, task, q, read))] as const
          })
        if (answers.some(([, a]) => a === 'unknown')) {
          figures.unknown++
          continue
        }
        const lazyEnabled = answers.every(([, a]) => a === 'no')
        if (lazyEnabled !== enabled) {
          return `${at}: the full decision says ${enabled ? 'enabled' : 'not enabled'}, the lazy searches say ${answers.map(([q, a]) => `${q}: ${a}`).join(', ')}`
        }
      } catch (e) {
        if (e instanceof Slow) return e.message
        if (isTasknetError(e, 'LIMIT_EXCEEDED')) return `${at}: the full decision refused with LIMIT_EXCEEDED: ${(e.data as { message: string }).message}`
        throw e
      }
    }
  }
  return undefined
}

class Slow extends Error {}

/** Adds run `run`'s figures to `total`. */
export function addFigures(total: OrJoinFigures, run: number, figures: OrJoinFigures | undefined): void {
  if (!figures) return
  total.decisions += figures.decisions
  total.lazy += figures.lazy
  total.unknown += figures.unknown
  if (figures.slowest && (!total.slowest || figures.slowest.ms > total.slowest.ms)) total.slowest = { ...figures.slowest, run }
}

export function figuresText(f: OrJoinFigures): string {
  const slowest = f.slowest
    ? `, slowest ${f.slowest.ms.toFixed(1)} ms (run ${f.slowest.run}, step ${f.slowest.step}, ${f.slowest.search} of OR-join ${f.slowest.task} of ${f.slowest.workflow})`
    : ''
  return `${f.decisions} OR-join decisions (${f.lazy} lazy input searches, ${f.unknown} with an 'unknown' answer, not compared)${slowest}, bound ${OR_JOIN_DECISION_BOUND_MS} ms`
}
