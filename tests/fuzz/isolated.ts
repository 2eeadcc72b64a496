/**
 * Replays one net and a list of concrete steps on a worker process (runner.ts --replay), so that a
 * step that never returns is reported as a hang after `timeoutMs` instead of blocking the suite.
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

export function replayIsolated(spec: NetSpec, steps: Step[], timeoutMs = 20_000): Promise<{ problem?: string; compared: number }> {
  const file = join(mkdtempSync(join(tmpdir(), 'tasknet-fuzz-')), 'case.json')
  writeFileSync(file, JSON.stringify({ spec, steps }))
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', join(here, 'runner.ts'), '--replay', file], { cwd: join(here, '..', '..'), stdio: ['ignore', 'pipe', 'inherit'] })
    let last = 'initialize'
    let result: { problem?: string; compared: number } | undefined
    let timer: NodeJS.Timeout | undefined
    const arm = () => {
      clearTimeout(timer)
      timer = setTimeout(() => {
        result = { problem: `hang: ${last} did not return within ${timeoutMs} ms`, compared: 0 }
        child.kill('SIGKILL')
      }, timeoutMs)
    }
    arm()
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (!line.startsWith('{')) return
      const event = JSON.parse(line)
      arm()
      if (event.t === 'step') last = event.text
      if (event.t === 'done') result = { problem: event.problem, compared: event.compared }
      if (event.t === 'crash') result = { problem: `crash: ${event.message}`, compared: 0 }
    })
    child.on('exit', () => {
      clearTimeout(timer)
      resolve(result ?? { problem: 'the worker ended without a result', compared: 0 })
    })
  })
}
