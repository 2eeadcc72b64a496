import type { JournalChange, JournalChangeKind } from '../../journal/changes'
import type { Caller, EventTarget, Operation } from '../journal'
import type { WorkflowId } from '../store'
import { tasknetError } from '../../errors'
import type { ObservedStep, StepObserver } from '../step'

/**
 * Structured log lines (docs/api.md#logs-and-metrics): one JSON line per step, printed with
 * `console`, which Convex captures as the function's log and ships through its log streams.
 */

/** The `console` method a line is printed with: Convex records it as the line's level. */
export type LogLevel = 'debug' | 'info' | 'log' | 'warn'

export type LogOptions = {
  /** Default `'log'`. */
  level?: LogLevel
  /**
   * The most changes one line carries, over all its workflows (default 50). A wide split makes three
   * changes per branch; past the cap a workflow's entry keeps its first changes, and `changeCount`
   * and `changeKinds` still describe all of them.
   */
  maxChanges?: number
}

export const defaultMaxLoggedChanges = 50
const levels: readonly LogLevel[] = ['debug', 'info', 'log', 'warn']

/** What one step's line holds (`JSON.parse` of the line). */
export type StepLogLine = {
  tasknet: 'step'
  operation: Operation
  target: EventTarget
  caller: Caller
  /** When the step ran (ms since the epoch), as its events record it. */
  time: number
  /** The step's own clock, from its start to its observers; see docs/api.md for what a deployment measures. */
  durationMs: number
  /** One entry per workflow the step changed, in the order of its events. */
  workflows: StepLogWorkflow[]
}

export type StepLogWorkflow = {
  workflowId: WorkflowId
  workflow: string
  /** The journal event of this step in this workflow: `getEvents` returns it whole. */
  sequence: number
  eventId: string
  /** The first changes, in the order the step made them (all of them unless the line's cap was reached). */
  changes: JournalChange[]
  changeCount: number
  /** Counts by kind of every change of the event; only when `changes` was cut short. */
  changeKinds?: Partial<Record<JournalChangeKind, number>>
}

function countKinds(changes: readonly JournalChange[]): Partial<Record<JournalChangeKind, number>> {
  const counts: Partial<Record<JournalChangeKind, number>> = {}
  for (const change of changes) counts[change.kind] = (counts[change.kind] ?? 0) + 1
  return counts
}

/** The line of one step, its changes cut at `maxChanges` over the whole line. */
export function stepLogLine(step: ObservedStep, maxChanges: number = defaultMaxLoggedChanges): StepLogLine {
  const { info, events, durationMs } = step
  let room = maxChanges
  const workflows = events.map((event): StepLogWorkflow => {
    const changes = event.changes.slice(0, room)
    room -= changes.length
    const entry: StepLogWorkflow = {
      workflowId: event.workflowId,
      workflow: event.workflowName,
      sequence: event.sequence,
      eventId: event._id,
      changes,
      changeCount: event.changes.length,
    }
    return changes.length < event.changes.length ? { ...entry, changeKinds: countKinds(event.changes) } : entry
  })
  return { tasknet: 'step', operation: info.operation, target: info.target, caller: info.caller, time: info.time, durationMs, workflows }
}

/**
 * Prints each step's line. It runs after the other observers (see `engineObservers`), so a step one
 * of them fails prints nothing; the line is plain data, so printing it cannot throw.
 */
export function logObserver(options: true | LogOptions): StepObserver {
  const { level = 'log', maxChanges = defaultMaxLoggedChanges } = options === true ? {} : options
  // Checked when the functions are made: a bad option would otherwise fail every step.
  if (!levels.includes(level)) {
    throw tasknetError('INVALID_DEFINITION', `log.level is '${level}'; it must be one of ${levels.map((l) => `'${l}'`).join(', ')} (default 'log').`, { level })
  }
  if (!Number.isInteger(maxChanges) || maxChanges < 0) {
    throw tasknetError('INVALID_DEFINITION', `log.maxChanges is ${maxChanges}; it must be a whole number, 0 or more (default ${defaultMaxLoggedChanges}).`, { maxChanges })
  }
  return (_ctx, step) => {
    console[level](JSON.stringify(stepLogLine(step, maxChanges)))
  }
}
