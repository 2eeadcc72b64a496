/**
 * One way to answer a pure question from documents loaded on demand (netView.ts `evaluate`, the
 * OR-join's `StateReader`): the question reads through a view that throws `NotLoaded` for what is
 * not loaded yet; the document is loaded through the Store and the (pure, cheap) question runs
 * again. After `pointReads` such loads, one bulk read of what is active replaces the rest, so a
 * question that wanders over many documents costs a few queries, not one per document.
 */

/** Documents read one by one before a question reads in bulk instead. */
export const pointReads = 16

/** Thrown by a view asked for something it has not loaded yet; `key` names it for the loader. */
export class NotLoaded extends Error {
  constructor(readonly key: string) {
    super(`not loaded yet: ${key}`)
  }
}

export const notLoaded = (key: string): never => {
  throw new NotLoaded(key)
}

/**
 * Runs `compute` until it answers. `loaded()` counts the documents read one by one so far;
 * `loadOne(key)` reads one, `loadAll()` reads in bulk once the count reaches `pointReads` (after it,
 * the view must answer everything).
 */
export async function untilLoaded<T>(
  compute: () => T,
  loads: { loaded: () => number; loadOne: (key: string) => Promise<void>; loadAll: () => Promise<void> },
): Promise<T> {
  for (;;) {
    try {
      return compute()
    } catch (error) {
      if (!(error instanceof NotLoaded)) throw error
      if (loads.loaded() < pointReads) await loads.loadOne(error.key)
      else await loads.loadAll()
    }
  }
}
