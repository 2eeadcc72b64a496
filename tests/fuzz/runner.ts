/**
 * The fuzz worker, a plain Node process (run with tsx) so that a step that never returns can be
 * killed from outside: an engine step is synchronous JavaScript, and no timer in the same thread
 * fires while it runs. It prints one JSON line per event on stdout:
 *   {"t":"step","run":i,"step":k,"text":"…"}   before every call (the watchdog's heartbeat)
 *   {"t":"done","run":i,"compared":n,"inconclusive":b,"kind":…,"problem":…,"steps":[…]}
 * Usage: tsx tests/fuzz/runner.ts --seed S --from A --to B   |   --replay file.json   |   --seed S --shrink I
 * (--shrink: shrink.ts, whose events are {"t":"step"|"best"|"shrunk"|"noShrink",…}).
 */
import { readFileSync } from 'node:fs'
import { caseOf } from './cases'
import { runCase, stepText, type Step } from './driver'
import type { NetSpec } from './model'
import { shrinkOnWorker } from './shrink'

const args = process.argv.slice(2)
const arg = (name: string) => {
  const i = args.indexOf(`--${name}`)
  return i >= 0 ? args[i + 1] : undefined
}
const emit = (event: object) => process.stdout.write(`${JSON.stringify(event)}\n`)

async function main() {
  const replay = arg('replay')
  if (replay) {
    const { spec, steps } = JSON.parse(readFileSync(replay, 'utf8')) as { spec: NetSpec; steps: Step[] }
    const outcome = await runCase(spec, [], { replay: steps, onStep: (step, s) => emit({ t: 'step', run: 0, step, text: stepText(s) }) })
    emit({ t: 'done', run: 0, ...outcome })
    return
  }
  const seed = Number(arg('seed') ?? 1)
  const shrink = arg('shrink')
  if (shrink !== undefined) return shrinkOnWorker(seed, Number(shrink), emit)
  const from = Number(arg('from') ?? 0)
  const to = Number(arg('to') ?? from + 1)
  for (let run = from; run < to; run++) {
    const { spec, intents } = caseOf(seed, run)
    emit({ t: 'step', run, step: -1, text: 'initialize' })
    const outcome = await runCase(spec, intents, { onStep: (step, s) => emit({ t: 'step', run, step, text: stepText(s) }) })
    emit({ t: 'done', run, ...outcome, steps: outcome.problem ? outcome.steps : [] })
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    emit({ t: 'crash', message: String(error?.stack ?? error) })
    process.exit(1)
  },
)
