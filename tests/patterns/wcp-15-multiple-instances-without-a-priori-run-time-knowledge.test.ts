/**
 * WCP-15 Multiple Instances without a priori Run-Time Knowledge.
 * The number of instances is not known even when the task starts: new
 * instances may be added while others run, until the task is told that no more
 * will come; it completes once that is so and every instance has completed.
 *
 * Not testable yet: it needs multiple-instance tasks (and composite tasks,
 * for instances that are child workflows), which arrive with issue 5. These
 * entries say what the test will check.
 */
import { describe, it } from 'vitest'

describe('WCP-15 Multiple Instances without a priori Run-Time Knowledge', () => {
  it.todo('adds an instance to a started task while other instances are still running')
  it.todo('does not complete while more instances may still be added, even if every existing one has completed')
  it.todo('completes once no more instances can be added and every instance has completed')
})
