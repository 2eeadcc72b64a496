/**
 * tasknet/testing — what an app's tests need on convex-test (an optional peer
 * dependency of tasknet, needed only by this entry): a backend with the app's
 * schema and Convex's transaction limits, a driver that finds and drives work
 * items by task name, and scheduled functions run to completion in time order
 * on fake timers. It does not import vitest: pass `vi` where a clock is needed.
 */
export { tasknetTest } from './backend'
export {
  workflowDriver,
  type WorkflowDriver,
  type WorkflowFunctions,
  type WorkflowSnapshot,
  type WorkItemAction,
  type DrivingBackend,
} from './driver'
export {
  runScheduledInTimeOrder,
  advanceTime,
  scheduledFunctions,
  type ComponentsOption,
  type FakeClock,
  type RunScheduledOptions,
  type ScheduledFunction,
  type ScheduledFunctionState,
  type SchedulingBackend,
} from './scheduled'
