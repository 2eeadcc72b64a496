import { eventRetention } from '../src'
import { internal } from './_generated/api'

/** Journal retention (docs/api.md#retention): a cron calls `deleteOldEvents`, which continues itself until nothing old is left. */
export const { deleteOldEvents } = eventRetention({ continueWith: () => internal.retention.deleteOldEvents })
