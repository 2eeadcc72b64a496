import { nonRetryable } from '../../src'
import type { FaultWorkflow, FaultWorld } from './faults'
import { DECLINED_CARD_NUMBER, order, stockUp } from './orders'

/**
 * The steps of the fault matrix: for each workflow, a step of the engine, how to drive the workflow
 * up to it (`prepare`), and every callback site the step calls (`sites`, sorted). The control test
 * checks that the step calls exactly these sites; the fault tests arm each one in turn.
 */
export type Scenario = {
  workflow: FaultWorkflow
  step: string
  prepare: (w: FaultWorld) => Promise<unknown>
  run: (w: FaultWorld) => Promise<unknown>
  /** Space-separated, sorted. */
  sites: string
}
type StepCase = Omit<Scenario, 'workflow'>

type Drive = (w: FaultWorld) => Promise<unknown>
type Action = Parameters<FaultWorld['act']>[0]

const nothing: Drive = async () => undefined
const initialized: Drive = (w) => w.initialize()
/** `action` on the newest work item of `task` in the root workflow. */
const act =
  (action: Action, task: string): Drive =>
  (w) =>
    w.act(action, task)
/** Starts and completes the work item of `task`. */
const ran =
  (task: string): Drive =>
  (w) =>
    w.run(task)
/** Drives `parts` in order. */
const chain =
  (...parts: Drive[]): Drive =>
  async (w) => {
    for (const part of parts) await part(w)
  }
const started = (task: string) => chain(initialized, act('start', task))

/**
 * The order workflow (src/workflows/order.ts with its sites added, `faultOrder`), driven as
 * tests/integration/order.test.ts drives it: the catalogue stocked, an order initialized with its
 * payload. Its scheduled functions and the work pool's jobs never run here (the tests use fake
 * timers): the payment provider's outcomes are the steps in which `serviceComplete` applies them,
 * called directly (`serviceOutcome`), so that a callback that throws in them rejects the step.
 */
const ordered =
  (card?: string): Drive =>
  async (w) => {
    await stockUp(w.t)
    await w.initialize(order(card ? { card } : {}))
  }
const stocked: Drive = (w) => stockUp(w.t)
const validated = (card?: string) => chain(ordered(card), ran('validateOrder'))
const readyToPay = (card?: string) => chain(validated(card), ran('reserveInventory'))
/** The provider's outcomes of an attempt (convex/payments.ts): a capture or refund id, or a decline. */
const captured: Drive = (w) => w.serviceOutcome('chargePayment', { kind: 'success', returnValue: { chargeId: 'ch_fault' } })
const declined: Drive = (w) => w.serviceOutcome('chargePayment', { kind: 'failed', error: nonRetryable('card_declined').message })
const refunded: Drive = (w) => w.serviceOutcome('refundPayment', { kind: 'success', returnValue: { refundId: 're_fault' } })
const chargeQueued = (card?: string) => chain(readyToPay(card), act('start', 'chargePayment'))
const refundPending = chain(chargeQueued(DECLINED_CARD_NUMBER), declined)

const orderSteps: StepCase[] = [
  {
    step: 'initialize the workflow (a draft order; validateOrder is offered)',
    prepare: stocked,
    run: (w) => w.initialize(order()),
    sites: 'order.initialize validateOrder.onEnabled',
  },
  {
    step: 'complete validateOrder (the order is processing; reserveInventory is offered and holds the stock)',
    prepare: chain(ordered(), act('start', 'validateOrder')),
    run: act('complete', 'validateOrder'),
    sites: 'reserveInventory.onEnabled reserveInventoryItem.initialize validateOrderItem.complete',
  },
  {
    step: 'start reserveInventory',
    prepare: validated(),
    run: act('start', 'reserveInventory'),
    sites: 'reserveInventory.onWorkItemStateChanged',
  },
  {
    step: 'complete reserveInventory (the reservation is confirmed; chargePayment is offered)',
    prepare: chain(validated(), act('start', 'reserveInventory')),
    run: act('complete', 'reserveInventory'),
    sites: 'chargePayment.onEnabled reserveInventory.onWorkItemStateChanged reserveInventoryItem.complete',
  },
  {
    step: "cancel reserveInventory's started work item (its reservation is released; chargePayment is offered)",
    prepare: chain(validated(), act('start', 'reserveInventory')),
    run: act('cancel', 'reserveInventory'),
    sites: 'chargePayment.onEnabled reserveInventory.onWorkItemStateChanged',
  },
  {
    step: "start chargePayment (the hold is placed; the provider's capture is queued)",
    prepare: readyToPay(),
    run: act('start', 'chargePayment'),
    sites: 'chargePaymentItem.start',
  },
  {
    step: 'the provider captures the hold (captured; routeDecision routes to the end; the order is completed)',
    prepare: chargeQueued(),
    run: captured,
    sites:
      'chargePayment.policy chargePaymentItem.complete order.onCompleted routeDecision.onEnabled routeDecision.route routeDecisionItem.onInitialized routeDecisionItem.onStarted',
  },
  {
    step: "the provider declines the capture (not retried; the policy completes it; routeDecision routes into compensation; the provider's refund is queued)",
    prepare: chargeQueued(DECLINED_CARD_NUMBER),
    run: declined,
    sites:
      'chargePayment.policy chargePaymentItem.fail chargePaymentItem.onFailed refundPayment.onEnabled refundPaymentItem.initialize refundPaymentItem.onInitialized routeDecision.onEnabled routeDecision.route routeDecisionItem.onInitialized routeDecisionItem.onStarted',
  },
  {
    step: "the provider's refund completes refundPayment (stock released, customer told, the order is compensated)",
    prepare: refundPending,
    run: refunded,
    sites:
      'notifyFailure.onEnabled notifyFailureItem.initialize notifyFailureItem.onInitialized notifyFailureItem.onStarted order.onCompleted refundPaymentItem.complete releaseInventory.onEnabled releaseInventoryItem.initialize releaseInventoryItem.onInitialized releaseInventoryItem.onStarted',
  },
  {
    step: 'cancel the workflow with reserveInventory offered (its reservation is released)',
    prepare: validated(),
    run: (w) => w.cancelRoot(),
    sites: 'order.onCanceled reserveInventory.onWorkItemStateChanged',
  },
  {
    step: 'cancel the workflow with reserveInventory started (its reservation is released)',
    prepare: chain(validated(), act('start', 'reserveInventory')),
    run: (w) => w.cancelRoot(),
    sites: 'order.onCanceled reserveInventory.onWorkItemStateChanged',
  },
  {
    step: "cancel the workflow while the refund is queued (the hold is voided, the provider's refund canceled)",
    prepare: refundPending,
    run: (w) => w.cancelRoot(),
    sites: 'order.onCanceled',
  },
]

const plain: StepCase[] = [
  {
    step: 'initialize the workflow',
    prepare: nothing,
    run: initialized,
    sites:
      'a.onEnabled aItem.initialize aItem.onInitialized d.onEnabled dItem.initialize dItem.onInitialized faultPlain.initialize faultPlain.onInitialized',
  },
  {
    step: 'offer another a from outside',
    prepare: initialized,
    run: (w) => w.offer('a'),
    sites: 'aItem.initialize aItem.onInitialized',
  },
  {
    step: 'start a (d is disabled)',
    prepare: initialized,
    run: act('start', 'a'),
    sites:
      'a.onStarted a.onWorkItemStateChanged aItem.onStarted aItem.start d.onDisabled d.onWorkItemStateChanged dItem.onCanceled faultPlain.onStarted',
  },
  {
    step: 'complete a (routes to b)',
    prepare: started('a'),
    run: act('complete', 'a'),
    sites:
      'a.onCompleted a.onWorkItemStateChanged a.policy a.route aItem.complete aItem.onCompleted b.onEnabled bItem.initialize bItem.onInitialized',
  },
  {
    step: 'fail a (the workflow fails)',
    prepare: started('a'),
    run: act('fail', 'a'),
    sites: 'a.onFailed a.onWorkItemStateChanged a.policy aItem.fail aItem.onFailed faultPlain.onFailed',
  },
  {
    step: 'cancel a started a (a completes)',
    prepare: started('a'),
    run: act('cancel', 'a'),
    sites:
      'a.onCompleted a.onWorkItemStateChanged a.policy a.route aItem.cancel aItem.onCanceled b.onEnabled bItem.initialize bItem.onInitialized',
  },
  {
    step: 'reset a',
    prepare: started('a'),
    run: act('reset', 'a'),
    sites: 'a.onWorkItemStateChanged aItem.onReset aItem.reset',
  },
  {
    step: 'cancel the workflow with a enabled',
    prepare: initialized,
    run: (w) => w.cancelRoot(),
    sites:
      'a.onCanceled a.onWorkItemStateChanged aItem.onCanceled d.onCanceled d.onWorkItemStateChanged dItem.onCanceled faultPlain.cancel faultPlain.onCanceled',
  },
  {
    step: 'cancel the workflow with a started',
    prepare: started('a'),
    run: (w) => w.cancelRoot(),
    sites: 'a.onCanceled a.onWorkItemStateChanged aItem.onCanceled faultPlain.cancel faultPlain.onCanceled',
  },
  {
    step: 'complete b (the workflow completes)',
    prepare: chain(initialized, ran('a'), act('start', 'b')),
    run: act('complete', 'b'),
    sites: 'b.onCompleted b.onWorkItemStateChanged b.policy bItem.complete bItem.onCompleted faultPlain.onCompleted',
  },
]

const childStarted = async (w: FaultWorld) => {
  await w.initialize()
  await w.act('start', 'x', await w.child())
}
const inChild = (action: 'start' | 'complete' | 'fail' | 'cancel' | 'reset') => async (w: FaultWorld) =>
  w.act(action, 'x', await w.child())

const composite: StepCase[] = [
  {
    step: 'initialize the workflow (c starts a child)',
    prepare: nothing,
    run: initialized,
    sites:
      'c.onEnabled e.onEnabled eItem.initialize eItem.onInitialized faultChild.initialize faultChild.onInitialized faultComposite.initialize faultComposite.onInitialized x.onEnabled xItem.initialize xItem.onInitialized',
  },
  {
    step: 'start another child from outside',
    prepare: initialized,
    run: (w) => w.startChild(),
    sites: 'faultChild.initialize faultChild.onInitialized x.onEnabled xItem.initialize xItem.onInitialized',
  },
  {
    step: 'start x (the child and c start)',
    prepare: initialized,
    run: inChild('start'),
    sites:
      'c.onStarted c.onWorkflowStateChanged e.onDisabled e.onWorkItemStateChanged eItem.onCanceled faultChild.onStarted faultComposite.onStarted x.onStarted x.onWorkItemStateChanged xItem.onStarted xItem.start',
  },
  {
    step: 'complete x (the child, c and the workflow complete)',
    prepare: childStarted,
    run: inChild('complete'),
    sites:
      'c.onCompleted c.onWorkflowStateChanged c.policy faultChild.onCompleted faultComposite.onCompleted x.onCompleted x.onWorkItemStateChanged x.policy x.route xItem.complete xItem.onCompleted',
  },
  {
    step: 'fail x (the child, c and the workflow fail)',
    prepare: childStarted,
    run: inChild('fail'),
    sites:
      'c.onFailed c.onWorkflowStateChanged c.policy faultChild.onFailed faultComposite.onFailed x.onFailed x.onWorkItemStateChanged x.policy xItem.fail xItem.onFailed',
  },
  {
    step: 'cancel a started x',
    prepare: childStarted,
    run: inChild('cancel'),
    sites:
      'c.onCompleted c.onWorkflowStateChanged c.policy faultChild.onCompleted faultComposite.onCompleted x.onCompleted x.onWorkItemStateChanged x.policy x.route xItem.cancel xItem.onCanceled',
  },
  {
    step: 'reset x',
    prepare: childStarted,
    run: inChild('reset'),
    sites: 'x.onWorkItemStateChanged xItem.onReset xItem.reset',
  },
  {
    step: 'cancel the child (c completes)',
    prepare: childStarted,
    run: (w) => w.cancelChild(),
    sites:
      'c.onCompleted c.onWorkflowStateChanged c.policy faultChild.cancel faultChild.onCanceled faultComposite.onCompleted x.onCanceled x.onWorkItemStateChanged xItem.onCanceled',
  },
  {
    step: 'cancel the workflow (the child is torn down)',
    prepare: childStarted,
    run: (w) => w.cancelRoot(),
    sites:
      'c.onCanceled c.onWorkflowStateChanged faultChild.onCanceled faultComposite.cancel faultComposite.onCanceled x.onCanceled x.onWorkItemStateChanged xItem.onCanceled',
  },
  {
    step: 'start e (c is disabled, its child canceled)',
    prepare: initialized,
    run: act('start', 'e'),
    sites:
      'c.onDisabled c.onWorkflowStateChanged e.onStarted e.onWorkItemStateChanged eItem.onStarted eItem.start faultChild.onCanceled faultComposite.onStarted x.onCanceled x.onWorkItemStateChanged xItem.onCanceled',
  },
]

/** `s` has completed, routing to `p` and `q`, or to `p` only. */
const afterS = (onlyP: boolean) => chain(initialized, ...(onlyP ? [(w: FaultWorld) => w.routeOnlyP()] : []), ran('s'))
const orJoin: StepCase[] = [
  {
    step: 'initialize the workflow',
    prepare: nothing,
    run: initialized,
    sites: 'faultOrJoin.initialize faultOrJoin.onInitialized s.onEnabled sItem.initialize sItem.onInitialized',
  },
  {
    step: 'start s',
    prepare: initialized,
    run: act('start', 's'),
    sites: 'faultOrJoin.onStarted s.onStarted s.onWorkItemStateChanged sItem.onStarted sItem.start',
  },
  {
    step: 'complete s (routes to p and q)',
    prepare: started('s'),
    run: act('complete', 's'),
    sites:
      'p.onEnabled pItem.initialize pItem.onInitialized q.onEnabled qItem.initialize qItem.onInitialized s.onCompleted s.onWorkItemStateChanged s.policy s.route sItem.complete sItem.onCompleted',
  },
  {
    step: 'complete p while q may still come (j waits)',
    prepare: chain(afterS(false), act('start', 'p')),
    run: act('complete', 'p'),
    sites: 'p.onCompleted p.onWorkItemStateChanged p.policy pItem.complete pItem.onCompleted',
  },
  {
    step: 'complete q after p (j is enabled)',
    prepare: chain(afterS(false), ran('p'), act('start', 'q')),
    run: act('complete', 'q'),
    sites:
      'j.onEnabled jItem.initialize jItem.onInitialized q.onCompleted q.onWorkItemStateChanged q.policy qItem.complete qItem.onCompleted',
  },
  {
    step: 'complete p with q routed away (j is enabled)',
    prepare: chain(afterS(true), act('start', 'p')),
    run: act('complete', 'p'),
    sites:
      'j.onEnabled jItem.initialize jItem.onInitialized p.onCompleted p.onWorkItemStateChanged p.policy pItem.complete pItem.onCompleted',
  },
  {
    step: 'fail p while q is enabled (the workflow fails, q is disabled)',
    prepare: chain(afterS(false), act('start', 'p')),
    run: act('fail', 'p'),
    sites:
      'faultOrJoin.onFailed p.onFailed p.onWorkItemStateChanged p.policy pItem.fail pItem.onFailed q.onDisabled q.onWorkItemStateChanged qItem.onCanceled',
  },
  {
    step: 'reset p',
    prepare: chain(afterS(false), act('start', 'p')),
    run: act('reset', 'p'),
    sites: 'p.onWorkItemStateChanged pItem.onReset pItem.reset',
  },
  {
    step: 'cancel a started p (p completes, j waits)',
    prepare: chain(afterS(false), act('start', 'p')),
    run: act('cancel', 'p'),
    sites: 'p.onCompleted p.onWorkItemStateChanged p.policy pItem.cancel pItem.onCanceled',
  },
  {
    step: 'fail q after p (the workflow fails)',
    prepare: chain(afterS(false), ran('p'), act('start', 'q')),
    run: act('fail', 'q'),
    sites: 'faultOrJoin.onFailed q.onFailed q.onWorkItemStateChanged q.policy qItem.fail qItem.onFailed',
  },
  {
    step: 'complete j (the workflow completes)',
    prepare: chain(afterS(true), ran('p'), act('start', 'j')),
    run: act('complete', 'j'),
    sites: 'faultOrJoin.onCompleted j.onCompleted j.onWorkItemStateChanged j.policy jItem.complete jItem.onCompleted',
  },
  {
    step: 'cancel the workflow with p started and q enabled',
    prepare: chain(afterS(false), act('start', 'p')),
    run: (w) => w.cancelRoot(),
    sites:
      'faultOrJoin.cancel faultOrJoin.onCanceled p.onCanceled p.onWorkItemStateChanged pItem.onCanceled q.onCanceled q.onWorkItemStateChanged qItem.onCanceled',
  },
]

const inWorkflow = (workflow: FaultWorkflow, cases: StepCase[]): Scenario[] => cases.map((c) => ({ ...c, workflow }))

export const scenarios: Scenario[] = [
  ...inWorkflow('faultOrder', orderSteps),
  ...inWorkflow('faultPlain', plain),
  ...inWorkflow('faultComposite', composite),
  ...inWorkflow('faultOrJoin', orJoin),
]
