/**
 * `npm run fuzz -- --runs N --seed S [--only I]`: the random-net suite (tests/fuzz) at any size.
 * Passes the options to tests/fuzz/fuzz.test.ts as FUZZ_RUNS / FUZZ_SEED / FUZZ_ONLY.
 *
 * `npm run fuzz -- --seed S --only I --shrink`: replays run I of seed S on a worker process and, if
 * it fails (a divergence, an invariant violation, an OR-join bound failure), shrinks it and prints
 * the minimal case and a named test for tests/fuzz/regressions.test.ts (tests/fuzz/shrink.ts). A
 * hang is reported, not shrunk.
 */
import { spawnSync } from 'node:child_process'
import { DEFAULT_SEED } from '../tests/fuzz/cases'
import { shrinkIsolated } from '../tests/fuzz/shrink'

const args = process.argv.slice(2)
const value = (flag: string) => {
  const i = args.indexOf(flag)
  return i >= 0 ? args[i + 1] : undefined
}

if (args.includes('--shrink')) {
  const only = value('--only')
  if (only === undefined) {
    console.error('--shrink shrinks one run: npm run fuzz -- --seed S --only I --shrink')
    process.exit(2)
  }
  const { ok, text } = await shrinkIsolated(Number(value('--seed') ?? DEFAULT_SEED), Number(only))
  console.log(text)
  process.exit(ok ? 0 : 1)
}

const env: Record<string, string> = { ...(process.env as Record<string, string>) }
for (const [flag, name] of [['--runs', 'FUZZ_RUNS'], ['--seed', 'FUZZ_SEED'], ['--only', 'FUZZ_ONLY']] as const) {
  if (value(flag) !== undefined) env[name] = value(flag)!
}
const result = spawnSync('npx', ['vitest', 'run', 'tests/fuzz/fuzz.test.ts'], { stdio: 'inherit', env })
process.exit(result.status ?? 1)
