import shardedCounter from '@convex-dev/sharded-counter/test'
import type { GenericDataModel, GenericMutationCtx } from 'convex/server'
import { backend, type Backend } from './harness'

/** A backend with the sharded counter registered under the name convex/convex.config.ts installs it by. */
export function meteredBackend(options: Parameters<typeof backend>[0] = {}): Backend {
  const t = backend(options)
  shardedCounter.register(t, 'shardedCounter')
  return t
}

/** A document of the component's `counters` table: one shard of one counter. */
export type CounterDoc = { _id: string; name: string; shard: number; value: number }

/**
 * Every counter document, read inside the component. convex-test runs a component's functions with
 * `runInComponent`, which its accessor carries though its types do not name it.
 */
export async function counterDocs(t: Backend): Promise<CounterDoc[]> {
  const inComponent = (t as unknown as { runInComponent: <R>(path: string, fn: (ctx: GenericMutationCtx<GenericDataModel>) => Promise<R>) => Promise<R> }).runInComponent
  const docs = await inComponent('shardedCounter', (ctx) => ctx.db.query('counters').collect())
  return docs.map((doc) => {
    const { _id, name, shard, value } = doc as unknown as CounterDoc
    return { _id, name, shard, value }
  })
}
