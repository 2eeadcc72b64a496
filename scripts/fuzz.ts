/**
 * `npm run fuzz -- --runs N --seed S [--only I]`: the random-net suite (tests/fuzz) at any size.
 * Passes the options to tests/fuzz/fuzz.test.ts as FUZZ_RUNS / FUZZ_SEED / FUZZ_ONLY.
 */
import { spawnSync } from 'node:child_process'

const args = process.argv.slice(2)
const env: Record<string, string> = { ...(process.env as Record<string, string>) }
for (const [flag, name] of [['--runs', 'FUZZ_RUNS'], ['--seed', 'FUZZ_SEED'], ['--only', 'FUZZ_ONLY']] as const) {
  const i = args.indexOf(flag)
  if (i >= 0 && args[i + 1] !== undefined) env[name] = args[i + 1]!
}
const result = spawnSync('npx', ['vitest', 'run', 'tests/fuzz/fuzz.test.ts'], { stdio: 'inherit', env })
process.exit(result.status ?? 1)
