import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { deferredChoiceWorkflow } from '../../src/workflows/basics'
import { recordWorkflow } from '../../scripts/journal/record'
import { backend, driver } from '../support/harness'
import type { WorkflowDefinition } from '../../src/builder/definition'
import type { NetDefinition } from '../../src/net/definition'
import { definitionsOf } from '../../src/runtime/step'
import { layoutNet, nodeKey } from '../../scripts/journal/layout'
import { netSvg } from '../../scripts/journal/svg'
import { timelineLines } from '../../scripts/journal/timeline'
import type { JournalEvent } from '../../src'
import { andSplit } from '../../src/workflows/synthetic'

/**
 * The demo pages' picture of a net (scripts/journal/layout.ts, svg.ts) on every workflow of
 * src/workflows/ and their children, and the timeline's lines. The browser test checks the picture
 * changes with the slider; these check it draws every net whole and readable.
 */

const modules = import.meta.glob<Record<string, unknown>>('../../src/workflows/*.ts', { eager: true })
const isWorkflow = (value: unknown): value is { build(): WorkflowDefinition } =>
  typeof value === 'object' && value !== null && 'build' in value && 'spec' in value
const nets: Array<[string, NetDefinition]> = Object.entries(modules).flatMap(([file, exports]) =>
  Object.entries(exports)
    .filter((entry): entry is [string, { build(): WorkflowDefinition }] => isWorkflow(entry[1]))
    .flatMap(([name, workflow]) => [...definitionsOf(workflow.build()).values()].map((d): [string, NetDefinition] => [`${file.replace(/^.*\//, '')}: ${name} ${d.name}`, d.net])),
)
nets.push(['synthetic.ts: andSplit(40)', andSplit(40).net])

describe('the picture of a net', () => {
  it('covers every example workflow and child', () => {
    expect(nets.length).toBeGreaterThan(50)
  })

  it.each(nets)('%s: every task and condition once, no overlap, forward flows left to right', (_, net) => {
    const layout = layoutNet(net)
    const keys = layout.nodes.map((n) => nodeKey(n.kind, n.name)).sort()
    expect(keys).toEqual([...Object.keys(net.tasks).map((t) => nodeKey('task', t)), ...Object.keys(net.conditions).map((c) => nodeKey('condition', c))].sort())
    for (const n of layout.nodes) {
      expect([n.x, n.y, n.width, n.height].every(Number.isFinite)).toBe(true)
      expect(n.x).toBeGreaterThanOrEqual(0)
      expect(n.y).toBeGreaterThanOrEqual(0)
      expect(n.x + n.width).toBeLessThanOrEqual(layout.width)
      expect(n.y + n.height).toBeLessThanOrEqual(layout.height)
    }
    const overlap = (a: (typeof layout.nodes)[number], b: (typeof layout.nodes)[number]) =>
      a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height
    for (const [i, a] of layout.nodes.entries()) for (const b of layout.nodes.slice(i + 1)) expect(overlap(a, b), `${a.name} / ${b.name}`).toBe(false)
    const at = new Map(layout.nodes.map((n) => [nodeKey(n.kind, n.name), n]))
    for (const flow of layout.flows.filter((f) => !f.back)) expect(at.get(flow.to)!.x, `${flow.from} → ${flow.to}`).toBeGreaterThan(at.get(flow.from)!.x)

    const svg = netSvg(net)
    expect(svg).not.toContain('NaN')
    expect(svg.match(/<g class="task /g)).toHaveLength(Object.keys(net.tasks).length)
    expect(svg.match(/<g class="condition/g)).toHaveLength(Object.keys(net.conditions).length)
  })

  it('escapes names, so a name cannot break the page', async () => {
    const { Builder } = await import('../../src/builder')
    const net = Builder.workflow('w')
      .startCondition('start')
      .task('a<b>&"c', Builder.task(Builder.workItem('work')))
      .endCondition('end')
      .connectCondition('start', (to) => to.task('a<b>&"c'))
      .connectTask('a<b>&"c', (to) => to.condition('end'))
      .build().net
    const svg = netSvg(net)
    expect(svg).toContain('data-task="a&#60;b&#62;&#38;&#34;c"')
    expect(svg).not.toContain('a<b>')
  })
})

describe('the timeline', () => {
  const event = (sequence: number, changes: JournalEvent['changes'], target: JournalEvent['target'], operation: JournalEvent['operation'] = 'completeWorkItem'): JournalEvent =>
    ({ _id: `e${sequence}`, workflowId: 'w1', sequence, time: 0, operation, target, caller: { kind: 'internal' }, workflow: { name: 'w', state: 'started' }, changes }) as unknown as JournalEvent

  it('writes one aligned line per event, naming work items from the journal', () => {
    const lines = timelineLines([
      event(1, [
        { kind: 'workflow', from: null, to: 'initialized' },
        { kind: 'marking', condition: 'start', delta: 1, marking: 1 },
        { kind: 'task', task: 'a', generation: 1, from: 'disabled', to: 'enabled' },
        { kind: 'workItem', workItemId: 'i1', name: 'work', task: 'a', generation: 1, from: null, to: 'initialized' },
      ], { kind: 'workflow', name: 'w' }, 'initializeRootWorkflow'),
      event(2, [
        { kind: 'workItem', workItemId: 'i1', name: 'work', task: 'a', generation: 1, from: 'initialized', to: 'completed' },
        { kind: 'route', task: 'a', generation: 1, targets: ['a__to__b'] },
        { kind: 'marking', condition: 'a__to__b', delta: 1, marking: 1 },
        { kind: 'jobForgotten', element: 'workItem:i1', scheduledId: 's1', canceled: true },
        { kind: 'task', task: 'b', generation: 2, from: 'completed', to: 'enabled' },
      ], { kind: 'workItem', workItemId: 'i1' } as JournalEvent['target']),
    ])
    expect(lines).toEqual([
      '#1  initializeRootWorkflow  workflow w  internal  workflow new→initialized · +1 c:start · t:a disabled→enabled · w:work new→initialized',
      '#2  completeWorkItem        w:work      internal  w:work initialized→completed · route t:a → c:a→b · +1 c:a→b · job canceled for w:work · t:b#2 completed→enabled',
    ])
  })

  it('lists at most 12 changes of a step, then says how many more', () => {
    const changes = Array.from({ length: 20 }, (_, i) => ({ kind: 'marking' as const, condition: `c${i}`, delta: 1, marking: 1 }))
    const [line] = timelineLines([event(1, changes, { kind: 'workflow', name: 'w' })])
    expect(line).toMatch(/\+1 c:c11 · … and 8 more$/)
  })

  it("is what the README quotes for the demo's deferred choice", async () => {
    const t = backend()
    const wf = driver(t, internal.examples.deferredChoice)
    const id = await wf.initialize()
    await wf.run('prepare')
    await wf.run('decline')
    const lines = timelineLines((await recordWorkflow(t, deferredChoiceWorkflow, id)).events)
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8')
    const quoted = readme.split('\n').filter((line) => /^ {4}#\d/.test(line))
    expect(quoted).toEqual(lines.map((line) => `    ${line}`))
  })
})
