/// <reference types="vite/client" />
import workpool from '@convex-dev/workpool/test'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { runScheduledInTimeOrder, tasknetTest, workflowDriver } from 'tasknet/testing'
import { internal } from '../convex/_generated/api.js'
import schema from '../convex/schema.js'
import { MAIL_RETRY } from '../src/workflows/welcome.js'

const modules = import.meta.glob('../convex/**/*.ts')

beforeEach(() => {
  vi.useFakeTimers()
  // convex-test prints every failed attempt; here they are the provider's planned 503s.
  vi.spyOn(console, 'error').mockImplementation(() => {})
})
afterEach(() => {
  vi.restoreAllMocks()
  vi.useRealTimers()
})

/** A backend with this app's schema and the `mailer` work pool, and a welcome workflow for `email`, started. */
async function welcomed(email: string) {
  const t = tasknetTest(schema, modules)
  workpool.register(t, 'mailer')
  const wf = workflowDriver(t, internal.welcome)
  await wf.initialize({ email })
  const workItem = await wf.workItemOf('sendWelcome')
  return { t, wf, workItemId: workItem._id }
}

describe('the welcome email, a service work item', () => {
  it('retries the provider’s 503 after the policy’s backoff, with one idempotency key, and completes with the message id', async () => {
    const { t, wf, workItemId } = await welcomed('ada@example.com')
    expect(await t.query(internal.welcome.getServiceCall, { workItemId })).toMatchObject({ state: 'calling', attempt: 1 })

    await runScheduledInTimeOrder(t, vi, { components: ['mailer'] })

    const key = `tasknet:${workItemId}`
    const requests = await t.run((ctx) => ctx.db.query('mailRequests').collect())
    expect(requests.map((r) => [r.attempt, r.to, r.idempotencyKey])).toEqual([
      [1, 'ada@example.com', key],
      [2, 'ada@example.com', key],
    ])
    // The second attempt waited out the backoff (the pool looks for due work every 100 ms or so).
    expect(requests[1]!.at - requests[0]!.at).toBeGreaterThanOrEqual(MAIL_RETRY.initialBackoffMs - 100)
    expect(requests[1]!.at - requests[0]!.at).toBeLessThan(MAIL_RETRY.initialBackoffMs * MAIL_RETRY.base)
    expect(await t.query(internal.welcome.getServiceCall, { workItemId })).toMatchObject({
      state: 'succeeded',
      attempt: 2,
      lastError: expect.stringContaining('503'),
      result: { messageId: `msg_${key}` },
    })
    expect(await wf.state()).toBe('completed')
    const [member] = await t.run((ctx) => ctx.db.query('members').collect())
    expect(member!.welcomeMessageId).toBe(`msg_${key}`)
  })

  it('fails at once, without a retry, on an address the provider refuses', async () => {
    const { t, wf, workItemId } = await welcomed('not-an-address')
    await runScheduledInTimeOrder(t, vi, { components: ['mailer'] })

    expect(await t.run((ctx) => ctx.db.query('mailRequests').collect())).toHaveLength(1)
    expect(await t.query(internal.welcome.getServiceCall, { workItemId })).toMatchObject({ state: 'failed', attempt: 1, lastError: expect.stringContaining('invalid_recipient') })
    expect(await wf.snapshot()).toMatchObject({ workflow: 'failed', workItems: ['sendWelcome#1:failed'] })
  })
})
