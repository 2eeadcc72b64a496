import type { NetDefinition } from '../definition'
import type { NetState } from '../interpreter'
import type { TaskState } from '../lifecycle'

/** What identifies a state of the exploration: the state stored, and the strings that key it. */

/** Only what decides the future: marked conditions, enabled and started tasks. */
export function normalized(state: NetState): NetState {
  const marking: Record<string, number> = {}
  for (const [c, n] of Object.entries(state.marking)) if (n > 0) marking[c] = n
  const tasks: Record<string, TaskState> = {}
  for (const [t, s] of Object.entries(state.tasks)) if (s === 'enabled' || s === 'started') tasks[t] = s
  return { marking, tasks, generations: {}, completed: state.completed }
}

export type StateKeys = ReturnType<typeof stateKeys>

/**
 * Canonical strings for states, naming conditions and tasks by their index in the net.
 * `state` keys what decides the future (marked conditions, enabled and started tasks,
 * whether the workflow completed); `decision` what an OR-join decision reads (marking and
 * started tasks). Only the entries a state holds are visited: a state marks a few
 * conditions of a net that may have hundreds.
 */
export function stateKeys(net: NetDefinition) {
  const conditionNames = Object.keys(net.conditions)
  const conditionIndex = new Map(conditionNames.map((c, i) => [c, i]))
  const taskIndex = new Map(Object.keys(net.tasks).map((t, i) => [t, i]))
  const ascending = (a: number, b: number) => a - b
  const marking = (m: Readonly<Record<string, number>>) => {
    const entries: number[] = []
    for (const c in m) if (m[c]! > 0) entries.push(conditionIndex.get(c)!)
    return entries
      .sort(ascending)
      .map((i) => `${i}=${m[conditionNames[i]!]}`)
      .join(',')
  }
  const tasks = (state: NetState, mark: (s: TaskState | undefined) => string) => {
    const entries: Array<[number, string]> = []
    for (const t of Object.keys(state.tasks)) {
      const m = mark(state.tasks[t])
      if (m !== '') entries.push([taskIndex.get(t)!, m])
    }
    return entries
      .sort((a, b) => a[0] - b[0])
      .map(([i, m]) => `${i}${m}`)
      .join(',')
  }
  const enabledOrStarted = (s: TaskState | undefined) => (s === 'enabled' ? 'e' : s === 'started' ? 's' : '')
  const started = (s: TaskState | undefined) => (s === 'started' ? 's' : '')
  // A step's state is usually keyed twice: for an OR-join decision on it, and when it is stored.
  const known = new WeakMap<NetState, string>()
  return {
    state(state: NetState): string {
      let key = known.get(state)
      if (key === undefined) {
        key = `${marking(state.marking)}|${tasks(state, enabledOrStarted)}${state.completed ? '|completed' : ''}`
        known.set(state, key)
      }
      return key
    },
    decision(state: NetState): string {
      return `${marking(state.marking)}|${tasks(state, started)}`
    },
  }
}
