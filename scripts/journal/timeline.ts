import type { JournalChange } from '../../src/journal/changes'
import type { JournalEvent } from '../../src/runtime/events'

/**
 * A workflow's journal as a timeline, one compact line per event (`npm run demo` prints them, and
 * each HTML page shows the line of the step its slider is on):
 *
 *     #4  completeWorkItem        w:reserveInventory  internal  w:reserveInventory started→completed · −1 c:start · +1 c:a→b
 *
 * Tasks are `t:name`, work items `w:name`, conditions `c:name` (an implicit one `c:from→to`), with
 * `#n` after a task or work item of a generation past the first. A work item or child workflow is
 * named from the journal itself (the event that created it), so ids never appear.
 */

type Event = Pick<JournalEvent, 'sequence' | 'operation' | 'target' | 'caller' | 'changes'>

const defaultMaxChanges = 12

const condition = (name: string) => `c:${name.replace(/__to__/g, '→')}`
const generation = (n: number) => (n > 1 ? `#${n}` : '')

/** Names of the work items and child workflows a journal mentions, by id, learned as the lines are written. */
class Names {
  private readonly byId = new Map<string, string>()
  /** `owner`: the workflow the changes belong to, when it is not the one whose timeline this is. */
  learn(changes: readonly JournalChange[], owner?: string) {
    for (const c of changes) {
      if (c.kind === 'workItem') this.byId.set(c.workItemId, `w:${c.name}${generation(c.generation)}${owner ? ` of ${owner}` : ''}`)
      if (c.kind === 'childWorkflow') this.byId.set(c.workflowId, `child ${c.name}`)
    }
  }
  of(id: string, fallback: string): string {
    return this.byId.get(id) ?? fallback
  }
  /** A job's element key (`workItem:<id>`, `task:<workflowId>:<name>:<generation>`, `workflow:<id>`). */
  element(key: string): string {
    const [kind, id, ...rest] = key.split(':')
    if (kind === 'workItem') return this.of(id!, 'a work item')
    if (kind === 'task') return `t:${rest.slice(0, -1).join(':')}${generation(Number(rest.at(-1)))}`
    return 'the workflow'
  }
}

function describeChange(c: JournalChange, names: Names): string {
  switch (c.kind) {
    case 'workflow':
      return `workflow ${c.from ?? 'new'}→${c.to}`
    case 'task':
      return `t:${c.task}${generation(c.generation)} ${c.from}→${c.to}`
    case 'workItem':
      return `w:${c.name}${generation(c.generation)} ${c.from ?? 'new'}→${c.to}`
    case 'marking':
      return `${c.delta > 0 ? '+' : '−'}${Math.abs(c.delta)} ${condition(c.condition)}`
    case 'route':
      return `route t:${c.task}${generation(c.generation)} → ${c.targets.map(condition).join(', ')}`
    case 'policy':
      return `policy of t:${c.task}${generation(c.generation)}: ${c.decision} (${names.of(c.signal.id, 'a child')} ${c.signal.state})`
    case 'jobRegistered':
      return `job registered for ${names.element(c.element)}`
    case 'jobForgotten':
      return `job ${c.canceled ? 'canceled' : 'forgotten'} for ${names.element(c.element)}`
    case 'childWorkflow':
      return `child ${c.name} started by t:${c.task}${generation(c.generation)}`
    case 'service':
      return `service of ${names.of(c.workItemId, 'a work item')}: attempt ${c.attempt} ${c.outcome}${c.error !== undefined ? ` (${c.error})` : ''}`
  }
}

function describeTarget(target: Event['target'], names: Names): string {
  if (target.kind === 'workItem') return names.of(target.workItemId, 'a work item')
  if (target.kind === 'task') return `t:${target.name}`
  return `workflow ${target.name}`
}

function describeCaller(caller: Event['caller']): string {
  return caller.kind === 'scheduled' || caller.subject === undefined ? caller.kind : `${caller.kind}(${caller.subject})`
}

export type TimelineOptions = {
  /** The other workflows of the run (a root's children, a child's root), so their work items are named too. */
  related?: ReadonlyArray<{ name: string; events: readonly Event[] }>
  /** The most changes a line lists before `… and n more` (default 12: a wide split makes three per output). */
  maxChanges?: number
}

/** Each event as `{ sequence, operation, target, caller, changes }` strings, for lines or a table. */
export function timelineEntries(events: readonly Event[], options: TimelineOptions = {}) {
  const names = new Names()
  for (const other of options.related ?? []) for (const event of other.events) names.learn(event.changes, other.name)
  const maxChanges = options.maxChanges ?? defaultMaxChanges
  return events.map((event) => {
    names.learn(event.changes)
    const shown = event.changes.slice(0, maxChanges).map((c) => describeChange(c, names))
    const more = event.changes.length - shown.length
    return {
      sequence: `#${event.sequence}`,
      operation: event.operation,
      target: describeTarget(event.target, names),
      caller: describeCaller(event.caller),
      changes: (more > 0 ? [...shown, `… and ${more} more`] : shown).join(' · '),
    }
  })
}

/** The timeline as aligned lines. */
export function timelineLines(events: readonly Event[], options: TimelineOptions = {}): string[] {
  const entries = timelineEntries(events, options)
  const width = (field: 'sequence' | 'operation' | 'target' | 'caller') => Math.max(0, ...entries.map((e) => e[field].length))
  const w = { sequence: width('sequence'), operation: width('operation'), target: width('target'), caller: width('caller') }
  return entries.map((e) =>
    [e.sequence.padEnd(w.sequence), e.operation.padEnd(w.operation), e.target.padEnd(w.target), e.caller.padEnd(w.caller), e.changes].join('  '),
  )
}
