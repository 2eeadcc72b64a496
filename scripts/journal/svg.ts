import type { NetDefinition } from '../../src/net/definition'
import { layoutNet, nodeKey, taskHasJoinLabel, taskHasSplitLabel, type LaidOutNode } from './layout'

/**
 * The net as an SVG drawing for the demo's pages, without any state: every task and condition is a
 * group the page's script finds by `data-task` / `data-condition` and updates for the step the
 * slider is on (a task's state as its class, a condition's tokens as its text). Drawn here rather
 * than by Mermaid in the browser, so a page needs no script from elsewhere and stays small.
 *
 * Shapes follow the Mermaid picture (docs/api.md#tomermaid): a task is a box (a composite task a
 * double box, a dummy task a dashed one) with its join and split written under its name when they
 * say something; a condition is a circle (the start marked ▶, the end ■), an implicit one a small
 * circle on its flow; a cancellation region is a dashed line ending in a cross.
 */

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
}

type Point = { x: number; y: number }

const center = (n: LaidOutNode): Point => ({ x: n.x + n.width / 2, y: n.y + n.height / 2 })

/** Where the line from `n`'s center towards `to` leaves `n`'s outline. */
function boundary(n: LaidOutNode, to: Point): Point {
  const c = center(n)
  const dx = to.x - c.x
  const dy = to.y - c.y
  if (dx === 0 && dy === 0) return c
  const scale =
    n.kind === 'condition' ? n.width / 2 / Math.hypot(dx, dy) : Math.min(dx === 0 ? Infinity : n.width / 2 / Math.abs(dx), dy === 0 ? Infinity : n.height / 2 / Math.abs(dy))
  return { x: c.x + dx * scale, y: c.y + dy * scale }
}

const f = (n: number) => Math.round(n * 10) / 10

/** Whether the straight segment from `p` to `q` runs through any of `nodes` (sampled every 4 px, with a 2 px margin). */
function runsThrough(p: Point, q: Point, nodes: readonly LaidOutNode[]): boolean {
  const steps = Math.ceil(Math.hypot(q.x - p.x, q.y - p.y) / 4)
  for (let i = 1; i < steps; i++) {
    const x = p.x + ((q.x - p.x) * i) / steps
    const y = p.y + ((q.y - p.y) * i) / steps
    if (nodes.some((n) => x > n.x - 2 && x < n.x + n.width + 2 && y > n.y - 2 && y < n.y + n.height + 2)) return true
  }
  return false
}

export function netSvg(net: NetDefinition): string {
  const layout = layoutNet(net)
  const byKey = new Map(layout.nodes.map((n) => [nodeKey(n.kind, n.name), n]))
  let below = 0
  let above = 0
  // The highest point of the arcs over the picture, drawn at negative y: the view starts above it.
  let peak = 0
  const flows = layout.flows.map(({ from, to, back }) => {
    const a = byKey.get(from)!
    const b = byKey.get(to)!
    if (!back) {
      const start = boundary(a, center(b))
      const end = boundary(b, center(a))
      if (!runsThrough(start, end, layout.nodes.filter((n) => n !== a && n !== b))) {
        return `<line class="flow" x1="${f(start.x)}" y1="${f(start.y)}" x2="${f(end.x)}" y2="${f(end.y)}" marker-end="url(#arrow)"/>`
      }
      // A flow that skips columns and would cross their nodes arcs over the picture; a cubic curve whose ends are at
      // y0 and whose control points are at h peaks at y0 / 4 + 3h / 4.
      const height = -12 * ++above
      peak = Math.min(peak, Math.min(a.y, b.y) / 4 + (3 * height) / 4)
      return `<path class="flow" d="M${f(center(a).x)},${f(a.y)} C${f(center(a).x)},${f(height)} ${f(center(b).x)},${f(height)} ${f(center(b).x)},${f(b.y)}" marker-end="url(#arrow)"/>`
    }
    // A flow that closes a cycle runs back under the picture.
    const depth = layout.height + 12 * below++
    const start = { x: center(a).x, y: a.y + a.height }
    const end = { x: center(b).x, y: b.y + b.height }
    return `<path class="flow back" d="M${f(start.x)},${f(start.y)} C${f(start.x)},${f(depth)} ${f(end.x)},${f(depth)} ${f(end.x)},${f(end.y)}" marker-end="url(#arrow)"/>`
  })
  const regions = Object.values(net.tasks).flatMap((task) => {
    const owner = byKey.get(nodeKey('task', task.name))!
    const members = [...(task.cancellationRegion?.tasks ?? []).map((t) => nodeKey('task', t)), ...(task.cancellationRegion?.conditions ?? []).map((c) => nodeKey('condition', c))]
    return members
      .filter((m) => m !== nodeKey('task', task.name))
      .map((m) => {
        const target = byKey.get(m)!
        const start = boundary(owner, center(target))
        const end = boundary(target, center(owner))
        return `<line class="region" x1="${f(start.x)}" y1="${f(start.y)}" x2="${f(end.x)}" y2="${f(end.y)}" marker-end="url(#cross)"><title>${escapeXml(`${task.name} cancels ${target.name}`)}</title></line>`
      })
  })
  const nodes = layout.nodes.map((n) => (n.kind === 'task' ? taskNode(net, n) : conditionNode(net, n)))
  const top = peak < 0 ? 8 - peak : 0
  const height = top + layout.height + 12 * below + (below > 0 ? 8 : 0)
  return [
    `<svg class="net" xmlns="http://www.w3.org/2000/svg" viewBox="0 ${f(-top)} ${f(layout.width)} ${f(height)}" width="${f(layout.width)}" height="${f(height)}" role="img" aria-label="${escapeXml(`The net of ${net.name}`)}">`,
    '<defs>',
    '<marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>',
    '<marker id="cross" viewBox="0 0 10 10" refX="5" refY="5" markerWidth="8" markerHeight="8" orient="auto"><path d="M1,1 L9,9 M9,1 L1,9" class="cross"/></marker>',
    '</defs>',
    ...flows,
    ...regions,
    ...nodes,
    '</svg>',
  ].join('\n')
}

function taskNode(net: NetDefinition, n: LaidOutNode): string {
  const task = net.tasks[n.name]!
  const join = taskHasJoinLabel(net, n.name) ? `${task.joinType}▸` : ''
  const split = taskHasSplitLabel(net, n.name) ? `▸${task.splitType}` : ''
  const labelled = join !== '' || split !== ''
  const title = `task ${task.name} (${task.kind}; join ${task.joinType}, split ${task.splitType})`
  return [
    `<g class="task ${task.kind} disabled" data-task="${escapeXml(task.name)}" transform="translate(${f(n.x)},${f(n.y)})">`,
    `<title>${escapeXml(title)}</title>`,
    `<rect class="box" width="${f(n.width)}" height="${f(n.height)}" rx="4"/>`,
    task.kind === 'composite' ? `<rect class="inner" x="3" y="3" width="${f(n.width - 6)}" height="${f(n.height - 6)}" rx="2"/>` : '',
    `<text class="name" x="${f(n.width / 2)}" y="${labelled ? 19 : f(n.height / 2 + 4.5)}">${escapeXml(task.name)}</text>`,
    labelled ? `<text class="routing" x="${f(n.width / 2)}" y="36">${escapeXml([join, split].filter(Boolean).join('  '))}</text>` : '',
    '</g>',
  ]
    .filter(Boolean)
    .join('')
}

function conditionNode(net: NetDefinition, n: LaidOutNode): string {
  const condition = net.conditions[n.name]!
  const c = center(n)
  const label = n.name === net.startCondition ? `▶ ${n.name}` : n.name === net.endCondition ? `■ ${n.name}` : n.name
  return [
    `<g class="condition${condition.implicit ? ' implicit' : ''}" data-condition="${escapeXml(n.name)}" transform="translate(${f(c.x)},${f(c.y)})">`,
    `<title>${escapeXml(`condition ${n.name}`)}</title>`,
    `<circle r="${f(n.width / 2)}"/>`,
    `<text class="tokens" y="${condition.implicit ? 3.5 : 4.5}"></text>`,
    condition.implicit ? '' : `<text class="label" y="${f(n.height / 2 + 14)}">${escapeXml(label)}</text>`,
    '</g>',
  ]
    .filter(Boolean)
    .join('')
}
