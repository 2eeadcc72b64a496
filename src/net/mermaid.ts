import type { ConditionNode, NetDefinition, TaskNode } from './definition'
import type { TaskState } from './lifecycle'

/**
 * A picture of a net: `toMermaid` writes a workflow as a Mermaid flowchart (GitHub renders
 * ```` ```mermaid ```` blocks), optionally with one workflow's tokens and task states.
 *
 * What the picture shows (docs/api.md#tomermaid):
 * - a task is a box: atomic `[name]`, dummy `{{name}}` (a hexagon), composite `[[name]]`; its join is written on
 *   the left and its split on the right, `⟨xor⟩ close ⟨and⟩`, whenever it has more than one input (output) or a
 *   type other than AND (with one flow, AND is the default and means nothing more);
 * - an explicit condition is a circle; the start condition is marked `▶`, the end condition `■`;
 * - an implicit (task-to-task) condition is an arrow from task to task, unless it holds tokens in the snapshot or a
 *   cancellation region names it: then it is a small circle on that arrow;
 * - a cancellation region is a dashed edge ending in a cross (`-.-x`) from the owning task to each task and
 *   condition it removes;
 * - with a snapshot, a condition's tokens are written `●` (one) or `●×n`, a marked condition gets the class
 *   `marked`, and a task gets the class of its state (`disabled`, `enabled`, `started`, `completed`, `failed`,
 *   `canceled`), each with a `classDef`.
 *
 * Only basic flowchart syntax is used: node shapes, `-->`, `-.-x`, `classDef` and `class`. Ids are made of ASCII
 * letters, digits and `_` (prefixed `t_` for tasks and `c_` for conditions, so no name becomes a Mermaid keyword
 * such as `end`), and every character of a name outside a small safe set is written as an entity code (`#35;`),
 * so no name can break the diagram. The output is deterministic: nodes and edges in declaration order.
 */

/** One workflow's state, as the generated `getWorkflowTaskStates` and `getMarking` queries return it. */
export type MermaidSnapshot = {
  readonly tasks?: Readonly<Record<string, TaskState>>
  readonly marking?: Readonly<Record<string, number>>
}

/** A Builder (`build()` is called), a definition (`build()`'s result), or the net itself. */
export type MermaidWorkflow = NetDefinition | { readonly net: NetDefinition } | { build(): { readonly net: NetDefinition } }

const stateClasses: readonly TaskState[] = ['disabled', 'enabled', 'started', 'completed', 'failed', 'canceled']

const classDefs: Readonly<Record<TaskState | 'marked', string>> = {
  disabled: 'fill:#f6f8fa,stroke:#afb8c1,color:#6e7781',
  enabled: 'fill:#fff8c5,stroke:#bf8700,color:#24292f',
  started: 'fill:#ddf4ff,stroke:#0969da,stroke-width:2px,color:#24292f',
  completed: 'fill:#dafbe1,stroke:#1a7f37,color:#24292f',
  failed: 'fill:#ffebe9,stroke:#cf222e,stroke-width:2px,color:#24292f',
  canceled: 'fill:#eaeef2,stroke:#6e7781,stroke-dasharray:4 3,color:#57606a',
  marked: 'fill:#fff8c5,stroke:#9a6700,stroke-width:2px,color:#24292f',
}

/**
 * The net as a Mermaid flowchart, left to right. With a snapshot (`{ tasks, marking }`, as the generated
 * `getWorkflowTaskStates` and `getMarking` queries return them for one workflow), also its tokens and task states.
 * Throws if the snapshot names a task or condition the net does not have (a snapshot of another workflow).
 *
 * @example
 * console.log(toMermaid(orderWorkflow))
 * console.log(toMermaid(orderWorkflow, { tasks: await getWorkflowTaskStates(...), marking: await getMarking(...) }))
 */
export function toMermaid(workflow: MermaidWorkflow, snapshot: MermaidSnapshot = {}): string {
  const net = 'net' in workflow ? workflow.net : 'build' in workflow ? workflow.build().net : workflow
  const marking = snapshot.marking ?? {}
  const states = snapshot.tasks ?? {}
  for (const name of Object.keys(marking)) {
    if (!Object.hasOwn(net.conditions, name)) throw new Error(`toMermaid: the snapshot marks '${name}', which is not a condition of workflow '${net.name}'.`)
  }
  for (const name of Object.keys(states)) {
    if (!Object.hasOwn(net.tasks, name)) throw new Error(`toMermaid: the snapshot has a state for '${name}', which is not a task of workflow '${net.name}'.`)
  }
  const tokens = (condition: string) => Math.max(0, Math.floor(marking[condition] ?? 0))

  const regionMembers = new Set(Object.values(net.tasks).flatMap((t) => t.cancellationRegion?.conditions ?? []))
  const conditions = Object.values(net.conditions)
  const shown = (c: ConditionNode) => !c.implicit || tokens(c.name) > 0 || regionMembers.has(c.name)

  const ids = new Ids()
  const taskId = new Map(Object.keys(net.tasks).map((name) => [name, ids.make('t_', name)]))
  const conditionId = new Map(conditions.filter(shown).map((c) => [c.name, ids.make('c_', c.name)]))

  const lines = ['flowchart LR']
  for (const c of conditions) {
    if (!c.implicit) lines.push(`  ${conditionId.get(c.name)!}(("${conditionLabel(net, c, tokens(c.name))}"))`)
  }
  for (const t of Object.values(net.tasks)) lines.push(`  ${taskId.get(t.name)!}${taskShape(t)}`)
  for (const c of conditions) {
    if (c.implicit && shown(c)) lines.push(`  ${conditionId.get(c.name)!}(("${tokenLabel(tokens(c.name)) || ' '}"))`)
  }

  // Flows: each explicit condition's, then each task's, in declaration order.
  for (const c of conditions) {
    if (!c.implicit) for (const to of c.outputs) lines.push(`  ${conditionId.get(c.name)!} --> ${taskId.get(to)!}`)
  }
  for (const t of Object.values(net.tasks)) {
    for (const output of t.outputs) {
      const c = net.conditions[output]!
      if (!c.implicit) lines.push(`  ${taskId.get(t.name)!} --> ${conditionId.get(output)!}`)
      else if (shown(c)) lines.push(`  ${taskId.get(t.name)!} --> ${conditionId.get(output)!}`, `  ${conditionId.get(output)!} --> ${taskId.get(c.outputs[0]!)!}`)
      else lines.push(`  ${taskId.get(t.name)!} --> ${taskId.get(c.outputs[0]!)!}`)
    }
  }

  // Cancellation regions: owner -.-x each member.
  for (const t of Object.values(net.tasks)) {
    const region = t.cancellationRegion
    if (!region) continue
    for (const name of region.tasks) lines.push(`  ${taskId.get(t.name)!} -.-x ${taskId.get(name)!}`)
    for (const name of region.conditions) lines.push(`  ${taskId.get(t.name)!} -.-x ${conditionId.get(name)!}`)
  }

  // Snapshot: one class per task state, and `marked` for conditions holding tokens.
  const members = new Map<TaskState | 'marked', string[]>()
  const add = (cls: TaskState | 'marked', id: string) => members.set(cls, [...(members.get(cls) ?? []), id])
  for (const name of Object.keys(net.tasks)) {
    const state = states[name]
    if (state !== undefined) add(state, taskId.get(name)!)
  }
  for (const c of conditions) if (tokens(c.name) > 0) add('marked', conditionId.get(c.name)!)
  for (const cls of [...stateClasses, 'marked'] as const) {
    const list = members.get(cls)
    if (list) lines.push(`  classDef ${cls} ${classDefs[cls]}`, `  class ${list.join(',')} ${cls}`)
  }
  return `${lines.join('\n')}\n`
}

function taskShape(task: TaskNode): string {
  const join = task.inputs.length > 1 || task.joinType !== 'and' ? `⟨${task.joinType}⟩ ` : ''
  const split = task.outputs.length > 1 || task.splitType !== 'and' ? ` ⟨${task.splitType}⟩` : ''
  const label = `"${join}${escapeLabel(task.name)}${split}"`
  switch (task.kind) {
    case 'atomic':
      return `[${label}]`
    case 'dummy':
      return `{{${label}}}`
    case 'composite':
      return `[[${label}]]`
  }
}

function conditionLabel(net: NetDefinition, condition: ConditionNode, count: number): string {
  const mark = condition.name === net.startCondition ? '▶ ' : condition.name === net.endCondition ? '■ ' : ''
  const held = tokenLabel(count)
  return `${mark}${escapeLabel(condition.name)}${held ? `<br/>${held}` : ''}`
}

function tokenLabel(count: number): string {
  return count === 0 ? '' : count === 1 ? '●' : `●×${count}`
}

/**
 * A name as text inside a quoted Mermaid label: letters, digits and a few harmless characters stay, every other
 * character (quotes, `#`, `<`, `>`, `&`, backticks, brackets, line breaks, ...) becomes an entity code `#<code>;`.
 */
export function escapeLabel(name: string): string {
  let out = ''
  for (const ch of name) out += /^[\p{L}\p{N} _.,:\-+=@!?/']$/u.test(ch) ? ch : `#${ch.codePointAt(0)!};`
  return out
}

/** Mermaid ids: a prefix, the name with every character outside `[A-Za-z0-9_]` as `_`, and `_2`, `_3`, ... on a clash. */
class Ids {
  private readonly used = new Set<string>()
  make(prefix: string, name: string): string {
    const base = prefix + name.replace(/[^A-Za-z0-9_]/g, '_')
    let id = base
    for (let n = 2; this.used.has(id); n++) id = `${base}_${n}`
    this.used.add(id)
    return id
  }
}
