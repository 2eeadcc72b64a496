/**
 * Worker processes (runner.ts) with a watchdog, and the replay of one net and a list of concrete
 * steps on one (runner.ts --replay), so that a step that never returns is reported as a hang after
 * `timeoutMs` instead of blocking the suite.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import type { Step } from './driver'
import type { NetSpec } from './model'

const here = dirname(fileURLToPath(import.meta.url))

/**
 * How long one step may run before its run is reported as a hang. An engine step takes
 * milliseconds; the margin is for a machine whose two cores also run the rest of the test suite,
 * where a step's reference decision and its convex-test call can stall for seconds.
 */
export const stepTimeoutMs = 20_000

/**
 * Runs runner.ts with `args` and hands every JSON line it prints to `onEvent`. A worker that prints
 * nothing for `timeoutMs` is killed after `onSilence` is called. Resolves when the worker exits.
 */
export function watchWorker(args: string[], timeoutMs: number, onEvent: (event: any) => void, onSilence: () => void): Promise<void> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'runner.ts'), ...args], { cwd: join(here, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] })
    let timer: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        onSilence()
        child.kill('SIGKILL')
      }, timeoutMs)
    }
    arm()
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      arm()
      onEvent(JSON.parse(line))
    })
    child.on('exit', () => {
      clearTimeout(timer)
      resolve()
    })
  })
}

export async function replayIsolated(spec: NetSpec, steps: Step[], timeoutMs = stepTimeoutMs): Promise<{ problem?: string; compared: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'tasknet-fuzz-')), 'case.json')
  writeFileSync(file, JSON.stringify({ spec, steps }))
  let last = 'initialize'
  let result: { problem?: string; compared: number } | undefined
  await watchWorker(
    ['--replay', file],
    timeoutMs,
    (event) => {
      if (event.t === 'step') last = event.text
      if (event.t === 'done') result = { problem: event.problem, compared: event.compared }
      if (event.t === 'crash') result = { problem: `crash: ${event.message}`, compared: 0 }
    },
    () => (result = { problem: `hang: ${last} did not return within ${timeoutMs} ms`, compared: 0 }),
  )
  return result ?? { problem: 'the worker ended without a result', compared: 0 }
}
