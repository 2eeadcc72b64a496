/**
 * WCP-14 Multiple Instances with a priori Run-Time Knowledge.
 * Like WCP-13, but the number of instances is known only at run time (from the
 * case data), before the instances are created; the task completes once all of
 * them have completed.
 *
 * Not testable yet: it needs multiple-instance tasks (and composite tasks,
 * for instances that are child workflows), which arrive with issue 5. These
 * entries say what the test will check.
 */
import { describe, it } from 'vitest'

describe('WCP-14 Multiple Instances with a priori Run-Time Knowledge', () => {
  it.todo('creates as many instances as the case data says when the task is enabled (e.g. one per order line)')
  it.todo('completes the task once all of those instances have completed, and not before')
  it.todo('uses the count read when the task is enabled: changing the case data afterwards adds no instance')
})
