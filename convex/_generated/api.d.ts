/* eslint-disable */
  /**
   * Generated `api` utility.
   *
   * THIS CODE IS AUTOMATICALLY GENERATED.
   *
   * To regenerate, run `npx convex dev`.
   * @module
   */
  
import type * as activityLog from "../activityLog.js";
import type * as examples_approval from "../examples/approval.js";
import type * as examples_bookingSaga from "../examples/bookingSaga.js";
import type * as examples_cancelRegion from "../examples/cancelRegion.js";
import type * as examples_cancelRegionFlow from "../examples/cancelRegionFlow.js";
import type * as examples_charge from "../examples/charge.js";
import type * as examples_contract from "../examples/contract.js";
import type * as examples_deferredChoice from "../examples/deferredChoice.js";
import type * as examples_documentReview from "../examples/documentReview.js";
import type * as examples_dummyCycle from "../examples/dummyCycle.js";
import type * as examples_dummyLoop from "../examples/dummyLoop.js";
import type * as examples_dummyReleasesOrJoin from "../examples/dummyReleasesOrJoin.js";
import type * as examples_dynamicSaga from "../examples/dynamicSaga.js";
import type * as examples_escalatedReview from "../examples/escalatedReview.js";
import type * as examples_escalatingSignupSaga from "../examples/escalatingSignupSaga.js";
import type * as examples_escalation from "../examples/escalation.js";
import type * as examples_exclusiveChoice from "../examples/exclusiveChoice.js";
import type * as examples_fakeService from "../examples/fakeService.js";
import type * as examples_faultCharge from "../examples/faultCharge.js";
import type * as examples_faultComposite from "../examples/faultComposite.js";
import type * as examples_faultOrJoin from "../examples/faultOrJoin.js";
import type * as examples_faultOrder from "../examples/faultOrder.js";
import type * as examples_faultPlain from "../examples/faultPlain.js";
import type * as examples_faultyRoute from "../examples/faultyRoute.js";
import type * as examples_followUp from "../examples/followUp.js";
import type * as examples_fulfilment from "../examples/fulfilment.js";
import type * as examples_fulfilmentSaga from "../examples/fulfilmentSaga.js";
import type * as examples_haltingPurchaseSaga from "../examples/haltingPurchaseSaga.js";
import type * as examples_haltingSignupSaga from "../examples/haltingSignupSaga.js";
import type * as examples_handedOverReview from "../examples/handedOverReview.js";
import type * as examples_loop from "../examples/loop.js";
import type * as examples_metered from "../examples/metered.js";
import type * as examples_meteredSignupSaga from "../examples/meteredSignupSaga.js";
import type * as examples_offer from "../examples/offer.js";
import type * as examples_orJoinBounded from "../examples/orJoinBounded.js";
import type * as examples_orJoinDeferred from "../examples/orJoinDeferred.js";
import type * as examples_orJoinRegion from "../examples/orJoinRegion.js";
import type * as examples_orJoinReopen from "../examples/orJoinReopen.js";
import type * as examples_orJoinRoutedAway from "../examples/orJoinRoutedAway.js";
import type * as examples_orJoinWide from "../examples/orJoinWide.js";
import type * as examples_orSplitRoute from "../examples/orSplitRoute.js";
import type * as examples_orchestrationSaga from "../examples/orchestrationSaga.js";
import type * as examples_orderFulfilmentSaga from "../examples/orderFulfilmentSaga.js";
import type * as examples_orderSaga from "../examples/orderSaga.js";
import type * as examples_outbox from "../examples/outbox.js";
import type * as examples_outboxSequence from "../examples/outboxSequence.js";
import type * as examples_outboxSubscribers from "../examples/outboxSubscribers.js";
import type * as examples_parallel from "../examples/parallel.js";
import type * as examples_placementOutbox from "../examples/placementOutbox.js";
import type * as examples_placementSaga from "../examples/placementSaga.js";
import type * as examples_policyProbe from "../examples/policyProbe.js";
import type * as examples_propagation from "../examples/propagation.js";
import type * as examples_purchaseSaga from "../examples/purchaseSaga.js";
import type * as examples_quickContract from "../examples/quickContract.js";
import type * as examples_quote from "../examples/quote.js";
import type * as examples_regionOrJoinInput from "../examples/regionOrJoinInput.js";
import type * as examples_regionWithdraw from "../examples/regionWithdraw.js";
import type * as examples_regionXorJoin from "../examples/regionXorJoin.js";
import type * as examples_repacking from "../examples/repacking.js";
import type * as examples_replacement from "../examples/replacement.js";
import type * as examples_retrying from "../examples/retrying.js";
import type * as examples_scheduling from "../examples/scheduling.js";
import type * as examples_sequence from "../examples/sequence.js";
import type * as examples_serviceCall from "../examples/serviceCall.js";
import type * as examples_shipment from "../examples/shipment.js";
import type * as examples_shop from "../examples/shop.js";
import type * as examples_shopPayments from "../examples/shopPayments.js";
import type * as examples_signupSaga from "../examples/signupSaga.js";
import type * as examples_strictTender from "../examples/strictTender.js";
import type * as examples_supervision from "../examples/supervision.js";
import type * as examples_swallowing from "../examples/swallowing.js";
import type * as examples_taskTeardown from "../examples/taskTeardown.js";
import type * as examples_tender from "../examples/tender.js";
import type * as examples_timeout from "../examples/timeout.js";
import type * as examples_timers from "../examples/timers.js";
import type * as examples_tolerantFulfilment from "../examples/tolerantFulfilment.js";
import type * as examples_tripSaga from "../examples/tripSaga.js";
import type * as examples_warehouse from "../examples/warehouse.js";
import type * as examples_xorJoinTwice from "../examples/xorJoinTwice.js";
import type * as notifications from "../notifications.js";
import type * as orders from "../orders.js";
import type * as patterns_arbitraryCycles from "../patterns/arbitraryCycles.js";
import type * as patterns_cancelCase from "../patterns/cancelCase.js";
import type * as patterns_cancelMultipleInstances from "../patterns/cancelMultipleInstances.js";
import type * as patterns_cancelRegion from "../patterns/cancelRegion.js";
import type * as patterns_cancelTask from "../patterns/cancelTask.js";
import type * as patterns_cancellingDiscriminator from "../patterns/cancellingDiscriminator.js";
import type * as patterns_cancellingPartialJoin from "../patterns/cancellingPartialJoin.js";
import type * as patterns_completeMultipleInstances from "../patterns/completeMultipleInstances.js";
import type * as patterns_criticalSection from "../patterns/criticalSection.js";
import type * as patterns_dynamicPartialJoin from "../patterns/dynamicPartialJoin.js";
import type * as patterns_explicitTermination from "../patterns/explicitTermination.js";
import type * as patterns_generalSynchronizingMerge from "../patterns/generalSynchronizingMerge.js";
import type * as patterns_generalizedAndJoin from "../patterns/generalizedAndJoin.js";
import type * as patterns_interleavedParallelRouting from "../patterns/interleavedParallelRouting.js";
import type * as patterns_interleavedRouting from "../patterns/interleavedRouting.js";
import type * as patterns_localSynchronizingMerge from "../patterns/localSynchronizingMerge.js";
import type * as patterns_milestone from "../patterns/milestone.js";
import type * as patterns_multiChoice from "../patterns/multiChoice.js";
import type * as patterns_multipleInstancesDesignTime from "../patterns/multipleInstancesDesignTime.js";
import type * as patterns_multipleInstancesDynamic from "../patterns/multipleInstancesDynamic.js";
import type * as patterns_multipleInstancesRunTime from "../patterns/multipleInstancesRunTime.js";
import type * as patterns_multipleInstancesWithoutSynchronization from "../patterns/multipleInstancesWithoutSynchronization.js";
import type * as patterns_recursion from "../patterns/recursion.js";
import type * as patterns_staticPartialJoin from "../patterns/staticPartialJoin.js";
import type * as patterns_structuredDiscriminator from "../patterns/structuredDiscriminator.js";
import type * as patterns_structuredSynchronizingMerge from "../patterns/structuredSynchronizingMerge.js";
import type * as patterns_whileLoop from "../patterns/whileLoop.js";
import type * as payments from "../payments.js";
import type * as retention from "../retention.js";

    import type {
      ApiFromModules,
      FilterApi,
      FunctionReference,
    } from "convex/server";

    declare const fullApi: ApiFromModules<{
  
  "activityLog": typeof activityLog,
  "examples/approval": typeof examples_approval,
  "examples/bookingSaga": typeof examples_bookingSaga,
  "examples/cancelRegion": typeof examples_cancelRegion,
  "examples/cancelRegionFlow": typeof examples_cancelRegionFlow,
  "examples/charge": typeof examples_charge,
  "examples/contract": typeof examples_contract,
  "examples/deferredChoice": typeof examples_deferredChoice,
  "examples/documentReview": typeof examples_documentReview,
  "examples/dummyCycle": typeof examples_dummyCycle,
  "examples/dummyLoop": typeof examples_dummyLoop,
  "examples/dummyReleasesOrJoin": typeof examples_dummyReleasesOrJoin,
  "examples/dynamicSaga": typeof examples_dynamicSaga,
  "examples/escalatedReview": typeof examples_escalatedReview,
  "examples/escalatingSignupSaga": typeof examples_escalatingSignupSaga,
  "examples/escalation": typeof examples_escalation,
  "examples/exclusiveChoice": typeof examples_exclusiveChoice,
  "examples/fakeService": typeof examples_fakeService,
  "examples/faultCharge": typeof examples_faultCharge,
  "examples/faultComposite": typeof examples_faultComposite,
  "examples/faultOrJoin": typeof examples_faultOrJoin,
  "examples/faultOrder": typeof examples_faultOrder,
  "examples/faultPlain": typeof examples_faultPlain,
  "examples/faultyRoute": typeof examples_faultyRoute,
  "examples/followUp": typeof examples_followUp,
  "examples/fulfilment": typeof examples_fulfilment,
  "examples/fulfilmentSaga": typeof examples_fulfilmentSaga,
  "examples/haltingPurchaseSaga": typeof examples_haltingPurchaseSaga,
  "examples/haltingSignupSaga": typeof examples_haltingSignupSaga,
  "examples/handedOverReview": typeof examples_handedOverReview,
  "examples/loop": typeof examples_loop,
  "examples/metered": typeof examples_metered,
  "examples/meteredSignupSaga": typeof examples_meteredSignupSaga,
  "examples/offer": typeof examples_offer,
  "examples/orJoinBounded": typeof examples_orJoinBounded,
  "examples/orJoinDeferred": typeof examples_orJoinDeferred,
  "examples/orJoinRegion": typeof examples_orJoinRegion,
  "examples/orJoinReopen": typeof examples_orJoinReopen,
  "examples/orJoinRoutedAway": typeof examples_orJoinRoutedAway,
  "examples/orJoinWide": typeof examples_orJoinWide,
  "examples/orSplitRoute": typeof examples_orSplitRoute,
  "examples/orchestrationSaga": typeof examples_orchestrationSaga,
  "examples/orderFulfilmentSaga": typeof examples_orderFulfilmentSaga,
  "examples/orderSaga": typeof examples_orderSaga,
  "examples/outbox": typeof examples_outbox,
  "examples/outboxSequence": typeof examples_outboxSequence,
  "examples/outboxSubscribers": typeof examples_outboxSubscribers,
  "examples/parallel": typeof examples_parallel,
  "examples/placementOutbox": typeof examples_placementOutbox,
  "examples/placementSaga": typeof examples_placementSaga,
  "examples/policyProbe": typeof examples_policyProbe,
  "examples/propagation": typeof examples_propagation,
  "examples/purchaseSaga": typeof examples_purchaseSaga,
  "examples/quickContract": typeof examples_quickContract,
  "examples/quote": typeof examples_quote,
  "examples/regionOrJoinInput": typeof examples_regionOrJoinInput,
  "examples/regionWithdraw": typeof examples_regionWithdraw,
  "examples/regionXorJoin": typeof examples_regionXorJoin,
  "examples/repacking": typeof examples_repacking,
  "examples/replacement": typeof examples_replacement,
  "examples/retrying": typeof examples_retrying,
  "examples/scheduling": typeof examples_scheduling,
  "examples/sequence": typeof examples_sequence,
  "examples/serviceCall": typeof examples_serviceCall,
  "examples/shipment": typeof examples_shipment,
  "examples/shop": typeof examples_shop,
  "examples/shopPayments": typeof examples_shopPayments,
  "examples/signupSaga": typeof examples_signupSaga,
  "examples/strictTender": typeof examples_strictTender,
  "examples/supervision": typeof examples_supervision,
  "examples/swallowing": typeof examples_swallowing,
  "examples/taskTeardown": typeof examples_taskTeardown,
  "examples/tender": typeof examples_tender,
  "examples/timeout": typeof examples_timeout,
  "examples/timers": typeof examples_timers,
  "examples/tolerantFulfilment": typeof examples_tolerantFulfilment,
  "examples/tripSaga": typeof examples_tripSaga,
  "examples/warehouse": typeof examples_warehouse,
  "examples/xorJoinTwice": typeof examples_xorJoinTwice,
  "notifications": typeof notifications,
  "orders": typeof orders,
  "patterns/arbitraryCycles": typeof patterns_arbitraryCycles,
  "patterns/cancelCase": typeof patterns_cancelCase,
  "patterns/cancelMultipleInstances": typeof patterns_cancelMultipleInstances,
  "patterns/cancelRegion": typeof patterns_cancelRegion,
  "patterns/cancelTask": typeof patterns_cancelTask,
  "patterns/cancellingDiscriminator": typeof patterns_cancellingDiscriminator,
  "patterns/cancellingPartialJoin": typeof patterns_cancellingPartialJoin,
  "patterns/completeMultipleInstances": typeof patterns_completeMultipleInstances,
  "patterns/criticalSection": typeof patterns_criticalSection,
  "patterns/dynamicPartialJoin": typeof patterns_dynamicPartialJoin,
  "patterns/explicitTermination": typeof patterns_explicitTermination,
  "patterns/generalSynchronizingMerge": typeof patterns_generalSynchronizingMerge,
  "patterns/generalizedAndJoin": typeof patterns_generalizedAndJoin,
  "patterns/interleavedParallelRouting": typeof patterns_interleavedParallelRouting,
  "patterns/interleavedRouting": typeof patterns_interleavedRouting,
  "patterns/localSynchronizingMerge": typeof patterns_localSynchronizingMerge,
  "patterns/milestone": typeof patterns_milestone,
  "patterns/multiChoice": typeof patterns_multiChoice,
  "patterns/multipleInstancesDesignTime": typeof patterns_multipleInstancesDesignTime,
  "patterns/multipleInstancesDynamic": typeof patterns_multipleInstancesDynamic,
  "patterns/multipleInstancesRunTime": typeof patterns_multipleInstancesRunTime,
  "patterns/multipleInstancesWithoutSynchronization": typeof patterns_multipleInstancesWithoutSynchronization,
  "patterns/recursion": typeof patterns_recursion,
  "patterns/staticPartialJoin": typeof patterns_staticPartialJoin,
  "patterns/structuredDiscriminator": typeof patterns_structuredDiscriminator,
  "patterns/structuredSynchronizingMerge": typeof patterns_structuredSynchronizingMerge,
  "patterns/whileLoop": typeof patterns_whileLoop,
  "payments": typeof payments,
  "retention": typeof retention,
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
  "outbox": import("@convex-dev/workpool/_generated/component.js").ComponentApi<"outbox">,
  "services": import("@convex-dev/workpool/_generated/component.js").ComponentApi<"services">,
  "shardedCounter": import("@convex-dev/sharded-counter/_generated/component.js").ComponentApi<"shardedCounter">,
};