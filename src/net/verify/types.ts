import type { NetDefinition } from '../definition'

/** The public types of `verifyWorkflow`: its input, its options and what it reports. */

export type VerifyOptions = {
  /** How many distinct states to store before giving up (default 10 000). A search cut off here is not exhaustive. */
  readonly maxStates?: number
  /**
   * How many tokens a condition may hold (default 5). A state with more is reported as
   * `unbounded` and not explored further, so the search is then not exhaustive.
   */
  readonly maxTokens?: number
  /**
   * OR-splits with more outputs than this (default 10) are explored with each single output and
   * with all outputs, instead of all 2^n − 1 subsets; the search is then not exhaustive. An OR-split
   * whose route declares its target sets (`.route(fn, { targetSets })`) is explored with exactly those, at any width.
   */
  readonly maxOrSplitOutputs?: number
}

export type VerificationFindingKind = 'deadlock' | 'livelock' | 'improperCompletion' | 'deadTask' | 'unbounded'

/** A state at the end of a finding's path, as far as it explains the finding. */
export type VerificationState = {
  /** Tokens per marked condition. */
  readonly marking: Readonly<Record<string, number>>
  readonly enabled: readonly string[]
  readonly started: readonly string[]
}

export type VerificationFinding = {
  readonly kind: VerificationFindingKind
  readonly message: string
  /**
   * Steps from the initialized workflow to the state the finding is about, e.g.
   * `['start a', 'complete a → b, c']`. A completion names the targets its split
   * marked: a task for a task-to-task flow, else the condition. Dummy tasks appear
   * as the runtime runs them, `start d` then `complete d → …` at once. Empty for a dead task.
   */
  readonly path: readonly string[]
  /** The dead task; for an improper completion, the task whose completion marks the end condition. */
  readonly task?: string
  /** For `unbounded`, the condition that holds too many tokens. */
  readonly condition?: string
  /**
   * The state at the end of the path. For an improper completion, what is left
   * behind when the end condition is marked: tokens in other conditions, tasks still started.
   */
  readonly state?: VerificationState
}

export type VerificationResult = {
  /** Exhaustive and without findings: the net is sound under the abstraction of docs/verification.md. */
  readonly ok: boolean
  /**
   * Every reachable state was explored with every choice. Only then does the absence of a
   * finding mean anything, and only then are dead tasks reported. Findings are true either way.
   */
  readonly exhaustive: boolean
  /** Distinct states reached (a state: marking, enabled tasks, started tasks). */
  readonly statesExplored: number
  readonly findings: readonly VerificationFinding[]
  /** Why the search is not exhaustive; all empty or false when it is. */
  readonly limitsReached: {
    /** `maxStates` states were stored and more remained. */
    readonly maxStates: boolean
    /** Conditions that went over `maxTokens` (each also an `unbounded` finding). */
    readonly maxTokens: readonly string[]
    /** OR-splits whose subsets were sampled (`maxOrSplitOutputs`). */
    readonly orSplits: readonly string[]
    /** Dummy tasks kept firing within one step (a cycle of dummy tasks); that branch was dropped. */
    readonly dummyCascade: boolean
  }
}

/** What a user has at hand: the Builder, the built definition, or the net itself. */
export type VerifiableWorkflow = NetDefinition | { readonly net: NetDefinition } | { build(): { readonly net: NetDefinition } }
