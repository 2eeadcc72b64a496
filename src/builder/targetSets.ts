import { implicitConditionName, type SplitType } from '../net/definition'
import type { FlowSpec } from './flow'

/**
 * The target sets a route declares (`.route(fn, { targetSets })`), checked when the workflow is
 * built. A route is a function of data the net does not see, so without them an OR-split may take
 * any non-empty subset of its flows; with them the route promises one of a few sets, which the
 * runtime holds it to (`splitTargets`, INVALID_ROUTE) and `verifyWorkflow` explores instead of every
 * subset. This code ships in every Convex module that builds a workflow (npm run size), so its
 * messages are terse.
 *
 * Adds what is wrong to `problems`. Returns each set as the output conditions it marks (the implicit
 * condition of a flow to a task), or undefined if none is declared or something is wrong.
 */
export function checkTargetSets(task: string, splitType: SplitType, flow: FlowSpec | undefined, problems: string[]): string[][] | undefined {
  const declared = flow?.targetSets
  // An AND-split takes no route, so no sets either: that is refused as a route on an AND-split.
  if (!declared || splitType === 'and') return undefined
  const where = `connectTask('${task}', ...)`
  const kinds = new Map(flow.targets.map((t) => [t.name, t.kind]))
  const targets = `its targets (${[...kinds.keys()].join(', ')})`
  const before = problems.length
  const seen = new Set<string>()
  // No set at all is refused as one empty set.
  const sets = (declared.length > 0 ? declared : [[]]).map((names) => {
    const refuse = (what: string) => problems.push(`${where}: the target set [${names.join(', ')}] ${what}.`)
    if (names.length === 0) refuse(`is empty: name one or more of ${targets}`)
    for (const [i, name] of names.entries()) {
      if (!kinds.has(name)) refuse(`names '${name}', not one of ${targets}`)
      else if (names.indexOf(name) !== i) refuse(`names '${name}' twice`)
    }
    if (splitType === 'xor' && names.length > 1) refuse(`has ${names.length} targets; an XOR-split takes one per set`)
    // Sets are compared as sets: the runtime checks a route's targets against them in any order.
    const key = [...new Set(names)].sort().join('\n')
    if (seen.has(key)) refuse('is declared twice (in any order)')
    seen.add(key)
    return names.map((name) => (kinds.get(name) === 'task' ? implicitConditionName(task, name) : name))
  })
  return problems.length === before ? sets : undefined
}
