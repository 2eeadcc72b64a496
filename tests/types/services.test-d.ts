import type { FunctionReturnType } from 'convex/server'
import { Workpool } from '@convex-dev/workpool'
import { describe, expectTypeOf, it } from 'vitest'
import { components, internal } from '../../convex/_generated/api'
import { Builder, serviceWorkItems, workflowApi, type ServiceCallSummary, type ServicePool } from '../../src'
import { sequenceWorkflow } from '../../src/workflows/basics'

/** The service functions exist only where `services` is given; the installed Workpool is a ServicePool. */
describe('service work items', () => {
  const pool = new Workpool(components.services, {})

  it('generates serviceRun, serviceComplete, serviceTimeout and getServiceCall for a workflowApi given services, not otherwise', () => {
    const plain = workflowApi(sequenceWorkflow)
    expectTypeOf(plain).not.toHaveProperty('serviceComplete')
    expectTypeOf(plain).not.toHaveProperty('getServiceCall')
    const served = workflowApi(sequenceWorkflow, { services: serviceWorkItems({ pool }), self: () => internal.examples.charge })
    expectTypeOf(served).toHaveProperty('serviceRun')
    expectTypeOf(served).toHaveProperty('serviceComplete')
    expectTypeOf(served).toHaveProperty('serviceTimeout')
    expectTypeOf(served).toHaveProperty('getServiceCall')
    expectTypeOf<FunctionReturnType<typeof internal.examples.charge.getServiceCall>>().toEqualTypeOf<ServiceCallSummary | null>()
  })

  it("accepts @convex-dev/workpool's Workpool as the pool", () => {
    expectTypeOf(pool).toMatchTypeOf<ServicePool>()
  })

  it('takes an internal action, and refuses a mutation', () => {
    Builder.workItem('charge').service({ action: internal.examples.fakeService.charge })
    // @ts-expect-error a service is carried out by an action: a mutation cannot call the outside world
    Builder.workItem('charge').service({ action: internal.examples.fakeService.received })
  })
})
