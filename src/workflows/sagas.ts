import { z } from 'zod'
import { internal } from '../../convex/_generated/api'
import { Builder } from '../builder'
import { saga, type Saga } from '../saga'
import { ActivityLog } from '../domain/activityLog'
import { Faults } from '../domain/faults'
import type { Id } from '../../convex/_generated/dataModel'
import type { MutationCtx } from '../../convex/_generated/server'

/**
 * The seeds' sagas (docs/sagas.md), each exposed by a module in convex/examples/ and tested in
 * tests/integration/sagas-*.test.ts. Failures are injected through the input: `failAt` names the step whose
 * action throws (after it wrote, so the test sees its writes rolled back), `failCompensationOf` the steps
 * whose compensation throws.
 */

const faults = z.object({ failAt: z.string().optional(), failCompensationOf: z.array(z.string()).optional() })
type Faults = z.infer<typeof faults>

const failIf = (input: Faults, step: string) => {
  if (input.failAt === step) throw new Error(`${step} failed`)
}
const failCompensationIf = (input: Faults, step: string) => {
  if (input.failCompensationOf?.includes(step)) throw new Error(`compensating ${step} failed`)
}
const app = (ctx: unknown) => ctx as MutationCtx

const signupInput = faults.extend({ email: z.string() })
type SignupInput = z.infer<typeof signupInput>

/**
 * `001_…`'s user signup (CompensationPrimitive): create the user, send a welcome email, track the signup,
 * activate the subscription. The email cannot be unsent: its compensation only logs; tracking has no
 * compensation (`None`). Steps run one at a time and compensate in reverse order.
 */
function signup(name: string, onCompensationFailure: 'continue' | 'halt' | 'escalate') {
  return saga(name, { order: 'lifo', onCompensationFailure })
    .input(signupInput)
    .step('createUser', {
      action: async ({ mutationCtx, input }) => {
        const i = input as SignupInput
        const userId = await app(mutationCtx).db.insert('users', { email: i.email, subscription: 'none' })
        await ActivityLog.append(mutationCtx, 'createUser')
        failIf(i, 'createUser')
        return { userId }
      },
      compensate: async ({ mutationCtx, input, output }) => {
        await ActivityLog.append(mutationCtx, 'undo createUser')
        failCompensationIf(input as SignupInput, 'createUser')
        await app(mutationCtx).db.delete((output as { userId: Id<'users'> }).userId)
      },
    })
    .step('sendWelcomeEmail', {
      action: async ({ mutationCtx, input, outputs }) => {
        const i = input as SignupInput
        await app(mutationCtx).db.insert('sentEmails', { to: i.email, kind: 'welcome' })
        await ActivityLog.append(mutationCtx, 'sendWelcomeEmail')
        failIf(i, 'sendWelcomeEmail')
        return { ...(outputs.createUser as object), emailSent: true }
      },
      // An email cannot be unsent: the compensation records that it was sent for a signup that failed.
      compensate: async ({ mutationCtx, input }) => {
        await ActivityLog.append(mutationCtx, 'undo sendWelcomeEmail: logged, cannot unsend')
        failCompensationIf(input as SignupInput, 'sendWelcomeEmail')
        // A fault a test can arm and disarm between two runs of this compensation (src/domain/faults.ts).
        await Faults.at(app(mutationCtx), 'signup.sendWelcomeEmail.compensate')
      },
    })
    .step('trackSignup', {
      action: async ({ mutationCtx, input }) => {
        await ActivityLog.append(mutationCtx, 'trackSignup')
        failIf(input as SignupInput, 'trackSignup')
      },
      compensate: null,
    })
    .step('activateSubscription', {
      action: async ({ mutationCtx, input, keep }) => {
        const i = input as SignupInput
        const user = (await app(mutationCtx).db.query('users').withIndex('by_email', (q) => q.eq('email', i.email)).unique())!
        keep({ userId: user._id, subscription: user.subscription })
        await app(mutationCtx).db.patch(user._id, { subscription: 'active' })
        await ActivityLog.append(mutationCtx, 'activateSubscription')
        failIf(i, 'activateSubscription')
      },
      compensate: async ({ mutationCtx, snapshot }) => {
        const kept = snapshot as { userId: Id<'users'>; subscription: 'none' | 'active' }
        await app(mutationCtx).db.patch(kept.userId, { subscription: kept.subscription })
        await ActivityLog.append(mutationCtx, 'undo activateSubscription')
      },
    })
    .build()
}

export const signupSaga = signup('signup', 'continue')
export const haltingSignupSaga = signup('haltingSignup', 'halt')
export const escalatingSignupSaga = signup('escalatingSignup', 'escalate')
/** The signup saga counted by saga metrics (convex/examples/meteredSignupSaga.ts). */
export const meteredSignupSaga = signup('meteredSignup', 'continue')

const orderInput = faults.extend({
  orderId: z.string(),
  /** What the payment provider does on each attempt (src/domain/fakeService.ts). */
  payment: z.array(z.enum(['ok', 'fail', 'decline', 'refuse', 'slow', 'busy', 'malformed'])),
})
type OrderInput = z.infer<typeof orderInput>

/** The payment step's retry policy: `003_…`'s `.with_retries(3)` and `.with_retry_delay(1 s)`, doubling. */
export const PAYMENT_RETRY = { maxAttempts: 3, initialBackoffMs: 1_000, base: 2, jitter: false }
export const PAYMENT_TIMEOUT_MS = 5_000

/**
 * `003_…`'s order saga (SagaOrchestrator): reserve the inventory, process the payment, send the confirmation.
 * The payment is a service step against the fake provider of convex/examples/fakeService.ts, retried on
 * transient errors, failed at once on a declined card (`003_…`'s `.non_retryable()`), each attempt timed out
 * after 5 s; a payment given up while it may have run is refunded too (`compensateIfUncertain`).
 */
// Annotated: its payment names internal.examples.fakeService, and `internal`'s type includes the module exposing this saga (TS7022).
export const orderSaga: Saga<OrderInput> = saga('orderSaga', { order: 'lifo', deadlineMs: 60 * 60 * 1000 })
  .input(orderInput)
  .step('reserveInventory', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, 'reserveInventory')
      failIf(input as OrderInput, 'reserveInventory')
      return { reservationId: `res_${(input as OrderInput).orderId}` }
    },
    compensate: async ({ mutationCtx, output }) => {
      await ActivityLog.append(mutationCtx, `release ${(output as { reservationId: string }).reservationId}`)
    },
  })
  .step('processPayment', {
    service: {
      action: internal.examples.fakeService.charge,
      request: ({ input }) => ({ script: (input as OrderInput).payment }),
      retry: PAYMENT_RETRY,
      timeoutMs: PAYMENT_TIMEOUT_MS,
      nonRetryable: ['card_declined'],
      result: z.object({ chargeId: z.string() }),
    },
    compensateIfUncertain: true,
    compensate: async ({ mutationCtx, input, output }) => {
      failCompensationIf(input as OrderInput, 'processPayment')
      const charge = output as { chargeId: string } | undefined
      await ActivityLog.append(mutationCtx, charge ? `refund ${charge.chargeId}` : 'refund by idempotency key (outcome unknown)')
    },
  })
  .step('sendConfirmation', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, 'sendConfirmation')
      failIf(input as OrderInput, 'sendConfirmation')
    },
    compensate: async ({ mutationCtx }) => {
      await ActivityLog.append(mutationCtx, 'send cancellation email')
    },
  })
  .build()

/** How long a trip saga may wait for its budget's approval before it compensates. */
export const TRIP_DEADLINE_MS = 24 * 60 * 60 * 1000

/**
 * A saga that waits for a person: hold a room, have the budget approved (a human step), book the flight.
 * Canceling it, or its deadline passing, while the approval waits releases the room.
 */
export const tripSaga = saga('tripSaga', { order: 'lifo', deadlineMs: TRIP_DEADLINE_MS })
  .input(faults.extend({ traveller: z.string() }))
  .step('holdRoom', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `holdRoom for ${input.traveller}`)
      return { holdId: `hold_${input.traveller}` }
    },
    compensate: async ({ mutationCtx, output, cause }) => {
      await ActivityLog.append(mutationCtx, `release ${(output as { holdId: string }).holdId} (${cause})`)
    },
  })
  .step('approveBudget', { human: { output: z.object({ approver: z.string() }) }, compensate: null })
  .step('bookFlight', {
    action: async ({ mutationCtx, outputs }) => {
      await ActivityLog.append(mutationCtx, `bookFlight approved by ${(outputs.approveBudget as { approver: string }).approver}`)
    },
    compensate: async ({ mutationCtx }) => {
      await ActivityLog.append(mutationCtx, 'cancel flight')
    },
  })
  .build()

const shipmentInput = faults.extend({ orderId: z.string() })

/** `003_…`'s nested saga, the child: book a courier, print the label; each undone by its compensation. */
export const shipmentSaga = saga('shipmentSaga', { order: 'lifo' })
  .input(shipmentInput)
  .step('bookCourier', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `bookCourier ${input.orderId}`)
      failIf(input, 'bookCourier')
    },
    compensate: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `cancel courier ${input.orderId}`)
    },
  })
  .step('printLabel', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `printLabel ${input.orderId}`)
      failIf(input, 'printLabel')
    },
    compensate: async ({ mutationCtx, input }) => {
      failCompensationIf(input, 'printLabel')
      await ActivityLog.append(mutationCtx, `void label ${input.orderId}`)
    },
  })
  .build()

/**
 * `003_…`'s nested saga, the parent: reserve the stock, ship (the child saga), invoice. A failed child has
 * compensated itself, and the parent compensates what came before it; a later failure (the invoice) compensates
 * the finished child too, from its records.
 */
export const fulfilmentSaga = saga('fulfilmentSaga', { order: 'lifo' })
  .input(faults.extend({ orderId: z.string(), shipment: faults.optional() }))
  .step('reserveStock', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `reserveStock ${input.orderId}`)
    },
    compensate: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `release stock ${input.orderId}`)
    },
  })
  .childSaga('ship', { saga: shipmentSaga, input: ({ input }) => ({ orderId: input.orderId, ...input.shipment }) })
  .step('invoice', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, `invoice ${input.orderId}`)
      failIf(input, 'invoice')
    },
    compensate: null,
  })
  .build()

/** `003_…`'s saga orchestration: three child sagas one after the other; the first that compensates stops the rest. */
export const orchestrationSaga = saga('orchestrationSaga', { order: 'lifo' })
  .input(z.object({ failing: z.string().optional() }))
  .childSaga('first', { saga: shipmentSaga, input: ({ input }) => ({ orderId: 'first', ...(input.failing === 'first' ? { failAt: 'printLabel' } : {}) }) })
  .childSaga('second', { saga: shipmentSaga, input: ({ input }) => ({ orderId: 'second', ...(input.failing === 'second' ? { failAt: 'printLabel' } : {}) }) })
  .childSaga('third', { saga: shipmentSaga, input: ({ input }) => ({ orderId: 'third', ...(input.failing === 'third' ? { failAt: 'printLabel' } : {}) }) })
  .build()

/**
 * `003_…`'s dynamic saga: steps that run only when a condition holds, decided when they are reached. A skipped step
 * is not compensated; a human step skipped asks nobody.
 */
export const dynamicSaga = saga('dynamicSaga', { order: 'lifo' })
  .input(faults.extend({ needsValidation: z.boolean(), premium: z.boolean(), managerReview: z.boolean() }))
  .step('validate', {
    when: ({ input }) => input.needsValidation,
    action: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'validate'),
    compensate: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'undo validate'),
  })
  .step('process', {
    action: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'process'),
    compensate: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'undo process'),
  })
  .step('managerReview', { when: ({ input }) => input.managerReview, human: {}, compensate: null })
  .step('premium', {
    when: async ({ mutationCtx, input }) => input.premium && (await ActivityLog.entries(mutationCtx)).includes('process'),
    action: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'premium'),
    compensate: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'undo premium'),
  })
  .step('finish', {
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, 'finish')
      failIf(input, 'finish')
    },
    compensate: null,
  })
  .build()

/**
 * A saga with a pivot: hold a seat (compensable), charge the card (the pivot: the go/no-go step), issue the ticket
 * (after the pivot: retried until it is issued, never compensated).
 */
export const bookingSaga = saga('bookingSaga', { order: 'lifo', deadlineMs: 60 * 60 * 1000, forwardRetry: { initialBackoffMs: 1_000, base: 2, maxBackoffMs: 4_000 } })
  .input(faults.extend({ ticketFailures: z.number() }))
  .step('holdSeat', {
    action: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'holdSeat'),
    compensate: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'release seat'),
  })
  .step('chargeCard', {
    pivot: true,
    action: async ({ mutationCtx, input }) => {
      await ActivityLog.append(mutationCtx, 'chargeCard')
      failIf(input, 'chargeCard')
    },
    compensate: null,
  })
  .step('issueTicket', {
    action: async ({ mutationCtx, input, attempt }) => {
      if (attempt <= input.ticketFailures) throw new Error(`ticket system down (attempt ${attempt})`)
      await ActivityLog.append(mutationCtx, `issueTicket on attempt ${attempt}`)
    },
    compensate: null,
  })
  .build()

/** A saga hosted by an ordinary workflow (`shopWorkflow`): pack, then ship; packing is undone if shipping fails (its fault armed). */
export const packAndShipSaga = saga('packAndShip', { order: 'lifo' })
  .input(z.object({ orderId: z.string() }))
  .step('pack', {
    action: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'pack'),
    compensate: async ({ mutationCtx }) => ActivityLog.append(mutationCtx, 'unpack'),
  })
  .step('ship', {
    action: async ({ mutationCtx }) => {
      await ActivityLog.append(mutationCtx, 'ship')
      await Faults.at(app(mutationCtx), 'packAndShip.ship')
    },
    compensate: null,
  })
  .build()

/**
 * An ordinary workflow with a saga as the child of a composite task (convex/examples/shop.ts exports its
 * `workflowApi` and the saga's `sagaFunctions`): the checkout completes when the saga completes, and fails (with the
 * shop) when the saga compensated.
 */
export const shopWorkflow = Builder.workflow('shop')
  .startCondition('start')
  .compositeTask(
    'checkout',
    Builder.compositeTask(packAndShipSaga.builder).withActivities({
      onEnabled: async ({ workflow, parent }) => {
        await workflow.initialize({ orderId: parent.workflow.id } as never)
      },
    }),
  )
  .endCondition('end')
  .connectCondition('start', (to) => to.task('checkout'))
  .connectTask('checkout', (to) => to.condition('end'))
