import { describe, expect, it } from 'vitest'
import { saga, verifyWorkflow, type Saga, type SagaBuilder } from '../../src'
import * as sagas from '../../src/workflows/sagas'
import * as sagas000 from '../../src/workflows/sagas000'
import * as sagas004 from '../../src/workflows/sagas004'

/**
 * Every compiled saga net is sound (docs/sagas.md#the-net, docs/verification.md): `verifyWorkflow` explores it
 * exhaustively and finds no deadlock, no improper completion and no dead task — the seeds' sagas, and generated
 * sagas up to 50 steps in every compensation order.
 */

const noop = () => undefined

/** A chain of `n` local steps, every other one without a compensation. */
function chain(n: number, order: 'lifo' | 'dependencies') {
  // Step names made in a loop: the builder's literal types cannot follow them.
  let b = saga(`chain${n}${order}`, { order }) as SagaBuilder<unknown, string>
  for (let k = 0; k < n; k++) b = b.step(`s${k}`, { action: noop, compensate: k % 2 === 0 ? noop : null, ...(order === 'dependencies' && k > 0 ? { after: [`s${k - 1}`] } : {}) })
  return b.build()
}

/** `layers` layers of `width` parallel steps, each layer after the whole layer before (order 'dependencies' or 'graph'). */
function layered(layers: number, width: number, order: 'dependencies' | 'graph') {
  let b = saga(`layered${layers}x${width}${order}`, { order }) as SagaBuilder<unknown, string>
  for (let l = 0; l < layers; l++) {
    for (let w = 0; w < width; w++) {
      const after = l === 0 ? [] : Array.from({ length: width }, (_, k) => `s${l - 1}x${k}`)
      const compensationAfter = order === 'graph' && l > 0 ? [`s${l - 1}x${w}`] : undefined
      b = b.step(`s${l}x${w}`, { action: noop, compensate: noop, after, ...(compensationAfter ? { compensationAfter } : {}) })
    }
  }
  return b.build()
}

function expectSound(s: Saga, maxStates = 200_000) {
  const result = verifyWorkflow(s.workflow, { maxStates })
  expect(result.findings, `${s.name}: ${result.findings.map((f) => f.message).join('; ')}`).toEqual([])
  expect(result, s.name).toMatchObject({ ok: true, exhaustive: true })
  return result.statesExplored
}

describe('compiled saga nets are sound', () => {
  it.each(([...Object.values(sagas), ...Object.values(sagas000), ...Object.values(sagas004)] as unknown[]).filter((v): v is Saga => typeof v === 'object' && v !== null && 'workflow' in v).map((s) => [s.name, s] as const))('%s', (_, s) => {
    expectSound(s)
  })

  it.each([10, 50])('a chain of %i steps, lifo and dependencies', (n) => {
    expectSound(chain(n, 'lifo'))
    expectSound(chain(n, 'dependencies'))
  })

  it.each([
    [25, 2, 'dependencies'],
    [25, 2, 'graph'],
    [5, 3, 'dependencies'],
  ] as const)('%i layers of %i parallel steps (%s)', (layers, width, order) => {
    expectSound(layered(layers, width, order))
  })
})
