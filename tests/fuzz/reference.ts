/**
 * An independent token game for the fuzz suite, written from the step semantics of issue 10
 * (docs/semantics.md): marking, task states and generations, work items, workflow states,
 * settling (dummy tasks first), exits with the new cancellation-region rule, the OR-join decision
 * (orJoinRef.ts), and composite tasks whose children are nested token games under the default
 * policy. It imports nothing from src/.
 *
 * Every operation either refuses (throws `Refusal` with the error code the engine should give, and
 * changes nothing) or performs the whole step. An OR-join decision past the state cap throws
 * `Inconclusive`.
 */
import { END, START, netOf, routeChoice, type Net, type NetSpec } from './model'
import { orJoinHolds } from './orJoinRef'

export type WfState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'
export type TaskState = 'disabled' | 'enabled' | 'started' | 'completed' | 'failed' | 'canceled'
export type ItemState = 'initialized' | 'started' | 'completed' | 'failed' | 'canceled'

export class Refusal extends Error {
  constructor(readonly code: string) {
    super(code)
  }
}
export class Inconclusive extends Error {}

export type RefItem = { task: string; gen: number; state: ItemState }
export type RefTask = { state: TaskState; gen: number }
export type RefWorkflow = {
  net: Net
  /** The runtime id, once the engine has returned it. */
  id: string
  state: WfState
  marking: Map<string, number>
  tasks: Map<string, RefTask>
  /** Work items in creation order. */
  items: RefItem[]
  children: RefWorkflow[]
  parent?: { wf: RefWorkflow; task: string; gen: number }
}

const running = (w: RefWorkflow) => w.state === 'initialized' || w.state === 'started'
const open = (s: string) => s === 'initialized' || s === 'started'
const active = (s: TaskState) => s === 'enabled' || s === 'started'

export function newWorkflow(net: Net, id: string, parent?: RefWorkflow['parent']): RefWorkflow {
  const wf: RefWorkflow = { net, id, state: 'initialized', marking: new Map([...net.conditions.keys()].map((c) => [c, 0])), tasks: new Map(net.order.map((t) => [t, { state: 'disabled', gen: 0 }])), items: [], children: [], parent }
  wf.marking.set(START, 1)
  return wf
}

/** Does `task`'s join hold on `marking` (with `started` tasks, for the OR-join)? */
export function joinHolds(net: Net, task: string, marking: ReadonlyMap<string, number>, started: ReadonlySet<string>): boolean {
  const node = net.tasks.get(task)!
  const has = (c: string) => (marking.get(c) ?? 0) > 0
  if (node.join === 'and') return node.inputs.every(has)
  if (node.join === 'xor') return node.inputs.some(has)
  const decided = orJoinHolds(net, task, marking, started)
  if (decided === undefined) throw new Inconclusive(`OR-join '${task}' of '${net.name}' exceeds the state cap`)
  return decided
}

const startedOf = (w: RefWorkflow) => new Set([...w.tasks].filter(([, t]) => t.state === 'started').map(([n]) => n))
const holds = (w: RefWorkflow, t: string) => joinHolds(w.net, t, w.marking, startedOf(w))

export function rootWorkflow(spec: NetSpec, id: string): RefWorkflow {
  const wf = newWorkflow(netOf(spec), id)
  settle(wf)
  return wf
}

// ---- settling, firing, exit -------------------------------------------------------------------

/** Dummy firings one settling may make before the step is refused (a dummy loop that never ends). */
const maxDummyFirings = 1_000

export function settle(w: RefWorkflow): void {
  let dummies = 0
  for (;;) {
    if (!running(w)) return
    if ((w.marking.get(END) ?? 0) > 0) return endWorkflow(w, 'completed')
    const dummy = w.net.order.find((t) => w.net.tasks.get(t)!.kind === 'dummy' && w.tasks.get(t)!.state !== 'started' && holds(w, t))
    if (dummy) {
      if (++dummies > maxDummyFirings) throw new Refusal('LIMIT_EXCEEDED')
      enable(w, dummy)
      fire(w, dummy)
      exit(w, dummy)
      continue
    }
    for (const t of w.net.order) {
      const task = w.tasks.get(t)!
      if (w.net.tasks.get(t)!.kind === 'dummy' || task.state === 'started') continue
      const h = holds(w, t)
      if (h && task.state !== 'enabled') enable(w, t)
      else if (!h && task.state === 'enabled') leave(w, t, 'disabled')
    }
    return
  }
}

function enable(w: RefWorkflow, t: string): void {
  const task = w.tasks.get(t)!
  task.state = 'enabled'
  task.gen += 1
  for (let i = 0; i < w.net.tasks.get(t)!.autoItems; i++) w.items.push({ task: t, gen: task.gen, state: 'initialized' })
}

/** The task leaves enabled/started: its open work items and running children are torn down. */
function leave(w: RefWorkflow, t: string, state: TaskState): void {
  const task = w.tasks.get(t)!
  task.state = state
  for (const item of w.items) if (item.task === t && item.gen === task.gen && open(item.state)) item.state = 'canceled'
  for (const child of w.children) if (child.parent!.task === t && child.parent!.gen === task.gen && running(child)) cancelTopDown(child)
}

function fire(w: RefWorkflow, t: string): void {
  const node = w.net.tasks.get(t)!
  const has = (c: string) => (w.marking.get(c) ?? 0) > 0
  const take = (c: string) => w.marking.set(c, w.marking.get(c)! - 1)
  if (node.join === 'and') node.inputs.forEach(take)
  else if (node.join === 'xor') take(node.inputs.find(has)!)
  else node.inputs.filter(has).forEach(take)
  w.tasks.get(t)!.state = 'started'
  if (w.state === 'initialized') {
    w.state = 'started'
    if (w.parent) childStarted(w)
  }
}

/** Exit of a task (no settling inside). */
function exit(w: RefWorkflow, t: string): void {
  const node = w.net.tasks.get(t)!
  leave(w, t, 'completed')
  if (node.region) {
    // Every region task is withdrawn: the active ones are canceled, and all of them lose the tokens
    // of their implicit inputs (a disabled AND-join keeps no part of its tokens).
    for (const rt of node.region.tasks) {
      if (rt === t) continue
      if (active(w.tasks.get(rt)!.state)) leave(w, rt, 'canceled')
      for (const c of w.net.tasks.get(rt)!.inputs) if (w.net.conditions.get(c)!.implicit) w.marking.set(c, 0)
    }
    for (const c of node.region.conditions) w.marking.set(c, 0)
  }
  const targets = node.split === 'and' ? node.targets : routeChoice(w.id, t, w.tasks.get(t)!.gen, node.targets, node.split)
  for (const x of targets) {
    const c = x.kind === 'task' ? `${t}__to__${x.name}` : x.name
    w.marking.set(c, (w.marking.get(c) ?? 0) + 1)
  }
}

function endWorkflow(w: RefWorkflow, state: 'completed' | 'failed'): void {
  for (const t of w.net.order) {
    const s = w.tasks.get(t)!.state
    if (s === 'enabled') leave(w, t, 'disabled')
    else if (s === 'started') leave(w, t, 'canceled')
  }
  w.state = state
  if (w.parent) childEnded(w, true)
}

function cancelTopDown(w: RefWorkflow): void {
  for (const t of w.net.order) if (active(w.tasks.get(t)!.state)) leave(w, t, 'canceled')
  w.state = 'canceled'
}

// ---- the bottom-up signal of a work item or a child (default policy) ---------------------------

function signal(w: RefWorkflow, t: string, failed: boolean): void {
  const task = w.tasks.get(t)!
  if (task.state !== 'started') return
  if (failed) {
    leave(w, t, 'failed')
    return endWorkflow(w, 'failed')
  }
  const stillOpen = w.items.some((i) => i.task === t && i.gen === task.gen && open(i.state)) ||
    w.children.some((c) => c.parent!.task === t && c.parent!.gen === task.gen && running(c))
  if (!stillOpen) exit(w, t)
}

function childStarted(child: RefWorkflow): void {
  const { wf, task, gen } = child.parent!
  const parentTask = wf.tasks.get(task)!
  if (parentTask.gen !== gen || parentTask.state !== 'enabled') return
  fire(wf, task)
  settle(wf)
}

function childEnded(child: RefWorkflow, askPolicy: boolean): void {
  const { wf, task, gen } = child.parent!
  if (!askPolicy || wf.tasks.get(task)!.gen !== gen) return
  signal(wf, task, child.state === 'failed')
  settle(wf)
}

// ---- operations (one engine step each) --------------------------------------------------------

export type ItemAction = 'start' | 'complete' | 'fail' | 'cancel' | 'reset'
export const legalFrom: Record<ItemAction, ItemState[]> = {
  start: ['initialized'],
  complete: ['started'],
  fail: ['started'],
  cancel: ['initialized', 'started'],
  reset: ['started'],
}

export function itemAction(w: RefWorkflow, item: RefItem, action: ItemAction): void {
  if (w.tasks.get(item.task)!.gen !== item.gen) throw new Refusal('STALE_GENERATION')
  if (!legalFrom[action].includes(item.state)) throw new Refusal('INVALID_TRANSITION')
  if (action === 'reset') {
    item.state = 'initialized'
    return settle(w)
  }
  if (action === 'start') {
    item.state = 'started'
    if (w.tasks.get(item.task)!.state === 'enabled') fire(w, item.task)
    return settle(w)
  }
  item.state = action === 'complete' ? 'completed' : action === 'fail' ? 'failed' : 'canceled'
  signal(w, item.task, action === 'fail')
  settle(w)
}

const hasOwn = (m: Map<string, unknown>, k: string) => m.has(k)

export function initializeItem(w: RefWorkflow, task: string, name: string, generation: number | undefined): void {
  if (!hasOwn(w.net.tasks, task)) throw new Refusal('NOT_FOUND')
  const node = w.net.tasks.get(task)!
  if (node.kind !== 'atomic') throw new Refusal('INVALID_STATE')
  const t = w.tasks.get(task)!
  if (t.state !== 'enabled' && t.state !== 'started') throw new Refusal('INVALID_STATE')
  if (name !== `${w.net.name}_${task}`) throw new Refusal('NAME_MISMATCH')
  if (generation !== undefined && generation !== t.gen) throw new Refusal('STALE_GENERATION')
  w.items.push({ task, gen: t.gen, state: 'initialized' })
  settle(w)
}

/** Checks an `initializeWorkflow` request; returns the new child (its id set by the caller). */
export function initializeChild(w: RefWorkflow, task: string, name: string, generation: number | undefined, id: string): RefWorkflow {
  if (!hasOwn(w.net.tasks, task)) throw new Refusal('NOT_FOUND')
  const childNet = w.net.children.get(task)
  if (!childNet) throw new Refusal('INVALID_STATE')
  if (name !== childNet.name) throw new Refusal('NAME_MISMATCH')
  const t = w.tasks.get(task)!
  if (t.state !== 'enabled' && t.state !== 'started') throw new Refusal('INVALID_STATE')
  if (generation !== undefined && generation !== t.gen) throw new Refusal('STALE_GENERATION')
  const child = newWorkflow(childNet, id, { wf: w, task, gen: t.gen })
  w.children.push(child)
  settle(child)
  return child
}

export function cancelChild(child: RefWorkflow, name: string): void {
  if (!child.parent) throw new Refusal('INVALID_STATE')
  if (name !== child.net.name) throw new Refusal('NAME_MISMATCH')
  if (!running(child)) throw new Refusal('INVALID_TRANSITION')
  cancelTopDown(child)
  childEnded(child, true)
}

export function cancelRoot(w: RefWorkflow): void {
  if (w.parent) throw new Refusal('INVALID_STATE')
  if (!running(w)) throw new Refusal('INVALID_TRANSITION')
  cancelTopDown(w)
}

/** Every workflow of the hierarchy, root first. */
export function allWorkflows(root: RefWorkflow): RefWorkflow[] {
  return [root, ...root.children.flatMap(allWorkflows)]
}

/** A deep copy (parents relinked), so a step can be tried and thrown away. */
export function cloneTree(root: RefWorkflow): RefWorkflow {
  const copy = (w: RefWorkflow, parent?: RefWorkflow): RefWorkflow => {
    const c: RefWorkflow = { ...w, marking: new Map(w.marking), tasks: new Map([...w.tasks].map(([k, v]) => [k, { ...v }])), items: w.items.map((i) => ({ ...i })), children: [], parent: w.parent && { ...w.parent, wf: parent! } }
    c.children = w.children.map((ch) => copy(ch, c))
    return c
  }
  return copy(root)
}
