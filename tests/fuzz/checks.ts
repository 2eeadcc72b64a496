/**
 * What is checked after every step, on a dump of every table:
 * - the runtime equals the reference, workflow by workflow (root and children): workflow state,
 *   marking, task states and generations (tasknet_tasks documents), work items (state, per task
 *   generation in creation order), and no workflow or work item the reference does not have;
 * - the enabling invariant on the runtime's own state, with the reference's join function;
 * - a finished workflow has no enabled or started task, no open work item, no registered job.
 * Each returns the first problem as text, or undefined.
 */
import type { Doc, Dump } from './backend'
import { Inconclusive, allWorkflows, joinHolds, type RefWorkflow } from './reference'

/** The runtime's work items of `w`, by `task#generation`, in creation order. */
export function groupItems(w: RefWorkflow, dump: Dump): Map<string, Doc[]> {
  const groups = new Map<string, Doc[]>()
  const docs = dump.tasknet_workItems!.filter((d) => d.workflowId === w.id).sort((a, b) => a._creationTime - b._creationTime)
  for (const d of docs) {
    const key = `${d.taskName}#${d.taskGeneration}`
    groups.set(key, [...(groups.get(key) ?? []), d])
  }
  return groups
}

const label = (w: RefWorkflow, i: number) => (i === 0 ? `root` : `child ${i} (${w.net.name} of ${w.parent!.task}#${w.parent!.gen})`)

export function compare(root: RefWorkflow, dump: Dump): string | undefined {
  const wfs = allWorkflows(root)
  if (dump.tasknet_workflows!.length !== wfs.length) return `workflows: runtime has ${dump.tasknet_workflows!.length}, reference ${wfs.length}`
  for (const [i, w] of wfs.entries()) {
    const at = label(w, i)
    const doc = dump.tasknet_workflows!.find((d) => d._id === w.id)
    if (!doc) return `${at}: no workflow ${w.id} in the runtime`
    if (doc.state !== w.state) return `${at}: workflow state runtime=${doc.state} reference=${w.state}`
    const marking = new Map(dump.tasknet_conditions!.filter((d) => d.workflowId === w.id).map((d) => [d.name as string, d.marking as number]))
    for (const [c, n] of w.marking) {
      if ((marking.get(c) ?? 0) !== n) return `${at}: marking of ${c} runtime=${marking.get(c) ?? 0} reference=${n}`
    }
    const tasks = new Map(dump.tasknet_tasks!.filter((d) => d.workflowId === w.id).map((d) => [d.name as string, d]))
    for (const [name, t] of w.tasks) {
      const d = tasks.get(name)
      const [state, gen] = d ? [d.state, d.generation] : ['disabled', 0]
      if (state !== t.state || gen !== t.gen) return `${at}: task ${name} runtime=${state}#${gen} reference=${t.state}#${t.gen}`
    }
    const groups = groupItems(w, dump)
    const expected = new Map<string, string[]>()
    for (const item of w.items) {
      const key = `${item.task}#${item.gen}`
      expected.set(key, [...(expected.get(key) ?? []), item.state])
    }
    for (const key of new Set([...groups.keys(), ...expected.keys()])) {
      const got = (groups.get(key) ?? []).map((d) => d.state).join(',')
      const want = (expected.get(key) ?? []).join(',')
      if (got !== want) return `${at}: work items of ${key} runtime=[${got}] reference=[${want}]`
    }
  }
  return undefined
}

/** The invariants on the runtime's own state (the reference only lends its join function). */
export function invariants(root: RefWorkflow, dump: Dump): string | undefined {
  for (const [i, w] of allWorkflows(root).entries()) {
    const at = label(w, i)
    const doc = dump.tasknet_workflows!.find((d) => d._id === w.id)
    if (!doc) continue
    const tasks = new Map(dump.tasknet_tasks!.filter((d) => d.workflowId === w.id).map((d) => [d.name as string, d.state as string]))
    const stateOf = (t: string) => tasks.get(t) ?? 'disabled'
    const items = dump.tasknet_workItems!.filter((d) => d.workflowId === w.id)
    if (doc.state === 'initialized' || doc.state === 'started') {
      const marking = new Map(dump.tasknet_conditions!.filter((d) => d.workflowId === w.id).map((d) => [d.name as string, d.marking as number]))
      const started = new Set(w.net.order.filter((t) => stateOf(t) === 'started'))
      for (const t of w.net.order) {
        if (stateOf(t) === 'started') continue
        let holds: boolean
        try {
          holds = joinHolds(w.net, t, marking, started)
        } catch (e) {
          if (e instanceof Inconclusive) continue
          throw e
        }
        if (holds !== (stateOf(t) === 'enabled')) return `invariant: ${at}: task ${t} is ${stateOf(t)} but its join ${holds ? 'holds' : 'does not hold'}`
      }
      continue
    }
    const active = w.net.order.find((t) => ['enabled', 'started'].includes(stateOf(t)))
    if (active) return `invariant: ${at}: workflow ${doc.state} with task ${active} ${stateOf(active)}`
    const item = items.find((d) => d.state === 'initialized' || d.state === 'started')
    if (item) return `invariant: ${at}: workflow ${doc.state} with work item of ${item.taskName} ${item.state}`
    if (dump.tasknet_scheduledJobs!.some((d) => d.workflowId === w.id)) return `invariant: ${at}: workflow ${doc.state} with a registered job`
  }
  return undefined
}
