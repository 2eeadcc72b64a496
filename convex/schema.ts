import { defineSchema } from 'convex/server'
import { tasknetTables } from '../src'
import { choiceTables } from '../src/domain/choices'

export default defineSchema({ ...tasknetTables, ...choiceTables })
