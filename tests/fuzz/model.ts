/**
 * The random nets of the fuzz suite as plain data (`NetSpec`), the net the reference plays on
 * (`Net`, derived here from the spec, not from src/net), and the route decision both sides share.
 */

export type Kind = 'atomic' | 'dummy' | 'composite'
export type Gate = 'and' | 'xor' | 'or'
export type Target = { kind: 'task' | 'condition'; name: string }

export type TaskSpec = {
  name: string
  kind: Kind
  join: Gate
  split: Gate
  /** Work items its `onEnabled` offers (atomic tasks only). */
  autoItems: number
  /** A composite task's child net. */
  child?: NetSpec
}

export type NetSpec = {
  name: string
  /** Explicit conditions other than start and end. */
  conditions: string[]
  /** In declaration order. */
  tasks: TaskSpec[]
  /** `connectCondition` / `connectTask` calls in declaration order. */
  flows: Array<{ from: string; targets: Target[] }>
  regions: Array<{ task: string; tasks: string[]; conditions: string[]; flows: Array<[string, string]> }>
}

export const START = 'start'
export const END = 'end'
export const implicitName = (from: string, to: string) => `${from}__to__${to}`

export type TaskNode = TaskSpec & { inputs: string[]; outputs: string[]; targets: Target[]; region?: { tasks: string[]; conditions: string[] } }
export type Net = {
  name: string
  spec: NetSpec
  conditions: Map<string, { implicit: boolean }>
  tasks: Map<string, TaskNode>
  order: string[]
  children: Map<string, Net>
}

const nets = new WeakMap<NetSpec, Net>()

/** The net of a spec: inputs and outputs in the order their flows were declared. */
export function netOf(spec: NetSpec): Net {
  const cached = nets.get(spec)
  if (cached) return cached
  const conditions = new Map<string, { implicit: boolean }>([[START, { implicit: false }], ...spec.conditions.map((c) => [c, { implicit: false }] as const), [END, { implicit: false }]])
  const tasks = new Map<string, TaskNode>(spec.tasks.map((t) => [t.name, { ...t, inputs: [], outputs: [], targets: [] }]))
  for (const { from, targets } of spec.flows) {
    for (const target of targets) {
      if (tasks.has(from)) {
        const c = target.kind === 'task' ? implicitName(from, target.name) : target.name
        if (target.kind === 'task') conditions.set(c, { implicit: true })
        tasks.get(from)!.outputs.push(c)
        tasks.get(from)!.targets.push(target)
        if (target.kind === 'task') tasks.get(target.name)!.inputs.push(c)
      } else {
        tasks.get(target.name)!.inputs.push(from)
      }
    }
  }
  for (const r of spec.regions) {
    tasks.get(r.task)!.region = { tasks: [...r.tasks], conditions: [...r.conditions, ...r.flows.map(([a, b]) => implicitName(a, b))] }
  }
  const children = new Map<string, Net>()
  for (const t of spec.tasks) if (t.child) children.set(t.name, netOf(t.child))
  const net = { name: spec.name, spec, conditions, tasks, order: spec.tasks.map((t) => t.name), children }
  nets.set(spec, net)
  return net
}

/** FNV-1a: a stable hash of the route key. */
function hash(text: string): number {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0
  return h
}

/**
 * The targets an XOR- or OR-split routes to, a pure function of the workflow id, the task and its
 * generation: the route functions of the generated nets call it, and so does the reference.
 */
export function routeChoice(workflowId: string, task: string, generation: number, targets: readonly Target[], split: Gate): Target[] {
  const h = hash(`${workflowId}|${task}|${generation}`)
  if (split === 'xor') return [targets[h % targets.length]!]
  const mask = (h % (2 ** targets.length - 1)) + 1
  return targets.filter((_, i) => mask & (1 << i))
}

/** Builder-like text of a net, for reports and regression tests. */
export function netText(spec: NetSpec, indent = ''): string {
  const lines = [`${indent}workflow '${spec.name}': start, end${spec.conditions.map((c) => `, ${c}`).join('')}`]
  for (const t of spec.tasks) {
    const extra = t.kind === 'atomic' ? ` items=${t.autoItems}` : ''
    lines.push(`${indent}  ${t.kind} ${t.name} join=${t.join} split=${t.split}${extra}`)
    if (t.child) lines.push(netText(t.child, `${indent}    `))
  }
  for (const f of spec.flows) lines.push(`${indent}  ${f.from} -> ${f.targets.map((x) => (x.kind === 'task' ? x.name : `(${x.name})`)).join(', ')}`)
  for (const r of spec.regions) {
    const parts = [...r.tasks.map((t) => `task ${t}`), ...r.conditions.map((c) => `condition ${c}`), ...r.flows.map(([a, b]) => `flow ${a}->${b}`)]
    lines.push(`${indent}  region of ${r.task}: ${parts.join(', ')}`)
  }
  return lines.join('\n')
}
