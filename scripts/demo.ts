/**
 * `npm run demo`: runs example workflows on the embedded in-memory Convex
 * backend and prints a readable trace of every step — which tasks were
 * enabled, started, completed, disabled or canceled, and the marking after
 * each step. Exits non-zero if a run ends differently from what it promises.
 */
import type { FunctionReference } from 'convex/server'
import { internal } from '../convex/_generated/api'
import { embeddedBackend } from './embedded'

type Fns = (typeof internal.examples)[keyof typeof internal.examples]
type Snapshot = { workflow: string; tasks: Record<string, string>; marking: Record<string, number>; workItems: Array<{ _id: string; name: string; taskName: string; generation: number; state: string }> }

const t = embeddedBackend()
let failures = 0

async function snapshot(fns: Fns, workflowId: string): Promise<Snapshot> {
  const q = <R>(f: FunctionReference<'query', 'internal'>, args: object) => t.query(f, args as never) as Promise<R>
  return {
    workflow: (await q<{ state: string }>(fns.getWorkflow, { workflowId })).state,
    tasks: await q(fns.getWorkflowTaskStates, { workflowId }),
    marking: await q(fns.getMarking, { workflowId }),
    workItems: await q(fns.getWorkItems, { workflowId }),
  }
}

function describeChanges(before: Snapshot | undefined, after: Snapshot): string[] {
  const lines: string[] = []
  for (const [task, state] of Object.entries(after.tasks)) {
    const was = before?.tasks[task] ?? 'disabled'
    if (state !== was) lines.push(`task ${task}: ${was} → ${state}`)
  }
  for (const item of after.workItems) {
    const was = before?.workItems.find((w) => w._id === item._id)?.state
    if (item.state !== was) lines.push(`work item ${item.name} (generation ${item.generation}): ${was ?? 'new'} → ${item.state}`)
  }
  if (before?.workflow !== after.workflow) lines.push(`workflow: ${before?.workflow ?? 'new'} → ${after.workflow}`)
  const marked = Object.entries(after.marking).filter(([, n]) => n > 0).map(([c, n]) => (n === 1 ? c : `${c}×${n}`))
  lines.push(`marking: ${marked.length ? marked.join(', ') : '(empty)'}`)
  return lines
}

async function run(title: string, fns: Fns, steps: Array<[string, 'start' | 'complete', string, unknown?]>, expect: (s: Snapshot) => string | undefined) {
  console.log(`\n━━ ${title} ━━`)
  const workflowId = (await t.mutation(fns.internalInitializeRootWorkflow, {})) as string
  let previous = await snapshot(fns, workflowId)
  console.log('▸ initializeRootWorkflow')
  for (const line of describeChanges(undefined, previous)) console.log(`    ${line}`)
  for (const [label, action, taskName, payload] of steps) {
    const item = previous.workItems.filter((w) => w.taskName === taskName).at(-1)!
    const fn = action === 'start' ? fns.internalStartWorkItem : fns.internalCompleteWorkItem
    await t.mutation(fn, { workItemId: item._id, args: { name: item.name, ...(payload ? { payload } : {}) } } as never)
    const next = await snapshot(fns, workflowId)
    console.log(`▸ ${label}`)
    for (const line of describeChanges(previous, next)) console.log(`    ${line}`)
    previous = next
  }
  const problem = expect(previous)
  console.log(problem ? `✗ ${problem}` : `✓ outcome: workflow ${previous.workflow}`)
  if (problem) failures++
}

const both = (task: string, payload?: unknown): Array<[string, 'start' | 'complete', string, unknown?]> => [
  [`start ${task}`, 'start', task],
  [`complete ${task}${payload ? ` ${JSON.stringify(payload)}` : ''}`, 'complete', task, payload],
]

await run(
  'A review loop: draft, check, and back to draft twice before it is done (three generations)',
  internal.examples.loop,
  [...both('open'), ...both('draft'), ...both('check', { choice: 'again' }), ...both('draft'), ...both('check', { choice: 'again' }), ...both('draft'), ...both('check', { choice: 'done' })],
  (s) => {
    const drafts = s.workItems.filter((w) => w.taskName === 'draft').map((w) => w.generation)
    if (s.workflow !== 'completed') return `expected the workflow completed, got ${s.workflow}`
    if (drafts.join() !== '1,2,3') return `expected draft generations 1,2,3, got ${drafts.join()}`
    return undefined
  },
)

await run(
  'An exclusive choice: triage decides to replace, the repair branch never runs',
  internal.examples.exclusiveChoice,
  [...both('triage', { choice: 'replace' }), ...both('replace'), ...both('close')],
  (s) => (s.workflow !== 'completed' || s.tasks.repair !== 'disabled' ? `expected completed with repair never enabled, got ${s.workflow}/${s.tasks.repair}` : undefined),
)

await run(
  'A deferred choice: accept and decline are both offered; starting decline withdraws accept',
  internal.examples.deferredChoice,
  [...both('prepare'), ...both('decline')],
  (s) => {
    const accept = s.workItems.find((w) => w.taskName === 'accept')
    return s.workflow !== 'completed' || accept?.state !== 'canceled' ? `expected completed with accept's work item canceled, got ${s.workflow}/${accept?.state}` : undefined
  },
)

console.log(failures === 0 ? '\nAll runs ended as promised.' : `\n${failures} run(s) ended differently from what they promise.`)
process.exit(failures === 0 ? 0 : 1)
