/**
 * Prints example workflows of src/workflows/ as Mermaid flowcharts (`toMermaid`), the way the
 * pictures in docs/patterns.md, docs/api.md and the README were made:
 *
 *   npx tsx scripts/mermaid.ts order                        # by the workflow's name ...
 *   npx tsx scripts/mermaid.ts exclusiveChoiceWorkflow      # ... or by its export's name
 *   npx tsx scripts/mermaid.ts --md sequence loop           # each in a ```mermaid block, ready to paste
 *   npx tsx scripts/mermaid.ts --snapshot '{"tasks":{"review":"started"},"marking":{}}' sequence
 *   npx tsx scripts/mermaid.ts --list                       # every workflow it knows
 */
import { readdirSync } from 'node:fs'
import { dirname, join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { NetDefinition } from '../src/net/definition'
import { toMermaid, type MermaidSnapshot, type MermaidWorkflow } from '../src/net/mermaid'

const workflowsDir = join(dirname(fileURLToPath(import.meta.url)), '..', 'src', 'workflows')

type Example = { file: string; exportName: string; name: string; workflow: MermaidWorkflow }

/** Every exported workflow (a Builder or a built definition) of src/workflows/, in file and export order. */
async function examples(): Promise<Example[]> {
  const found: Example[] = []
  for (const file of readdirSync(workflowsDir).filter((f) => f.endsWith('.ts')).sort()) {
    const exports = (await import(pathToFileURL(join(workflowsDir, file)).href)) as Record<string, unknown>
    for (const [exportName, value] of Object.entries(exports)) {
      if (typeof value !== 'object' || value === null) continue
      if ('net' in value) found.push({ file, exportName, name: (value as { net: NetDefinition }).net.name, workflow: value as MermaidWorkflow })
      else if ('build' in value && typeof value.build === 'function') {
        const workflow = value as { build(): { readonly net: NetDefinition } }
        found.push({ file, exportName, name: workflow.build().net.name, workflow })
      }
    }
  }
  return found
}

async function main(args: string[]) {
  let markdown = false
  let snapshot: MermaidSnapshot | undefined
  const wanted: string[] = []
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!
    if (arg === '--md') markdown = true
    else if (arg === '--snapshot') snapshot = JSON.parse(args[++i] ?? '{}') as MermaidSnapshot
    else if (arg === '--list') wanted.push('--list')
    else wanted.push(arg)
  }
  const all = await examples()
  if (wanted.includes('--list') || wanted.length === 0) {
    for (const e of all) console.log(`${e.name}\t${e.exportName}\t${e.file}`)
    return
  }
  const out: string[] = []
  for (const name of wanted) {
    const matches = all.filter((e) => e.exportName === name || e.name === name)
    if (matches.length !== 1) {
      throw new Error(`'${name}' names ${matches.length} workflows of src/workflows/${matches.length ? ` (${matches.map((m) => `${m.file}: ${m.exportName}`).join(', ')}); use the export's name` : '; see --list'}.`)
    }
    const chart = toMermaid(matches[0]!.workflow, snapshot)
    out.push(markdown ? `\`\`\`mermaid\n${chart}\`\`\`\n` : chart)
  }
  process.stdout.write(out.join('\n'))
}

main(process.argv.slice(2)).catch((error: unknown) => {
  console.error(error instanceof Error ? error.message : error)
  process.exit(1)
})
