import type { NetDefinition } from '../../src/net/definition'

/**
 * Where each task and condition of a net goes in the demo's picture, left to right: a layered
 * drawing of the kind used for Petri nets (conditions and tasks alternate along the flows).
 *
 * - Layers: a depth-first walk from the start condition marks the flows that close a cycle (back
 *   flows); the rest form an acyclic graph, and each node's layer is its longest path from the start.
 * - Order within a layer: a few sweeps placing each node at the average position of its
 *   neighbours in the layer before (then after), which untangles most crossings of workflow nets.
 * Deterministic: the same net always gets the same picture.
 */

export type LaidOutNode = {
  kind: 'task' | 'condition'
  name: string
  x: number
  y: number
  width: number
  height: number
}

export type LaidOutFlow = { from: string; to: string; back: boolean }

export type NetLayout = { width: number; height: number; nodes: LaidOutNode[]; flows: LaidOutFlow[] }

const columnGap = 56
const rowGap = 28
const margin = 24
const conditionSize = 30
const implicitConditionSize = 14
/** An estimate of the page's 13px sans-serif: the picture is laid out before any browser measures it. */
const charWidth = 7.4

const key = (kind: 'task' | 'condition', name: string) => `${kind}:${name}`

export function taskHasJoinLabel(net: NetDefinition, task: string): boolean {
  const t = net.tasks[task]!
  return t.inputs.length > 1 || t.joinType !== 'and'
}

export function taskHasSplitLabel(net: NetDefinition, task: string): boolean {
  const t = net.tasks[task]!
  return t.outputs.length > 1 || t.splitType !== 'and'
}

function size(net: NetDefinition, kind: 'task' | 'condition', name: string): { width: number; height: number } {
  if (kind === 'condition') {
    const s = net.conditions[name]!.implicit ? implicitConditionSize : conditionSize
    return { width: s, height: s }
  }
  const labelled = taskHasJoinLabel(net, name) || taskHasSplitLabel(net, name)
  return { width: Math.max(64, Math.ceil(name.length * charWidth) + 24), height: labelled ? 46 : 34 }
}

export function layoutNet(net: NetDefinition): NetLayout {
  const successors = new Map<string, string[]>()
  const add = (from: string, to: string) => successors.get(from)!.push(to)
  for (const c of Object.keys(net.conditions)) successors.set(key('condition', c), [])
  for (const t of Object.keys(net.tasks)) successors.set(key('task', t), [])
  for (const [name, task] of Object.entries(net.tasks)) {
    for (const c of task.inputs) add(key('condition', c), key('task', name))
    for (const c of task.outputs) add(key('task', name), key('condition', c))
  }

  // Back flows: those reaching a node still on the walk's path.
  const back = new Set<string>()
  const state = new Map<string, 'open' | 'done'>()
  const discovered: string[] = []
  const walk = (node: string) => {
    state.set(node, 'open')
    discovered.push(node)
    for (const next of successors.get(node)!) {
      if (state.get(next) === 'open') back.add(`${node}>${next}`)
      else if (!state.has(next)) walk(next)
    }
    state.set(node, 'done')
  }
  walk(key('condition', net.startCondition))
  // A node the start cannot reach (build() refuses such nets; kept for any net) starts its own walk.
  for (const node of successors.keys()) if (!state.has(node)) walk(node)

  const forward = new Map<string, string[]>()
  const predecessors = new Map<string, string[]>()
  for (const node of successors.keys()) {
    forward.set(node, [])
    predecessors.set(node, [])
  }
  for (const [from, tos] of successors) {
    for (const to of tos) {
      if (back.has(`${from}>${to}`)) continue
      forward.get(from)!.push(to)
      predecessors.get(to)!.push(from)
    }
  }

  // Longest path from the sources, in topological order of the acyclic part.
  const layer = new Map<string, number>()
  const indegree = new Map([...predecessors].map(([n, ps]) => [n, ps.length]))
  const ready = discovered.filter((n) => indegree.get(n) === 0)
  while (ready.length > 0) {
    const node = ready.shift()!
    const l = Math.max(-1, ...predecessors.get(node)!.map((p) => layer.get(p)!)) + 1
    layer.set(node, l)
    for (const next of forward.get(node)!) {
      indegree.set(next, indegree.get(next)! - 1)
      if (indegree.get(next) === 0) ready.push(next)
    }
  }
  // The end condition closes the picture on the right: only flows into it reach it, so any column at or after its
  // own keeps every forward flow pointing right.
  layer.set(key('condition', net.endCondition), Math.max(...layer.values()))

  const layers: string[][] = []
  for (const node of discovered) (layers[layer.get(node)!] ??= []).push(node)
  for (let i = 0; i < layers.length; i++) layers[i] ??= []

  const position = new Map<string, number>()
  const renumber = () => layers.forEach((nodes) => nodes.forEach((n, i) => position.set(n, i)))
  renumber()
  const average = (nodes: string[], fallback: number) => (nodes.length ? nodes.reduce((s, n) => s + position.get(n)!, 0) / nodes.length : fallback)
  for (let sweep = 0; sweep < 4; sweep++) {
    const down = sweep % 2 === 0
    const order = down ? layers.slice(1) : layers.slice(0, -1).reverse()
    for (const nodes of order) {
      const weight = new Map(nodes.map((n) => [n, average(down ? predecessors.get(n)! : forward.get(n)!, position.get(n)!)]))
      nodes.sort((a, b) => weight.get(a)! - weight.get(b)! || position.get(a)! - position.get(b)!)
      nodes.forEach((n, i) => position.set(n, i))
    }
  }

  // Coordinates: each column as wide as its widest node, each column centered vertically.
  const sized = new Map([...successors.keys()].map((n) => {
    const [kind, ...rest] = n.split(':') as ['task' | 'condition', ...string[]]
    return [n, { kind, name: rest.join(':'), ...size(net, kind, rest.join(':')) }]
  }))
  const columnHeight = (nodes: string[]) => nodes.reduce((h, n) => h + sized.get(n)!.height, 0) + rowGap * Math.max(0, nodes.length - 1)
  const height = Math.max(...layers.map(columnHeight)) + 2 * margin
  const nodes: LaidOutNode[] = []
  let x = margin
  for (const column of layers) {
    const width = Math.max(0, ...column.map((n) => sized.get(n)!.width))
    let y = (height - columnHeight(column)) / 2
    for (const n of column) {
      const s = sized.get(n)!
      nodes.push({ kind: s.kind, name: s.name, x: x + (width - s.width) / 2, y, width: s.width, height: s.height })
      y += s.height + rowGap
    }
    x += width + columnGap
  }
  const flows: LaidOutFlow[] = []
  for (const [from, tos] of successors) for (const to of tos) flows.push({ from, to, back: back.has(`${from}>${to}`) })
  return { width: x - columnGap + margin, height, nodes, flows }
}

export { key as nodeKey }
