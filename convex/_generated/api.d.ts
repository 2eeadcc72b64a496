/* eslint-disable */
  /**
   * Generated `api` utility.
   *
   * THIS CODE IS AUTOMATICALLY GENERATED.
   *
   * To regenerate, run `npx convex dev`.
   * @module
   */
  
  import type { ApiFromModules, FilterApi, FunctionReference } from "convex/server";
  import type * as examples_deferredChoice from "../examples/deferredChoice.js";
import type * as examples_exclusiveChoice from "../examples/exclusiveChoice.js";
import type * as examples_loop from "../examples/loop.js";
import type * as examples_parallel from "../examples/parallel.js";
import type * as examples_sequence from "../examples/sequence.js";

  /**
   * A utility for referencing Convex functions in your app's API.
   *
   * Usage:
   * ```js
   * const myFunctionReference = api.myModule.myFunction;
   * ```
   */
  declare const fullApi: ApiFromModules<{
    "examples/deferredChoice": typeof examples_deferredChoice,
"examples/exclusiveChoice": typeof examples_exclusiveChoice,
"examples/loop": typeof examples_loop,
"examples/parallel": typeof examples_parallel,
"examples/sequence": typeof examples_sequence,
  }>;
  export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
  export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;
  