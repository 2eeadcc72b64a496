import type { JournalChange } from '../../src/journal/changes'
import type { NetDefinition } from '../../src/net/definition'

/** What a demo page embeds as JSON for its script: per workflow its net and its journal, each event with its timeline line. */
export type PageData = { workflows: PageWorkflow[] }

export type PageWorkflow = {
  id: string
  name: string
  net: NetDefinition
  events: Array<{
    sequence: number
    time: number
    changes: JournalChange[]
    line: { operation: string; target: string; caller: string; changes: string }
  }>
}
