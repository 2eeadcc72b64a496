/**
 * tasknet — a Petri-net (YAWL-style) workflow engine for Convex.
 * Everything an application uses is exported from here.
 */
export { Builder } from './builder'
export type {
  CompositeTaskBuilder,
  DummyTaskBuilder,
  TaskBuilder,
  WorkflowActionsBuilder,
  WorkflowBuilder,
  WorkItemActionsBuilder,
  WorkItemBuilder,
} from './builder'
export type { AnyWorkflowBuilder, ChildWorkflow } from './builder/compositeTask'
export type { WorkflowDefinition, TaskDefinition, WorkItemDefinition } from './builder/definition'
export type * from './builder/contexts'
export type { Deadline, DeadlineTime, Expiry, TaskExpiryAction, WorkflowExpiryAction, WorkItemExpiryAction } from './builder/deadline'
export { instancePolicy } from './builder/instancePolicies'
export type { InstancePolicy, InstancePolicyContext, InstancePolicyOptions } from './builder/instancePolicies'
export { tasknetTables, vWorkflowId, vWorkItemId, vWorkflowState, vTaskState, vWorkItemState } from './runtime/schema'
export { workflowApi, workflowHandlers, type EngineOptions } from './runtime/api'
export { getEvents, getEventChanges, getWorkflowAt, maxReturnedChanges, type JournalEvent, type EventPage, type WorkflowAt } from './runtime/events'
export { deleteOldEvents, eventRetention, type DeleteOldEventsOptions, type DeleteOldEventsResult, type RetentionOptions } from './runtime/retention'
export type { JournalChange, JournalChangeKind } from './journal/changes'
export { replay, applyChanges, initialSnapshot, snapshots, type WorkflowSnapshot } from './journal/replay'
export type { Caller, EventTarget, Operation, StepInfo, WrittenEvent } from './runtime/journal'
export type { StepObserver, ObservedStep } from './runtime/step'
export type { LogOptions, LogLevel, StepLogLine, StepLogWorkflow } from './runtime/observers/log'
export { getMetrics, workflowMetrics, type WorkflowMetrics, type MetricsOptions, type Metrics, type OutcomeMetrics, type ShardedCounterComponent } from './runtime/observers/metrics'
export { vJournalEvent } from './runtime/eventValidators'
export { vOutboxDelivery } from './runtime/outbox/options'
export type { OutboxDelivery, OutboxEvent, OutboxFunctionReferences, OutboxOptions, OutboxPool, OutboxRetry, OutboxSubscriber } from './runtime/outbox/options'
export { getOutbox, outboxEvent, type OutboxChain, type OutboxChainState, type OutboxCompletion } from './runtime/outbox/chains'
export { defineOutbox, type Outbox, type OutboxFunctions } from './runtime/outbox/define'
export { nonRetryable, vServiceCallArgs, type LateOutcome, type OnLateOutcome, type ServiceCallArgs, type ServiceRetry, type ServiceSpec } from './builder/service'
export type { ServiceAttempt, ServiceCompletion, ServicePool } from './runtime/services/options'
export { serviceWorkItems, type ServiceWorkItems } from './runtime/services/define'
export type { ServiceCallSummary } from './runtime/services/calls'
export { getWorkflow, getWorkflowTaskStates, getWorkItems, getMarking, getChildWorkflows } from './runtime/queries'
export type { ChildWorkflowSummary, WorkflowSummary, WorkItemSummary } from './runtime/queries'
export { errorCodes, isTasknetError, type ErrorCode, type TasknetErrorData } from './errors'
export type { NetDefinition, TaskNode, ConditionNode, SplitType, JoinType, TaskKind } from './net/definition'
export type { TaskState, WorkflowState, WorkItemState } from './net/lifecycle'
export { verifyWorkflow } from './net/verify'
export { toMermaid, type MermaidSnapshot, type MermaidWorkflow } from './net/mermaid'
export type {
  VerifiableWorkflow,
  VerificationFinding,
  VerificationFindingKind,
  VerificationResult,
  VerificationState,
  VerifyOptions,
} from './net/verify'
export { saga, SagaBuilder, sagaApi, sagaFunctions, getSagaResult, type Saga, type SagaResult, type SagaStepResult } from './saga'
export { sagaFromJson, deleteCreated, restoreFields, incrementBack, refundCharge, type SagaRegistry, type JsonSagaDefinition, type JsonCompensationBuilder, type RefundRequest, type ValuePath } from './saga'
export { step, compensates, sagaFromClass, type StepOptions, type CompensatesOptions, type SagaClassOptions } from './saga'
export { sagaTables } from './saga/records'
export type { Compensation, CompensationContext, CompensationFailure, CompensationOrder, LocalAction, SagaOptions, StepContext, StepSpec, ServiceStep } from './saga'
