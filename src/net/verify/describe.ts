import type { NetState } from '../interpreter'
import type { VerificationState } from './types'

/** States and markings as the findings report them. */

/** A state as a finding reports it: its marked conditions, its enabled and its started tasks. */
export function summary(state: NetState): VerificationState {
  return {
    marking: markingOf(state),
    enabled: Object.keys(state.tasks).filter((t) => state.tasks[t] === 'enabled'),
    started: Object.keys(state.tasks).filter((t) => state.tasks[t] === 'started'),
  }
}

/** The marked conditions of `state` and their tokens, leaving out `except`. */
export function markingOf(state: NetState, except?: string): Record<string, number> {
  const marking: Record<string, number> = {}
  for (const [c, n] of Object.entries(state.marking)) if (n > 0 && c !== except) marking[c] = n
  return marking
}

export function describeMarking(marking: Readonly<Record<string, number>>): string {
  const entries = Object.entries(marking)
  if (entries.length === 0) return 'no condition holds a token'
  return `tokens in ${entries.map(([c, n]) => (n === 1 ? `'${c}'` : `'${c}' ×${n}`)).join(', ')}`
}

export function describeTasks(state: VerificationState): string {
  return [
    ...(state.enabled.length > 0 ? [`enabled: ${state.enabled.join(', ')}`] : []),
    ...(state.started.length > 0 ? [`started: ${state.started.join(', ')}`] : []),
  ].join('; ')
}

export const countOf = (n: number, what: string) => `${n} ${what}${n === 1 ? '' : 's'}`
