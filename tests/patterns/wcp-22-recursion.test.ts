/**
 * WCP-22 Recursion.
 * A task may invoke its own workflow as its implementation: a composite task
 * whose child workflow is (a copy of) the workflow it belongs to, down to a
 * case that does not recurse.
 *
 * Not testable yet: composite tasks exist, but a composite task takes its
 * child's Builder by value, so a workflow cannot contain itself (see
 * docs/patterns.md, row 22). These entries say what the test will check.
 */
import { describe, it } from 'vitest'

describe('WCP-22 Recursion', () => {
  it.todo('a composite task starts a child workflow of the same definition as its parent')
  it.todo('the recursion stops at a case that routes around the composite task, and each level completes its parent task in turn')
  it.todo('failing or canceling an inner level reaches the enclosing levels as semantics.md §7 says (failure up through policies, cancel down)')
})
