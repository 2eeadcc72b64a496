/**
 * A fuzz case: one random net and its step intents. Run `i` of seed `S` is the first value
 * fast-check draws with seed `S + i`, so any run can be replayed alone (`--seed S --only i`).
 */
import fc from 'fast-check'
import { intentArb, type Intent } from './driver'
import { netFromSeed, netSeedArb, type NetSeed } from './generate'
import type { NetSpec } from './model'

export const STEPS_PER_NET = 25
/** The seed of `npm test` and of `npm run fuzz` without --seed. */
export const DEFAULT_SEED = 20240610

export const caseArb = fc.record({ net: netSeedArb, intents: fc.array(intentArb, { minLength: STEPS_PER_NET, maxLength: STEPS_PER_NET }) })
export type FuzzCase = { net: NetSeed; intents: Intent[] }

export function caseOf(seed: number, run: number): { spec: NetSpec; intents: Intent[] } {
  const [drawn] = fc.sample(caseArb, { seed: seed + run, numRuns: 1 })
  return { spec: netFromSeed(drawn!.net), intents: drawn!.intents }
}
