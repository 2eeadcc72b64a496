/**
 * Drives one random net: a sequence of step intents is resolved against the reference's state into
 * concrete calls of the generated internal mutations (legal ones mostly, illegal ones on purpose),
 * and after every step the runtime is compared with the reference and checked (checks.ts), and its
 * journal is checked (tests/support/journalCheck.ts: one event per workflow changed, nothing from a
 * refused call, `getWorkflowAt` equal to the live reads); at the end every prefix is replayed.
 */
import fc from 'fast-check'
import { buildDefinition } from './generate'
import { fuzzBackend, unknownWorkItemId, type CallResult, type Dump } from './backend'
import { compare, invariants, groupItems } from './checks'
import type { NetSpec } from './model'
import * as ref from './reference'
import { JournalProblem, journalChecker, operationOf, type JournalFigures } from '../support/journalCheck'
import { netsByWorkflowName, noFigures, timeOrJoinDecisions, type OrJoinFigures } from './orJoinBound'

export type Intent = { op: number; pick: number; bad: number }
export const intentArb: fc.Arbitrary<Intent> = fc.record({ op: fc.nat({ max: 19 }), pick: fc.nat({ max: 99 }), bad: fc.nat({ max: 11 }) })

/** A concrete step, readable, replayable: `start fz/t3#2.0` = work item 0 of generation 2 of t3 in workflow fz. */
export type Step = {
  op: 'start' | 'complete' | 'fail' | 'cancel' | 'reset' | 'initItem' | 'initChild' | 'cancelChild' | 'cancelRoot'
  wf: number
  task?: string
  gen?: number
  idx?: number
  variant?: 'wrongName' | 'unknownId' | 'protoName' | 'staleGen'
}

export type Outcome = {
  steps: Step[]
  compared: number
  inconclusive: boolean
  /** The first problem: `divergence: …`, `invariant: …`, an OR-join decision over its bound (orJoinBound.ts) or the journal's (journalCheck.ts). */
  problem?: string
  kind?: 'divergence' | 'invariant' | 'orJoin' | 'journal'
  /** The OR-join decisions timed on the run's states (orJoinBound.ts). */
  orJoins: OrJoinFigures
  /** What the journal checker compared in a run that reached its end. */
  journal?: JournalFigures
  /** Called before each call, so a watchdog can name the step that hangs. */
}

const protoNames = ['constructor', 'toString', '__proto__']

export function stepText(s: Step): string {
  const at = s.task === undefined ? '' : ` ${s.task}${s.gen === undefined ? '' : `#${s.gen}`}${s.idx === undefined ? '' : `.${s.idx}`}`
  return `${s.op} w${s.wf}${at}${s.variant ? ` (${s.variant})` : ''}`
}

/** Resolves an intent into a concrete step on the reference's current state. */
export function resolve(root: ref.RefWorkflow, intent: Intent): Step {
  const wfs = ref.allWorkflows(root)
  const items = wfs.flatMap((w, wf) => {
    const seen = new Map<string, number>()
    return w.items.map((item) => {
      const key = `${item.task}#${item.gen}`
      const idx = seen.get(key) ?? 0
      seen.set(key, idx + 1)
      return { wf, w, item, idx }
    })
  })
  const variant: Step['variant'] = intent.bad === 10 ? 'wrongName' : intent.bad === 11 ? (intent.pick % 10 === 1 ? 'protoName' : 'unknownId') : undefined
  const itemOps = ['start', 'start', 'start', 'start', 'start', 'start', 'complete', 'complete', 'complete', 'complete', 'complete', 'complete', 'fail', 'cancel', 'cancel', 'reset'] as const
  if (intent.op < itemOps.length) {
    const op = itemOps[intent.op]!
    const legal = items.filter(({ w, item }) => ref.legalFrom[op].includes(item.state) && w.tasks.get(item.task)!.gen === item.gen)
    const pool = intent.bad <= 8 && legal.length > 0 ? legal : items
    if (pool.length === 0) return { op: 'initItem', wf: 0, task: 't0', variant }
    const c = pool[intent.pick % pool.length]!
    return { op, wf: c.wf, task: c.item.task, gen: c.item.gen, idx: c.idx, variant: variant === 'protoName' ? 'wrongName' : variant }
  }
  const composite = wfs.flatMap((w, wf) => [...w.net.children.keys()].map((task) => ({ wf, w, task })))
  if (intent.op === 18 && composite.length > 0) {
    const active = composite.filter(({ w, task }) => ['enabled', 'started'].includes(w.tasks.get(task)!.state))
    const c = (intent.bad <= 8 && active.length > 0 ? active : composite)[intent.pick % (active.length || composite.length)] ?? composite[0]!
    return { op: 'initChild', wf: c.wf, task: c.task, gen: intent.bad === 9 ? c.w.tasks.get(c.task)!.gen - 1 : undefined, variant: variant === 'unknownId' ? 'wrongName' : variant }
  }
  if (intent.op === 19) {
    const children = wfs.map((w, wf) => ({ w, wf })).filter(({ w }) => w.parent)
    if (children.length > 0 && intent.pick % 5 !== 0) {
      const c = children[intent.pick % children.length]!
      return { op: 'cancelChild', wf: c.wf, variant: variant === 'wrongName' ? variant : undefined }
    }
    if (intent.pick % 5 === 0) return { op: 'cancelRoot', wf: intent.bad === 9 && wfs.length > 1 ? 1 : 0 }
  }
  const tasks = wfs.flatMap((w, wf) => [...w.net.tasks.values()].map((node) => ({ wf, w, node })))
  const active = tasks.filter(({ w, node }) => node.kind === 'atomic' && ['enabled', 'started'].includes(w.tasks.get(node.name)!.state))
  const pool = intent.bad <= 8 && active.length > 0 ? active : tasks
  const c = pool[intent.pick % pool.length]!
  const stale = intent.bad === 9 && intent.pick % 2 === 0
  return { op: 'initItem', wf: c.wf, task: c.node.name, gen: stale ? c.w.tasks.get(c.node.name)!.gen - 1 : undefined, variant: variant === 'unknownId' ? 'wrongName' : variant }
}

/** The code the reference refuses `f` with, 'inconclusive' when it cannot decide, or undefined when it accepts. */
function referenceRefusal(f: () => unknown): string | undefined {
  try {
    f()
  } catch (e) {
    if (e instanceof ref.Refusal) return e.code
    if (e instanceof ref.Inconclusive) return 'inconclusive'
    throw e
  }
  return undefined
}

export type RunOptions = { onStep?: (index: number, step: Step) => void; replay?: Step[] }

/** Runs one net with the given intents (or replays concrete steps). */
export async function runCase(spec: NetSpec, intents: Intent[], options: RunOptions = {}): Promise<Outcome> {
  const definition = buildDefinition(spec)
  const backend = fuzzBackend(definition)
  const nets = netsByWorkflowName(definition)
  const outcome: Outcome = { steps: [], compared: 0, inconclusive: false, orJoins: noFigures() }
  const fail = (kind: Outcome['kind'] & string, problem: string) => Object.assign(outcome, { kind, problem })
  const journal = journalChecker(backend.t, [definition])
  /** The last call `perform` made, for the journal's expectation of what it writes. */
  let call: { name: string; args: any } = { name: 'internalInitializeRootWorkflow', args: {} }
  const calling = { ...backend, mutation: (name: string, args: any) => ((call = { name, args }), backend.mutation(name, args)) }
  /** The tables after the call, read with its journal checked (tests/support/journalCheck.ts); a problem there is a string. */
  const journaled = async (before: Dump, result: CallResult, label: string): Promise<Dump | string> => {
    const expectation = { steps: 'one' as const, label, operation: operationOf(call.name)!.operation, caller: { kind: 'internal' as const }, args: call.args }
    try {
      return (await journal.after(before, result.ok ? { ok: true, value: result.value } : { ok: false }, expectation)) as Dump
    } catch (error) {
      if (error instanceof JournalProblem) return error.message
      throw error
    }
  }
  /** Ends a run the reference followed to its end or lost (inconclusive): every journal is replayed. */
  const replayed = async (o: Outcome): Promise<Outcome> => {
    try {
      o.journal = await journal.finish()
    } catch (error) {
      if (error instanceof JournalProblem) return fail('journal', `at the end: ${error.message}`)
      throw error
    }
    return o
  }
  const empty = (await journal.before()) as Dump
  const init = await calling.mutation('internalInitializeRootWorkflow', {})
  const initialized = await journaled(empty, init, 'initialize')
  if (typeof initialized === 'string') return fail('journal', initialized)
  if (!init.ok) {
    // The reference must refuse it too, with the same code (a dummy loop that never ends, say).
    const refused = referenceRefusal(() => ref.rootWorkflow(spec, 'refused'))
    if (refused === init.code) return outcome
    if (refused === 'inconclusive') return Object.assign(outcome, { inconclusive: true })
    return fail('divergence', `initialize refused: ${init.code} ${init.message}; reference ${refused ? `refuses with ${refused}` : 'accepts'}`)
  }
  let root: ref.RefWorkflow
  try {
    root = ref.rootWorkflow(spec, init.value as string)
  } catch (e) {
    if (e instanceof ref.Inconclusive) return replayed(Object.assign(outcome, { inconclusive: true }))
    throw e
  }
  let dump = initialized
  const first = compare(root, dump) ?? invariants(root, dump)
  if (first) return fail(first.startsWith('invariant') ? 'invariant' : 'divergence', `after initialize: ${first}`)
  const slowFirst = timeOrJoinDecisions(nets, dump, -1, outcome.orJoins)
  if (slowFirst) return fail('orJoin', slowFirst)
  const count = options.replay?.length ?? intents.length
  for (let i = 0; i < count; i++) {
    const step = options.replay?.[i] ?? resolve(root, intents[i]!)
    outcome.steps.push(step)
    options.onStep?.(i, step)
    const trial = ref.cloneTree(root)
    const result = await perform(calling, trial, step, dump)
    if (result === 'inconclusive') return replayed(Object.assign(outcome, { inconclusive: true }))
    const { runtime, expected } = result
    const before = dump
    const where = `step ${i + 1} (${stepText(step)})`
    const after = await journaled(before, runtime, where)
    if (typeof after === 'string') return fail('journal', after)
    dump = after
    outcome.compared++
    if (runtime.ok !== (expected === undefined)) {
      const got = runtime.ok ? 'accepted' : `refused ${runtime.code}: ${runtime.message}`
      return fail('divergence', `${where}: runtime ${got}; reference ${expected ? `refuses ${expected}` : 'accepts'}`)
    }
    if (!runtime.ok) {
      if (expected !== '*' && runtime.code !== expected) return fail('divergence', `${where}: runtime refused ${runtime.code}, reference ${expected}: ${runtime.message}`)
      if (JSON.stringify(before) !== JSON.stringify(dump)) return fail('invariant', `invariant: ${where}: refused with ${runtime.code}, and the tables changed`)
      continue
    }
    root = trial
    const problem = compare(root, dump) ?? invariants(root, dump)
    if (problem) return fail(problem.startsWith('invariant') ? 'invariant' : 'divergence', `${where}: ${problem}`)
    const slow = timeOrJoinDecisions(nets, dump, i, outcome.orJoins)
    if (slow) return fail('orJoin', `${where}: ${slow}`)
  }
  return replayed(outcome)
}

type Performed = { runtime: CallResult; expected: string | undefined } | 'inconclusive'

/** Makes the call on the runtime and the same step on `trial` (the reference's copy). */
async function perform(backend: ReturnType<typeof fuzzBackend>, trial: ref.RefWorkflow, step: Step, dump: Dump): Promise<Performed> {
  const wfs = ref.allWorkflows(trial)
  const w = wfs[step.wf]!
  let expected: string | undefined
  const predict = (f: () => void) => {
    try {
      f()
    } catch (e) {
      if (e instanceof ref.Refusal) expected = e.code
      else throw e
    }
  }
  let runtime: CallResult
  try {
    if (step.op === 'initItem' || step.op === 'initChild') {
      const task = step.variant === 'protoName' ? protoNames[step.task!.length % 3]! : step.task!
      const childName = w.net.children.get(task)?.name ?? `${w.net.name}_x`
      const name = step.variant === 'wrongName' ? 'nobody' : step.op === 'initItem' ? `${w.net.name}_${task}` : childName
      const target = { workflowId: w.id, taskName: task, ...(step.gen === undefined ? {} : { generation: step.gen }) }
      if (step.op === 'initItem') {
        predict(() => ref.initializeItem(w, task, name, step.gen))
        runtime = await backend.mutation('internalInitializeWorkItem', { target, args: { name } })
      } else {
        runtime = await backend.mutation('internalInitializeWorkflow', { target, args: { name } })
        predict(() => void ref.initializeChild(w, task, name, step.gen, runtime.ok ? (runtime.value as string) : 'refused'))
      }
    } else if (step.op === 'cancelChild') {
      const name = step.variant === 'wrongName' ? 'nobody' : w.net.name
      predict(() => ref.cancelChild(w, name))
      runtime = await backend.mutation('internalCancelWorkflow', { workflowId: w.id, args: { name } })
    } else if (step.op === 'cancelRoot') {
      predict(() => ref.cancelRoot(w))
      runtime = await backend.mutation('internalCancelRootWorkflow', { workflowId: w.id })
    } else {
      const group = groupItems(w, dump)
      const refItems = w.items.filter((i) => i.task === step.task && i.gen === step.gen)
      const item = refItems[step.idx!]
      const runtimeId = group.get(`${step.task}#${step.gen}`)?.[step.idx!]?._id
      if (!item || !runtimeId) throw new Error(`replay: no work item ${stepText(step)}`)
      let id = runtimeId
      let name = `${w.net.name}_${step.task}`
      if (step.variant === 'unknownId') (id = unknownWorkItemId), (expected = 'NOT_FOUND')
      else if (step.variant === 'wrongName') (name = 'nobody'), (expected = 'NAME_MISMATCH')
      else predict(() => ref.itemAction(w, item, step.op as ref.ItemAction))
      const fnName = { start: 'Start', complete: 'Complete', fail: 'Fail', cancel: 'Cancel', reset: 'Reset' }[step.op as ref.ItemAction]
      runtime = await backend.mutation(`internal${fnName}WorkItem`, { workItemId: id, args: { name } })
    }
  } catch (e) {
    if (e instanceof ref.Inconclusive) return 'inconclusive'
    throw e
  }
  return { runtime, expected }
}
