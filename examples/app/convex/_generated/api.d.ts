/* eslint-disable */
  /**
   * Generated `api` utility.
   *
   * THIS CODE IS AUTOMATICALLY GENERATED.
   *
   * To regenerate, run `npx convex dev`.
   * @module
   */
  
import type * as approval from "../approval.js";
import type * as booking from "../booking.js";
import type * as mailer from "../mailer.js";
import type * as welcome from "../welcome.js";

    import type {
      ApiFromModules,
      FilterApi,
      FunctionReference,
    } from "convex/server";

    declare const fullApi: ApiFromModules<{
  
  "approval": typeof approval,
  "booking": typeof booking,
  "mailer": typeof mailer,
  "welcome": typeof welcome,
}>;

    
  /**
     * A utility for referencing Convex functions in your app's public API.
     *
     * Usage:
     * ```js
     * const myFunctionReference = api.myModule.myFunction;
     * ```
     */
    export declare const api: FilterApi<typeof fullApi, FunctionReference<any, "public">>;
    
  /**
     * A utility for referencing Convex functions in your app's internal API.
     *
     * Usage:
     * ```js
     * const myFunctionReference = internal.myModule.myFunction;
     * ```
     */
    export declare const internal: FilterApi<typeof fullApi, FunctionReference<any, "internal">>;
  

  export declare const components: {
  "mailer": import("@convex-dev/workpool/_generated/component.js").ComponentApi<"mailer">,
};