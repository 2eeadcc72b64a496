import type { FunctionArgs, FunctionReturnType } from 'convex/server'
import { isTasknetError, type WorkItemState } from 'tasknet'
import type { api } from '../../convex/_generated/api.js'

/** One of the signed-in reviewer's open reviews, as `useQuery(api.approval.myOpenReviews)` returns it. */
export type OpenReview = FunctionReturnType<typeof api.approval.myOpenReviews>[number]

/** The arguments of `api.approval.startWorkItem` for a review: the work item id comes from `myOpenReviews`. */
export function startArgs(review: OpenReview): FunctionArgs<typeof api.approval.startWorkItem> {
  return { workItemId: review.workItemId, args: { name: 'review' } }
}

/** The arguments of `api.approval.completeWorkItem`: the payload is typed by the review's zod schema. */
export function decideArgs(review: OpenReview, approved: boolean): FunctionArgs<typeof api.approval.completeWorkItem> {
  return { workItemId: review.workItemId, args: { name: 'review', payload: { approved } } }
}

/** What a button shows for a review in this state. */
export function actionLabel(state: Extract<WorkItemState, 'initialized' | 'started'>): string {
  return state === 'initialized' ? 'Start review' : 'Approve or reject'
}

/** A message for a failed call: tasknet's errors carry a code and a message naming the element and its state. */
export function describeFailure(error: unknown): string {
  return isTasknetError(error) ? `${error.data.code}: ${error.data.message}` : String(error)
}
