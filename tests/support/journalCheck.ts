import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import {
  getEvents,
  getMarking,
  getWorkflow,
  getWorkflowAt,
  getWorkflowTaskStates,
  getWorkItems,
  snapshots,
  type Caller,
  type EventTarget,
  type JournalEvent,
  type Operation,
  type WorkflowDefinition,
  type WorkflowId,
} from '../../src'
import { decodeChanges } from '../../src/journal/changes'
import { definitionsOf } from '../../src/runtime/step'
import { dumpDb, type Dump } from './dump'

/**
 * The journal's two promises (issue 12, points 1 and 2), checked around the calls a test makes on a
 * convex-test backend:
 *
 * - **What a step writes.** One `tasknet_events` document per workflow whose state the step changed
 *   (the workflow's state, its tasks' states and generations, its marking, its work items, its
 *   registered jobs: `stateTables`) and none for any other, numbered right after the workflow's last without a
 *   gap; carrying the workflow's name, state and parent as the step left them, `ended` exactly when
 *   the step ended it, and the step's operation, target and caller. Events already written never
 *   change. A call that throws changes no table at all, its journal included.
 * - **What a reader gets back.** Right after each call, for every workflow it journaled,
 *   `getWorkflowAt(last sequence)` equals the live reads (`getWorkflow`'s state,
 *   `getWorkflowTaskStates`, `getMarking`, `getWorkItems`). The live reads are recorded by sequence,
 *   and `finish()` replays every prefix of every workflow's journal (read back through `getEvents`,
 *   page by page) and compares each with what the live reads said right after that step.
 *
 * The after-call reads run in one transaction with the table dump, so a scheduled function cannot
 * slip in between. A problem is thrown as a `JournalProblem` naming the call, the workflow and the
 * sequence, so vitest tests and the fuzz runner (a plain Node process) share this module.
 */

type Ctx = GenericMutationCtx<GenericDataModel>
/** The part of a convex-test instance the checker uses. */
export type Runner = { run: <Output>(func: (ctx: Ctx) => Promise<Output>) => Promise<Output> }
type Doc = Dump[string][number]

export class JournalProblem extends Error {
  override name = 'JournalProblem'
}

/** What a call is expected to journal. */
export type Expectation =
  /** One engine step (a generated engine mutation called directly): one event per workflow it changed, with this operation and caller, and the target `args` names. */
  | { steps: 'one'; label: string; operation: Operation; caller: Caller | 'unknown'; args: any }
  /**
   * Any number of engine steps: an app's own mutation, an action, scheduled functions, `t.run`. Every
   * workflow changed has new events, numbered on without a gap. `atomic`: a throw rolls the whole call
   * back (a mutation, `t.run`), which an action does not.
   */
  | { steps: 'any'; label: string; atomic: boolean }

export type CallOutcome = { ok: true; value: unknown } | { ok: false }

/** A workflow as the live reads show it, in `getWorkflowAt`'s shape. */
type View = Awaited<ReturnType<typeof getWorkflowAt>>

const engineOperations: readonly Operation[] = [
  'initializeRootWorkflow',
  'cancelRootWorkflow',
  'initializeWorkItem',
  'initializeWorkflow',
  'cancelWorkflow',
  'startWorkItem',
  'completeWorkItem',
  'failWorkItem',
  'cancelWorkItem',
  'resetWorkItem',
]

/** The engine operation a generated function runs (`internalCompleteWorkItem` → `completeWorkItem`, internal), if it is one. */
export function operationOf(functionName: string): { operation: Operation; internal: boolean } | undefined {
  const internal = functionName.startsWith('internal')
  const bare = internal ? functionName.slice('internal'.length) : functionName
  const operation = bare.charAt(0).toLowerCase() + bare.slice(1)
  return engineOperations.includes(operation as Operation) ? { operation: operation as Operation, internal } : undefined
}

/**
 * A workflow's state as its journal records it, per table: the field naming the workflow a document
 * belongs to, and the fields that are state; a child workflow is also part of its parent's state
 * (the parent's event records it started). The rest is bookkeeping derived from these (a task's
 * work item and child counts, its marked inputs, an OR-join's pending input): a second child of a
 * composite task starting changes only the task's counts, and the parent's journal does not show it
 * (the child's does). A task never enabled and a condition without tokens are the same as no
 * document, which is how the reads show them.
 */
const stateTables = [
  ['tasknet_workflows', '_id', (d: Doc) => [d.name, d.state, d.parent]],
  ['tasknet_workflows', 'parent', (d: Doc) => (d.parent ? ['child', d._id] : undefined)],
  ['tasknet_tasks', 'workflowId', (d: Doc) => (d.state === 'disabled' && d.generation === 0 ? undefined : [d.name, d.state, d.generation])],
  ['tasknet_conditions', 'workflowId', (d: Doc) => (d.marking === 0 ? undefined : [d.name, d.marking])],
  ['tasknet_workItems', 'workflowId', (d: Doc) => [d._id, d.taskName, d.taskGeneration, d.name, d.state]],
  ['tasknet_scheduledJobs', 'workflowId', (d: Doc) => [d.element, d.scheduledId]],
  // A service work item's call: its attempts, their outcomes and the late results (each journaled as a `service` change).
  ['tasknet_serviceCalls', 'workflowId', (d: Doc) => [d.workItemId, d.state, d.attempt, d.workId, d.nextRetryAt, d.lastError, d.abandoned, d.late]],
] as const

const states = new WeakMap<Dump, Map<string, string>>()

/** Each workflow's state, serialized: two are equal exactly when the step changed none of it. Kept per dump: a call's `after` is the next one's `before`. */
function stateOf(dump: Dump): Map<string, string> {
  let state = states.get(dump)
  if (!state) states.set(dump, (state = serializedStates(dump)))
  return state
}

function serializedStates(dump: Dump): Map<string, string> {
  const parts = new Map<string, string[]>()
  for (const [table, field, state] of stateTables) {
    for (const doc of dump[table] ?? []) {
      const id = (field === 'parent' ? doc.parent?.workflowId : doc[field]) as string
      const fields = state(doc)
      if (fields === undefined) continue
      if (!parts.has(id)) parts.set(id, [])
      parts.get(id)!.push(`${table}:${JSON.stringify(fields)}`)
    }
  }
  return new Map([...parts].map(([id, docs]) => [id, docs.sort().join('\n')]))
}

function eventsOf(dump: Dump): Map<string, Doc[]> {
  const byWorkflow = new Map<string, Doc[]>()
  for (const event of dump.tasknet_events ?? []) {
    if (!byWorkflow.has(event.workflowId)) byWorkflow.set(event.workflowId, [])
    byWorkflow.get(event.workflowId)!.push(event)
  }
  for (const events of byWorkflow.values()) events.sort((a, b) => a.sequence - b.sequence)
  return byWorkflow
}

/** Whether a scheduled function ran (or began to) between two dumps: the call was then not alone. */
function jobsRan(before: Dump, after: Dump): boolean {
  const was = new Map((before._scheduled_functions ?? []).map((job) => [job._id, job.state.kind as string]))
  return (after._scheduled_functions ?? []).some((job) => {
    const kind = job.state.kind as string
    return kind !== 'pending' && kind !== 'canceled' && was.get(job._id) !== kind
  })
}

/** The first difference between two plain values, as `path: got ≠ expected`; undefined when they are equal. */
export function difference(got: unknown, expected: unknown, path = ''): string | undefined {
  if (Object.is(got, expected)) return undefined
  const show = (x: unknown) => JSON.stringify(x) ?? String(x)
  if (typeof got !== 'object' || typeof expected !== 'object' || got === null || expected === null || Array.isArray(got) !== Array.isArray(expected)) {
    return `${path || '(value)'}: ${show(got)} ≠ ${show(expected)}`
  }
  if (Array.isArray(got) && Array.isArray(expected) && got.length !== expected.length) {
    return `${path || '(array)'}: ${got.length} elements ≠ ${expected.length}: ${show(got)} ≠ ${show(expected)}`
  }
  const keys = new Set([...Object.keys(got), ...Object.keys(expected)])
  for (const key of keys) {
    const found = difference((got as Record<string, unknown>)[key], (expected as Record<string, unknown>)[key], path ? `${path}.${key}` : key)
    if (found) return found
  }
  return undefined
}

const finalStates = new Set(['completed', 'failed', 'canceled'])

/** The target an engine operation's event names, from the call's arguments (and, for a new root, its id). */
function targetOf(operation: Operation, args: any, value: unknown, after: Dump): EventTarget {
  const nameOf = (id: string) => after.tasknet_workflows!.find((w) => w._id === id)?.name as string
  switch (operation) {
    case 'initializeRootWorkflow':
      return { kind: 'workflow', name: nameOf(value as string) }
    case 'cancelRootWorkflow':
      return { kind: 'workflow', name: nameOf(args.workflowId), workflowId: args.workflowId }
    case 'cancelWorkflow':
      return { kind: 'workflow', name: args.args.name, workflowId: args.workflowId }
    case 'initializeWorkItem':
    case 'initializeWorkflow':
      return { kind: 'task', workflowId: args.target.workflowId, name: args.target.taskName }
    default:
      return { kind: 'workItem', workItemId: args.workItemId }
  }
}

/**
 * What a successful call wrote to the journal, checked against the tables before and after it.
 * Returns the workflows it journaled with their new last sequence.
 */
function checkWrites(before: Dump, after: Dump, outcome: { ok: true; value: unknown }, expectation: Expectation): Map<string, number> {
  const problem = (text: string) => new JournalProblem(`${expectation.label}: ${text}`)
  const eventsBefore = eventsOf(before)
  const eventsAfter = eventsOf(after)
  const written = new Map((after.tasknet_events ?? []).map((e) => [e._id, e]))
  for (const event of before.tasknet_events ?? []) {
    const now = written.get(event._id)
    const changed = now ? difference(now, event) : 'deleted'
    if (changed) throw problem(`event ${event.sequence} of workflow ${event.workflowId} changed after it was written (${changed})`)
  }
  // With a scheduled function running alongside, the call made an unknown number of steps.
  const alone = expectation.steps === 'one' && !jobsRan(before, after)
  const stateBefore = stateOf(before)
  const stateAfter = stateOf(after)
  const changed = new Set([...stateAfter].filter(([id, docs]) => stateBefore.get(id) !== docs).map(([id]) => id))
  for (const id of stateBefore.keys()) if (!stateAfter.has(id)) changed.add(id)
  const journaled = new Map<string, number>()
  const stepEvents: Doc[] = []
  for (const [id, events] of eventsAfter) {
    const previous = eventsBefore.get(id)?.length ?? 0
    const gap = events.findIndex((e, i) => e.sequence !== i + 1)
    if (gap >= 0) throw problem(`workflow ${id}'s events are numbered ${events.map((e) => e.sequence).join(', ')}: not 1 … ${events.length} without a gap`)
    const fresh = events.slice(previous)
    if (fresh.length === 0) continue
    const changesOf = fresh.map((event) => {
      try {
        return decodeChanges(event.changes)
      } catch (error) {
        throw problem(`event ${event.sequence} of workflow ${id} has changes that do not decode: ${String(error)}`)
      }
    })
    // A policy's answer is journaled where it was asked, even when it changed nothing there (`continue`).
    const decided = changesOf.some((changes) => changes.some((c) => c.kind === 'policy'))
    if (!changed.has(id) && !decided) throw problem(`wrote event ${fresh[0]!.sequence} for workflow ${id}, whose state it did not change`)
    if (alone && fresh.length !== 1) throw problem(`one step wrote ${fresh.length} events for workflow ${id}`)
    const doc = after.tasknet_workflows!.find((w) => w._id === id)
    if (!doc) throw problem(`wrote events for workflow ${id}, which has no document`)
    const last = fresh.at(-1)!
    const says = difference(last.workflow, { name: doc.name, state: doc.state, ...(doc.parent ? { parent: doc.parent } : {}) })
    if (says) throw problem(`event ${last.sequence} of workflow ${id} does not say what the step left (${says})`)
    fresh.forEach((event, i) => {
      const ends = changesOf[i]!.some((c) => c.kind === 'workflow' && finalStates.has(c.to))
      if ((event.ended === true) !== ends) throw problem(`event ${event.sequence} of workflow ${id} has ended=${event.ended} but ${ends ? 'ends' : 'does not end'} the workflow`)
    })
    stepEvents.push(...fresh)
    journaled.set(id, last.sequence)
  }
  for (const id of changed) {
    if (!journaled.has(id)) throw problem(`changed workflow ${id} and wrote no event for it`)
  }
  if (expectation.steps === 'one' && alone) {
    const { operation, caller } = expectation
    const info = { operation, target: targetOf(operation, expectation.args, outcome.value, after) }
    for (const event of stepEvents) {
      const wrong = difference({ operation: event.operation, target: event.target }, info) ?? (caller === 'unknown' ? undefined : difference(event.caller, caller, 'caller'))
      if (wrong) throw problem(`event ${event.sequence} of workflow ${event.workflowId} names the step wrongly (${wrong})`)
      if (event.time !== stepEvents[0]!.time) throw problem(`the events of one step carry different times (${event.time}, ${stepEvents[0]!.time})`)
    }
  }
  return journaled
}

async function liveView(ctx: Ctx, root: WorkflowDefinition, id: WorkflowId): Promise<View> {
  return {
    workflow: { state: (await getWorkflow(ctx.db, root, id)).state },
    tasks: await getWorkflowTaskStates(ctx.db, root, id),
    marking: await getMarking(ctx.db, root, id),
    workItems: await getWorkItems(ctx.db, root, id),
  }
}

/** How much a checker compared: engine calls, events, and snapshots replayed against recorded live reads. */
export type JournalFigures = { calls: number; refused: number; workflows: number; events: number; snapshots: number }

/**
 * A checker for one backend. `roots`: the root definitions whose workflows (and their children's) the
 * backend runs; a workflow of any other name is a problem, not skipped.
 */
export function journalChecker(t: Runner, roots: Iterable<WorkflowDefinition>) {
  const rootOf = new Map<string, WorkflowDefinition>()
  for (const root of roots) for (const name of definitionsOf(root).keys()) if (!rootOf.has(name)) rootOf.set(name, root)
  /** The live reads right after each recorded step, by workflow and sequence. */
  const recorded = new Map<string, Map<number, View>>()
  const figures: JournalFigures = { calls: 0, refused: 0, workflows: 0, events: 0, snapshots: 0 }

  const definitions = (name: string, id: string) => {
    const root = rootOf.get(name)
    if (!root) throw new JournalProblem(`workflow ${id} is a '${name}' workflow, and the checker was given no definition of that name`)
    return { root, net: definitionsOf(root).get(name)!.net }
  }
  const compare = (got: View, live: View, what: string) => {
    const found = difference(got, live)
    if (found) throw new JournalProblem(`${what} differs from the live reads: ${found}`)
  }

  /**
   * The tables as the last checked call left them. Between two calls only a scheduled function can
   * write, and one that ran shows in `_scheduled_functions` (`jobsRan`), which makes the next call's
   * window a window of any number of steps: so the last call's tables serve as the next one's
   * `before`, which saves a dump per call.
   */
  let last: Dump | undefined

  /**
   * `f`'s value, computed in one transaction but handed back outside convex-test's return path:
   * serializing a dump of every table is most of what a check costs. Documents read in a transaction
   * are copies, so the value stays as it was read.
   */
  const inTransaction = async <R>(f: (ctx: Ctx) => Promise<R>): Promise<R> => {
    let value: { result: R } | undefined
    await t.run(async (ctx) => {
      value = { result: await f(ctx) }
      return null
    })
    return value!.result
  }

  const checker = {
    figures,

    /** Every table, to pass to `after` (the call's `before`). */
    before: (): Promise<Dump> => inTransaction(dumpDb),

    /**
     * Checks a call that ran since `before` was dumped and returns the tables as it left them: a
     * throw changed nothing; a success journaled what it changed, and replaying each journal it
     * wrote to gives what the live reads give, which is recorded for `finish`.
     */
    async after(before: Dump, outcome: CallOutcome, expectation: Expectation): Promise<Dump> {
      figures.calls++
      return (last = await inTransaction(async (ctx) => {
        const after = await dumpDb(ctx)
        if (!outcome.ok) {
          figures.refused++
          const rolledBack = expectation.steps === 'one' || expectation.atomic
          if (rolledBack && !jobsRan(before, after)) {
            const changed = Object.keys(after).find((table) => JSON.stringify(after[table]) !== JSON.stringify(before[table]))
            if (changed) throw new JournalProblem(`${expectation.label} threw, and table ${changed} changed`)
          }
          return after
        }
        for (const [id, sequence] of checkWrites(before, after, outcome, expectation)) {
          const name = after.tasknet_workflows!.find((w) => w._id === id)!.name as string
          const { root } = definitions(name, id)
          const live = await liveView(ctx, root, id as WorkflowId)
          compare(await getWorkflowAt(ctx.db, root, id as WorkflowId, sequence), live, `${expectation.label}: getWorkflowAt(${sequence}) of workflow ${id} ('${name}')`)
          if (!recorded.has(id)) recorded.set(id, new Map())
          recorded.get(id)!.set(sequence, live)
        }
        return after
      }))
    },

    /** Runs `call` between `before` and `after`, and returns its value or rethrows its error. */
    async step<T>(call: () => Promise<T>, expectation: Expectation): Promise<T> {
      const before = last ?? (await checker.before())
      let value: T
      try {
        value = await call()
      } catch (error) {
        await checker.after(before, { ok: false }, expectation)
        throw error
      }
      await checker.after(before, { ok: true, value }, expectation)
      return value
    },

    /**
     * Replays every workflow's journal, read back through `getEvents` in pages, and compares every
     * prefix recorded after a step, and the whole journal, with the live reads.
     */
    async finish(pageSize = 7): Promise<JournalFigures> {
      await t.run(async (ctx) => {
        const dump = await dumpDb(ctx)
        const stored = eventsOf(dump)
        for (const doc of dump.tasknet_workflows ?? []) {
          const id = doc._id as WorkflowId
          const { root, net } = definitions(doc.name, id)
          const events: JournalEvent[] = []
          for (let after = 0, done = false; !done; ) {
            const page = await getEvents(ctx.db, root, id, { after, limit: pageSize })
            events.push(...page.events)
            if (page.events.length > 0 && page.continueAfter !== page.events.at(-1)!.sequence) {
              throw new JournalProblem(`getEvents of workflow ${id} after ${after}: continueAfter ${page.continueAfter}, last sequence ${page.events.at(-1)!.sequence}`)
            }
            done = page.isDone
            if (!done && page.events.length < pageSize) throw new JournalProblem(`getEvents of workflow ${id}: a short page (${page.events.length}) that is not the last`)
            after = page.continueAfter
          }
          const raw = stored.get(id) ?? []
          if (events.length === 0) throw new JournalProblem(`workflow ${id} ('${doc.name}') has no events`)
          if (events.length !== raw.length || events.some((e, i) => e.sequence !== i + 1 || e._id !== raw[i]!._id)) {
            throw new JournalProblem(`getEvents of workflow ${id} returned sequences ${events.map((e) => e.sequence).join(', ')}; the table holds ${raw.length} events`)
          }
          // Every prefix, replayed in one pass; `getWorkflowAt` replays the same documents, and each step
          // compared it with the live reads when its sequence was the last (re-reading every prefix
          // here would read the journal n times over).
          const replayed = snapshots(net, events)
          for (const [sequence, view] of recorded.get(id) ?? []) {
            compare(replayed[sequence - 1] as View, view, `replay of events 1 … ${sequence} of workflow ${id} ('${doc.name}')`)
            figures.snapshots++
          }
          // Nothing changes a workflow but a step, and a step journals what it changes: the live reads now are those after its last event.
          const now = await liveView(ctx, root, id)
          compare(replayed.at(-1) as View, now, `replay of all ${events.length} events of workflow ${id} ('${doc.name}')`)
          compare(await getWorkflowAt(ctx.db, root, id, events.length), now, `getWorkflowAt(${events.length}) of workflow ${id} ('${doc.name}')`)
          figures.workflows++
          figures.events += events.length
        }
      })
      return figures
    },
  }
  return checker
}

export type JournalChecker = ReturnType<typeof journalChecker>
