/**
 * WCP-13 Multiple Instances with a priori Design-Time Knowledge.
 * A task runs a number of instances fixed in the model; they run concurrently
 * and the task completes, passing control on, once all of them have completed.
 *
 * Not testable yet: it needs multiple-instance tasks (and composite tasks,
 * for instances that are child workflows), which arrive with issue 5. These
 * entries say what the test will check.
 */
import { describe, it } from 'vitest'

describe('WCP-13 Multiple Instances with a priori Design-Time Knowledge', () => {
  it.todo('creates exactly the number of instances given in the definition when the task is enabled')
  it.todo('keeps the task started while any instance is open, and completes it once every instance has completed')
  it.todo("produces the task's output tokens once, after the last instance, whatever order the instances complete in")
})
