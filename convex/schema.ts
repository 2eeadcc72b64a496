import { defineSchema } from 'convex/server'
import { tasknetTables } from '../src'
import { choiceTables } from '../src/domain/choices'
import { activityLogTables } from '../src/domain/activityLog'

export default defineSchema({ ...tasknetTables, ...choiceTables, ...activityLogTables })
