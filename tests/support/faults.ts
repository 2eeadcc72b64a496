import workpool from '@convex-dev/workpool/test'
import { internal } from '../../convex/_generated/api'
import { Decisions } from '../../src/domain/choices'
import { backend, workItemMutation, type WorkItemAction } from './harness'

/**
 * A fault-matrix workflow instance (src/workflows/faults.ts), driven through the internal functions
 * of its module (convex/examples/<workflow>.ts). Every workflow of the hierarchy (the root,
 * `faultComposite`'s child) is driven through the root's functions with its own id.
 */
export type FaultWorkflow = 'faultOrder' | 'faultPlain' | 'faultComposite' | 'faultOrJoin'

export async function faultWorld(workflow: FaultWorkflow) {
  const t = backend()
  // The order's payment and refund are service work items: their attempts are queued in the `services` pool.
  workpool.register(t, 'services')
  const fns = internal.examples[workflow] as typeof internal.examples.faultComposite
  const services = internal.examples.faultOrder
  let root: any
  const w = {
    t,
    get root() {
      return root
    },
    /** Initializes the root workflow, with the initialize action's payload if it takes one (`faultOrder`). */
    async initialize(payload?: unknown) {
      root = await t.mutation(fns.internalInitializeRootWorkflow, payload === undefined ? {} : { payload: payload as never })
    },
    /** The only child workflow of `faultComposite`'s task `c`. */
    async child() {
      const [child] = await t.query(fns.getChildWorkflows, { workflowId: root, taskName: 'c' })
      return child!._id
    },
    /** Runs `action` on the newest work item of `task` in `workflowId` (the root by default). */
    async act(action: WorkItemAction, task: string, workflowId = root) {
      await w.actWith(action, task, undefined, workflowId)
    },
    /** `act` with the action's payload (`undefined`: none). */
    async actWith(action: WorkItemAction, task: string, payload: unknown, workflowId = root) {
      const item = (await t.query(fns.getWorkItems, { workflowId, taskName: task as never })).at(-1)!
      const args = { name: item.name, ...(payload === undefined ? {} : { payload }) }
      await t.mutation(workItemMutation(fns, action) as typeof fns.internalStartWorkItem, { workItemId: item._id, args: args as never })
    },
    /**
     * The work pool reports the outcome of the current attempt of `task`'s service work item: the
     * step `serviceComplete` applies it in (`applying: true`, the sub-transaction it runs itself in),
     * called directly, so that a callback throwing in it rejects here; the pool's own call would keep
     * the outcome on the call instead (tests/integration/services-unapplied.test.ts). The attempts
     * never run (fake timers).
     */
    async serviceOutcome(task: string, result: { kind: 'success'; returnValue: unknown } | { kind: 'failed'; error: string }) {
      const item = (await t.query(fns.getWorkItems, { workflowId: root, taskName: task as never })).at(-1)!
      const call = await t.query(services.getServiceCall, { workItemId: item._id })
      if (!call) throw new Error(`The work item of '${task}' (${item._id}) has no service call.`)
      await t.mutation(services.serviceComplete, { workId: `fault:${task}:${call.attempt}`, context: { workItemId: item._id, attempt: call.attempt }, result, applying: true })
    },
    async run(task: string, workflowId = root) {
      await w.act('start', task, workflowId)
      await w.act('complete', task, workflowId)
    },
    offer: (task: string) =>
      t.mutation(fns.internalInitializeWorkItem, {
        target: { workflowId: root, taskName: task as never },
        args: { name: `${task}Item` } as never,
      }),
    cancelRoot: () => t.mutation(fns.internalCancelRootWorkflow, { workflowId: root }),
    startChild: () =>
      t.mutation(fns.internalInitializeWorkflow, {
        target: { workflowId: root, taskName: 'c' },
        args: { name: 'faultChild' } as never,
      }),
    cancelChild: async () =>
      t.mutation(fns.internalCancelWorkflow, { workflowId: await w.child(), args: { name: 'faultChild' } as never }),
    /** `s` of `faultOrJoin` routes to `p` only. */
    routeOnlyP: () => t.run((ctx) => Decisions.record(ctx, root, 's', 'p')),
  }
  return w
}

export type FaultWorld = Awaited<ReturnType<typeof faultWorld>>
