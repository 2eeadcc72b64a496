import { defineSchema } from 'convex/server'
import { sagaTables, tasknetTables } from '../src'
import { choiceTables } from '../src/domain/choices'
import { activityLogTables } from '../src/domain/activityLog'
import { orderTables } from '../src/domain/orders'
import { inventoryTables } from '../src/domain/inventory'
import { paymentTables } from '../src/domain/payments'
import { notificationTables } from '../src/domain/notifications'
import { faultTables } from '../src/domain/faults'
import { outboxReceiptTables } from '../src/domain/outboxReceipts'
import { fakeServiceTables } from '../src/domain/fakeService'
import { accountTables } from '../src/domain/accounts'
import { shopTables } from '../src/domain/shop'

export default defineSchema({
  ...tasknetTables,
  ...sagaTables,
  ...choiceTables,
  ...activityLogTables,
  ...orderTables,
  ...inventoryTables,
  ...paymentTables,
  ...notificationTables,
  ...faultTables,
  ...outboxReceiptTables,
  ...fakeServiceTables,
  ...accountTables,
  ...shopTables,
})
