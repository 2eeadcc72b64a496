import { Workpool } from '@convex-dev/workpool'
import { z } from 'zod'
import { components, internal } from '../../convex/_generated/api'
import { Builder, serviceWorkItems, workflowHandlers, type EngineOptions, type WorkflowDefinition } from '../../src'
import type { WorkItemId } from '../../src/runtime/store'
import { InventoryDomain } from '../../src/domain/inventory'
import { orderWorkflow } from '../../src/workflows/order'
import { measure, stepper, type Runner, type StepCost } from './stepCost'

/**
 * What a service work item's steps cost (docs/architecture.md#service-work-items), from Convex's
 * transaction metrics (./stepCost.ts): its start, which queues attempt 1, and the completions of an
 * attempt, in a sequence of `n` tasks whose first, `charge`, is the service work item. With
 * `service: false` the same net with a plain `charge`, to tell what the service adds.
 */

/** `completeSchema`: give `charge` a custom complete action taking that payload. */
export function chargeFirst(n: number, service: boolean, completeSchema?: z.ZodType): WorkflowDefinition {
  const actions = Builder.workItemActions().start(z.object({ script: z.array(z.string()) }), async ({ workItem }) => workItem.start())
  const chargeItem = Builder.workItem('charge').withActions(completeSchema ? actions.complete(completeSchema, async ({ workItem }) => workItem.complete()) : actions)
  const item = service ? chargeItem.service({ action: internal.examples.fakeService.charge, retry: { maxAttempts: 3, initialBackoffMs: 1_000, base: 2 } }) : chargeItem
  const offered = <W extends Parameters<typeof Builder.task>[0]>(w: W) =>
    Builder.task(w).withActivities({
      onEnabled: async ({ workItem }) => {
        await workItem.initialize()
      },
    })
  const rest = Array.from({ length: n - 1 }, (_, k) => `t${k + 1}`)
  // Task names made in a loop, which the Builder's literal types cannot follow (as src/workflows/synthetic.ts).
  type Flows = { task(name: string): Flows; condition(name: string): Flows }
  type Net = {
    startCondition(name: string): Net
    endCondition(name: string): Net
    task(name: string, task: object): Net
    connectCondition(name: string, flows: (to: Flows) => Flows): Net
    connectTask(name: string, flows: (to: Flows) => Flows): Net
    build(): WorkflowDefinition
  }
  let wf = (Builder.workflow(`chargeFirst${n}`) as unknown as Net).startCondition('start').task('charge', offered(item))
  for (const name of rest) wf = wf.task(name, offered(Builder.workItem('w')))
  wf = wf.endCondition('end').connectCondition('start', (to) => to.task('charge'))
  ;['charge', ...rest].forEach((name, k) => {
    const next = rest[k]
    wf = wf.connectTask(name, (to) => (next === undefined ? to.condition('end') : to.task(next)))
  })
  return wf.build()
}

export type ServiceCosts = { start: StepCost; success: StepCost; retry: StepCost; failure: StepCost }

/**
 * The costs in a net of `n` tasks: `start` (attempt 1 queued), `success` (the attempt's completion
 * that completes the work item), `retry` (a failed attempt's completion that queues the next) and
 * `failure` (the last attempt's failure, which fails the work item), each on a fresh instance.
 * The completions are called as the work pool calls them; no action runs.
 */
export async function serviceCosts(t: Runner, n: number): Promise<ServiceCosts> {
  const options: EngineOptions = { self: () => internal.examples.charge, services: serviceWorkItems({ pool: new Workpool(components.services, { logLevel: 'ERROR' }) }) }
  const definition = chargeFirst(n, true)
  const handlers = workflowHandlers(definition, options)
  const started = async () => {
    const wf = stepper(t, definition, options)
    await wf.initialize()
    const item = await wf.workItemOf('charge')
    const workItemId = item._id as WorkItemId
    const { cost } = await measure(t, (ctx) => handlers.internal.startWorkItem(ctx, { workItemId, args: { name: 'charge', payload: { script: [] } } }))
    return { workItemId, start: cost }
  }
  const complete = async (workItemId: WorkItemId, attempt: number, result: { kind: 'success'; returnValue: unknown } | { kind: 'failed'; error: string }) =>
    // `applying`: the sub-transaction in which serviceComplete applies the outcome, all of its reads and writes
    // (convex-test's metrics of the caller do not count a sub-transaction's; Convex's limits do).
    (await measure(t, (ctx) => handlers.services!.serviceComplete(ctx, { workId: 'measured', context: { workItemId, attempt }, result, applying: true }))).cost

  const first = await started()
  const success = await complete(first.workItemId, 1, { kind: 'success', returnValue: { chargeId: 'ch_1' } })
  const second = await started()
  const retry = await complete(second.workItemId, 1, { kind: 'failed', error: 'unavailable' })
  await complete(second.workItemId, 2, { kind: 'failed', error: 'unavailable' })
  const failure = await complete(second.workItemId, 3, { kind: 'failed', error: 'unavailable' })
  return { start: first.start, success, retry, failure }
}

/** The same net's plain steps: starting and completing `charge` without a service. */
export async function plainCosts(t: Runner, n: number): Promise<{ start: StepCost; complete: StepCost }> {
  const wf = stepper(t, chargeFirst(n, false))
  await wf.initialize()
  const item = await wf.workItemOf('charge')
  const { cost: start } = await measure(t, (ctx) =>
    workflowHandlers(chargeFirst(n, false)).internal.startWorkItem(ctx, { workItemId: item._id, args: { name: 'charge', payload: { script: [] } } }),
  )
  const complete = await wf.complete('charge')
  return { start, complete }
}

/**
 * The order's payment (src/workflows/order.ts), a service work item on the order's happy path: starting
 * chargePayment (the hold placed, the capture queued in a fresh pool) and the capture's completion
 * (`serviceComplete` as the pool calls it, with the charge id the provider would return), each measured.
 */
export async function orderPaymentCosts(t: Runner): Promise<{ start: StepCost; captured: StepCost }> {
  for (const [productId, name, quantity] of [['widget', 'Widget', 10], ['gadget', 'Gadget', 5]] as const) {
    await t.run((ctx) => InventoryDomain.restock(ctx, { productId, name, quantity }))
  }
  const options: EngineOptions = { self: () => internal.orders, services: serviceWorkItems({ pool: new Workpool(components.services, { logLevel: 'ERROR' }) }) }
  const definition = orderWorkflow.build()
  const wf = stepper(t, definition, options)
  await wf.initialize({ customerId: 'alice', items: [{ productId: 'widget', quantity: 3 }, { productId: 'gadget', quantity: 1 }], card: '4242 4242 4242 4242', amount: 120 })
  await wf.run('validateOrder', 'reserveInventory')
  const start = await wf.start('chargePayment')
  const workItemId = (await wf.workItemOf('chargePayment'))._id as WorkItemId
  const services = workflowHandlers(definition, options).services!
  const result = { kind: 'success' as const, returnValue: { chargeId: `ch_tasknet:${workItemId}` } }
  const { cost: captured } = await measure(t, (ctx) => services.serviceComplete(ctx, { workId: 'measured', context: { workItemId, attempt: 1 }, result }))
  return { start, captured }
}
