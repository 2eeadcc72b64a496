import type { GenericDataModel, GenericQueryCtx } from 'convex/server'
import { getEvents, type JournalEvent } from '../../src/runtime/events'
import { requireWorkflow, type RootWorkflow } from '../../src/runtime/queries'
import type { WorkflowId } from '../../src/runtime/store'
import type { Names } from '../../src/builder/workflow'
import type { NetDefinition } from '../../src/net/definition'

/** One workflow's whole journal with its net: what a timeline and an HTML page are made from. */
export type RecordedWorkflow = { id: string; name: string; net: NetDefinition; events: JournalEvent[] }

/** The part of a convex-test instance this needs. */
type Runner = { run: <T>(f: (ctx: GenericQueryCtx<GenericDataModel>) => Promise<T>) => Promise<T> }

/** Reads a workflow's journal page by page through `getEvents` (a root of `root`, or one of its children). */
export async function recordWorkflow<N extends Names>(t: Runner, root: RootWorkflow<N>, workflowId: WorkflowId): Promise<RecordedWorkflow> {
  return t.run(async (ctx) => {
    const { name, definition } = await requireWorkflow(ctx.db, root, workflowId)
    const events: JournalEvent[] = []
    for (let after = 0; ; ) {
      const page = await getEvents(ctx.db, root, workflowId, { after, limit: 1000 })
      events.push(...page.events)
      if (page.isDone) break
      after = page.continueAfter
    }
    // A page replays from the first event: a journal retention has cut cannot be shown.
    if (events[0]?.sequence !== 1) throw new Error(`Workflow ${workflowId} has no journal from its first event (it starts at ${events[0]?.sequence ?? 'nothing'}).`)
    return { id: workflowId, name, net: definition.net, events }
  })
}
