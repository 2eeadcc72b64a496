/**
 * Which Convex components a test backend has registered, so the scheduling
 * helpers (scheduled.ts) can read the jobs of a component and of the
 * components registered below it.
 *
 * convex-test keeps its registered components out of reach (no method lists
 * them), and a component may register others under its own path:
 * `@convex-dev/workpool`'s `register(t, 'services')` also registers
 * `services/batchWorker`, where the pool's loop is scheduled. A caller who
 * names `services` means the pool, loop included, so `tasknetTest` records
 * every path passed to `registerComponent`, and a named component stands for
 * itself and every recorded path below it. On a backend made by convex-test
 * directly, nothing is recorded: the named paths are read as they are, and
 * the caller names the nested ones too.
 */

/** Where `tasknetTest` keeps the paths registered on a backend (a symbol: object spread, as in a wrapper, copies it). */
export const registeredComponents: unique symbol = Symbol('tasknet registered components')

type Accessor = {
  withIdentity: (identity: any) => any
  withRequestMetadata: (metadata: any) => any
}

type Registering = Accessor & {
  registerComponent: (componentPath: string, schema: any, modules: Record<string, () => Promise<any>>) => void
}

/** Makes `t` record the paths given to its `registerComponent`; its `withIdentity` and `withRequestMetadata` accessors share the record. */
export function recordRegisteredComponents<T extends Registering>(t: T): T {
  const paths = new Set<string>()
  const register = t.registerComponent
  t.registerComponent = (componentPath, schema, modules) => {
    register(componentPath, schema, modules)
    paths.add(componentPath)
  }
  return carry(t, paths)
}

function carry<T extends Accessor>(accessor: T, paths: Set<string>): T {
  const { withIdentity, withRequestMetadata } = accessor
  return Object.assign(accessor, {
    [registeredComponents]: paths,
    withIdentity: (identity: unknown) => carry(withIdentity(identity), paths),
    withRequestMetadata: (metadata: unknown) => carry(withRequestMetadata(metadata), paths),
  })
}

/** The paths registered on `t`, if `tasknetTest` made it (undefined otherwise). */
export function registeredPaths(t: object): ReadonlySet<string> | undefined {
  return (t as { [registeredComponents]?: Set<string> })[registeredComponents]
}
