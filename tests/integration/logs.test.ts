import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { Builder, getChildWorkflows, getEvents, isTasknetError, workflowHandlers, type JournalChangeKind, type LogLevel, type LogOptions, type StepLogLine } from '../../src'
import { fulfilmentWorkflow } from '../../src/workflows/composite'
import { offeredTask } from '../../src/workflows/basics'
import { andSplit } from '../../src/workflows/synthetic'
import { backend, driver, errorOf } from '../support/harness'
import { meteredBackend } from '../support/metrics'
import { stepper } from '../support/stepCost'

/** convex/examples/metered.ts: the sequence workflow with `log: true` (and metrics). */
const metered = internal.examples.metered

/** The tasknet lines printed with `console[method]` since the spy was set. */
function linesOf(spy: { mock: { calls: unknown[][] } }): StepLogLine[] {
  return spy.mock.calls
    .map(([text]) => String(text))
    .filter((text) => text.startsWith('{"tasknet":"step"'))
    .map((text) => JSON.parse(text) as StepLogLine)
}

let log: ReturnType<typeof vi.spyOn>
beforeEach(() => {
  log = vi.spyOn(console, 'log').mockImplementation(() => {})
})
afterEach(() => {
  vi.useRealTimers()
  vi.restoreAllMocks()
})

describe('logs: one JSON line per step', () => {
  it('prints each step once through the generated functions: operation, target, caller, time, duration, and per workflow its event and changes', async () => {
    const t = meteredBackend()
    const wf = driver(t, metered)
    const workflowId = await wf.initialize()
    const register = await wf.start('register')
    await wf.complete('register')

    const { events } = await t.query(metered.getEvents, { workflowId })
    expect(events.map((e) => e.sequence)).toEqual([1, 2, 3])
    const lines = linesOf(log)
    expect(lines).toEqual(
      events.map((event) => ({
        tasknet: 'step',
        operation: event.operation,
        target: event.target,
        caller: { kind: 'internal' },
        time: event.time,
        durationMs: expect.any(Number),
        workflows: [
          { workflowId, workflow: 'sequence', sequence: event.sequence, eventId: event._id, changes: event.changes, changeCount: event.changes.length },
        ],
      })),
    )
    expect(lines.map((line) => [line.operation, line.target])).toEqual([
      ['initializeRootWorkflow', { kind: 'workflow', name: 'sequence' }],
      ['startWorkItem', { kind: 'workItem', workItemId: register._id }],
      ['completeWorkItem', { kind: 'workItem', workItemId: register._id }],
    ])
  })

  it('prints nothing for a step that throws', async () => {
    const t = meteredBackend()
    const wf = driver(t, metered)
    await wf.initialize()
    const before = linesOf(log).length
    expect((await errorOf(wf.complete('register'))).code).toBe('INVALID_TRANSITION')
    expect(linesOf(log).length).toBe(before)
  })

  it("prints its line after the other observers, so a step that one of them fails prints nothing", async () => {
    const t = backend()
    const wf = stepper(t, fulfilmentWorkflow.build(), {
      log: true,
      observers: [
        () => {
          throw new Error('subscriber refused the step')
        },
      ],
    })
    await expect(wf.initialize()).rejects.toThrow('subscriber refused the step')
    expect(linesOf(log)).toEqual([])
  })

  it('prints nothing when the option is off (the default)', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.sequence)
    await wf.initialize()
    await wf.run('register')
    expect(log).not.toHaveBeenCalled()
  })

  it('gives a step that changes a parent and its child one line with both workflows, in the order of their events', async () => {
    const t = backend()
    const definition = fulfilmentWorkflow.build()
    const wf = stepper(t, definition, { log: true })
    await wf.initialize()
    const [child] = await t.run((ctx) => getChildWorkflows(ctx.db, definition, wf.workflowId, 'pack'))

    const [line] = linesOf(log)
    expect(linesOf(log)).toHaveLength(1)
    expect(line!.workflows.map(({ workflowId, workflow, sequence }) => ({ workflowId, workflow, sequence }))).toEqual([
      { workflowId: wf.workflowId, workflow: 'fulfilment', sequence: 1 },
      { workflowId: child!._id, workflow: 'packing', sequence: 1 },
    ])
  })

  it('cuts a wide step at maxChanges over the line, and still counts every change by kind', async () => {
    const definition = andSplit(20)
    const t = backend({ workflows: [definition] })
    const wf = stepper(t, definition, { log: { maxChanges: 10 } })
    await wf.initialize()
    await wf.start('split')
    await wf.complete('split')

    const line = linesOf(log).at(-1)!
    const { events } = await t.run((ctx) => getEvents(ctx.db, definition, wf.workflowId, { after: 2 }))
    const changes = events[0]!.changes
    const kinds: Partial<Record<JournalChangeKind, number>> = {}
    for (const change of changes) kinds[change.kind] = (kinds[change.kind] ?? 0) + 1
    expect(changes.length).toBeGreaterThan(60)
    expect(line.workflows).toEqual([
      { workflowId: wf.workflowId, workflow: definition.name, sequence: 3, eventId: events[0]!._id, changes: changes.slice(0, 10), changeCount: changes.length, changeKinds: kinds },
    ])
    expect(kinds).toMatchObject({ task: 21, marking: 20, workItem: 21 })
  })

  it('refuses a level or maxChanges it cannot print with when the functions are made', () => {
    const definition = fulfilmentWorkflow.build()
    const refused = (log: LogOptions) => {
      try {
        workflowHandlers(definition, { log })
      } catch (error) {
        return isTasknetError(error, 'INVALID_DEFINITION') ? error.data.message : error
      }
      return 'accepted'
    }
    expect(refused({ level: 'trace' as LogLevel })).toBe("log.level is 'trace'; it must be one of 'debug', 'info', 'log', 'warn' (default 'log').")
    expect(refused({ maxChanges: -1 })).toBe('log.maxChanges is -1; it must be a whole number, 0 or more (default 50).')
    expect(refused({ maxChanges: 2.5 })).toBe('log.maxChanges is 2.5; it must be a whole number, 0 or more (default 50).')
    expect(refused({ level: 'debug', maxChanges: 0 })).toBe('accepted')
  })

  it('measures the step on its own clock and prints with the console method of the level', async () => {
    vi.useFakeTimers()
    vi.setSystemTime(Date.UTC(2026, 0, 1))
    const info = vi.spyOn(console, 'info').mockImplementation(() => {})
    // A task whose onEnabled takes 250 ms of (fake) time.
    const slow = Builder.workflow('slow')
      .startCondition('start')
      .task(
        'a',
        offeredTask('a').withActivities({
          onEnabled: async ({ workItem }) => {
            vi.advanceTimersByTime(250)
            await workItem.initialize()
          },
        }),
      )
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a'))
      .connectTask('a', (to) => to.condition('end'))
      .build()
    const t = backend({ workflows: [slow] })
    await stepper(t, slow, { log: { level: 'info' } }).initialize()

    expect(log).not.toHaveBeenCalled()
    const lines = linesOf(info)
    expect(lines.map(({ time, durationMs }) => ({ time, durationMs }))).toEqual([{ time: Date.UTC(2026, 0, 1), durationMs: 250 }])
  })
})
