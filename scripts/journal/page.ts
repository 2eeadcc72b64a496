import { buildSync } from 'esbuild'
import { fileURLToPath } from 'node:url'
import type { RecordedWorkflow } from './record'
import type { PageData } from './pageData'
import { escapeXml, netSvg } from './svg'
import { timelineEntries } from './timeline'

/**
 * One self-contained HTML page for a run (`npm run demo` writes one per run): per workflow, its net
 * and a step slider over its journal, with the marking, the task states and the work items right
 * after the chosen step. Everything is inside the file (the picture as SVG, the journal as JSON,
 * the script bundled with the replay it runs), so it works opened from disk with no network.
 */

let bundled: string | undefined

/** browser.ts with the replay and `toMermaid` it imports, as one script (built once per process). */
function pageScript(): string {
  bundled ??= buildSync({
    entryPoints: [fileURLToPath(new URL('./browser.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    write: false,
    legalComments: 'none',
  }).outputFiles[0]!.text
  return bundled
}

/** Script text must not close its `<script>` element: JSON gets every `<` as a `\u003c` escape, code gets `<\/script`. */
const jsonInScript = (json: string) => json.replace(/</g, '\\u003c')
const codeInScript = (code: string) => code.replace(/<\/(script)/gi, '<\\/$1').replace(/<!--/g, '<\\!--')

const conditionLabel = (name: string) => name.replace(/__to__/g, ' → ')

/** A page lists every change of a step; its other workflows name the work items a step acted on there. */
const timelineOf = (workflow: RecordedWorkflow, run: ReadonlyArray<{ workflow: RecordedWorkflow }>) =>
  timelineEntries(workflow.events, { related: run.filter((w) => w.workflow !== workflow).map((w) => w.workflow), maxChanges: Infinity })

function section(workflow: RecordedWorkflow, index: number, label: string, timeline: ReturnType<typeof timelineEntries>): string {
  const last = workflow.events.length
  const conditions = Object.keys(workflow.net.conditions)
  const tasks = Object.keys(workflow.net.tasks)
  return `
<section class="workflow" data-index="${index}" data-workflow-id="${escapeXml(workflow.id)}">
  <h2>${escapeXml(label)} <small>${escapeXml(workflow.id)}</small></h2>
  <div class="controls">
    <label>Step <input type="range" class="step" min="1" max="${last}" value="${last}" aria-label="${escapeXml(`Step of ${label}`)}"></label>
    <output class="position"></output>
    <span class="elapsed"></span>
  </div>
  <p class="event"><strong class="operation"></strong> on <span class="target"></span> by <span class="caller"></span>
    → workflow <strong class="workflow-state"></strong><br><span class="changes"></span></p>
  <div class="picture">${netSvg(workflow.net)}</div>
  <div class="tables">
    <table class="marking"><caption>Marking</caption><tbody>
      ${conditions.map((c) => `<tr data-condition="${escapeXml(c)}"><th>${escapeXml(conditionLabel(c))}</th><td class="tokens"></td></tr>`).join('\n      ')}
    </tbody></table>
    <table class="tasks"><caption>Tasks</caption><tbody>
      ${tasks.map((t) => `<tr data-task="${escapeXml(t)}"><th>${escapeXml(t)}</th><td class="state"></td></tr>`).join('\n      ')}
    </tbody></table>
    <table class="work-items"><caption>Work items</caption>
      <thead><tr><th>name</th><th>task</th><th>generation</th><th>state</th></tr></thead><tbody></tbody></table>
  </div>
  <details class="timeline" open><summary>Timeline (${last} events)</summary><ol>
    ${timeline
      .map(
        (e, i) =>
          `<li data-sequence="${workflow.events[i]!.sequence}"><code>${escapeXml(e.sequence)}</code> <strong>${escapeXml(e.operation)}</strong> ${escapeXml(e.target)} <em>${escapeXml(e.caller)}</em> — ${escapeXml(e.changes)}</li>`,
      )
      .join('\n    ')}
  </ol></details>
  <details><summary>This step as Mermaid (paste into a <code>mermaid</code> block)</summary><pre class="mermaid-source"></pre></details>
</section>`
}

const style = `
body { font: 13px/1.45 system-ui, sans-serif; color: #24292f; margin: 24px; max-width: 1400px; }
h1 { font-size: 20px; } h2 { font-size: 16px; margin-top: 32px; } h2 small { color: #6e7781; font-weight: normal; }
.controls { display: flex; gap: 16px; align-items: center; } input.step { width: 360px; vertical-align: middle; }
.elapsed { color: #6e7781; }
.event { background: #f6f8fa; padding: 8px 12px; border-radius: 6px; } .event .changes { color: #57606a; }
.picture { overflow-x: auto; border: 1px solid #d0d7de; border-radius: 6px; padding: 4px; }
svg.net { max-width: 100%; height: auto; }
svg.net text { font: 13px system-ui, sans-serif; text-anchor: middle; fill: #24292f; }
svg.net .flow { stroke: #8c959f; stroke-width: 1.4; fill: none; } svg.net marker path { fill: #8c959f; }
svg.net .region { stroke: #cf222e; stroke-dasharray: 4 3; stroke-width: 1.2; } svg.net .cross { stroke: #cf222e; stroke-width: 1.6; fill: none; }
svg.net .task .box, svg.net .task .inner { stroke-width: 1.4; } svg.net .task.dummy .box { stroke-dasharray: 5 3; }
svg.net .task .inner { fill: none; } svg.net .task .routing { font-size: 11px; fill: #57606a; }
svg.net .disabled .box { fill: #f6f8fa; stroke: #afb8c1; } svg.net .disabled .inner { stroke: #afb8c1; }
svg.net .enabled .box { fill: #fff8c5; stroke: #bf8700; } svg.net .enabled .inner { stroke: #bf8700; }
svg.net .started .box { fill: #ddf4ff; stroke: #0969da; stroke-width: 2; } svg.net .started .inner { stroke: #0969da; }
svg.net .completed .box { fill: #dafbe1; stroke: #1a7f37; } svg.net .completed .inner { stroke: #1a7f37; }
svg.net .failed .box { fill: #ffebe9; stroke: #cf222e; stroke-width: 2; } svg.net .failed .inner { stroke: #cf222e; }
svg.net .canceled .box { fill: #eaeef2; stroke: #6e7781; stroke-dasharray: 4 3; }
svg.net .condition circle { fill: #fff; stroke: #57606a; stroke-width: 1.4; } svg.net .condition .label { font-size: 12px; fill: #57606a; }
svg.net .condition.marked circle { fill: #fff8c5; stroke: #9a6700; stroke-width: 2; } svg.net .condition .tokens { font-weight: bold; }
svg.net .condition.implicit .tokens { font-size: 10px; }
svg.net .changed .box, svg.net .changed circle { stroke: #8250df; stroke-width: 3; }
.tables { display: flex; gap: 24px; align-items: flex-start; flex-wrap: wrap; margin-top: 12px; }
table { border-collapse: collapse; } caption { text-align: left; font-weight: 600; padding-bottom: 4px; }
th, td { text-align: left; padding: 2px 10px 2px 0; border-bottom: 1px solid #eaeef2; } th { font-weight: normal; }
td.tokens { text-align: right; font-variant-numeric: tabular-nums; }
td.enabled { color: #9a6700; } td.started { color: #0969da; } td.completed { color: #1a7f37; } td.failed { color: #cf222e; } td.canceled, td.disabled { color: #6e7781; }
.timeline li { cursor: pointer; padding: 1px 4px; } .timeline li.current { background: #ddf4ff; }
pre.mermaid-source { background: #f6f8fa; padding: 8px; overflow-x: auto; }
`

/** The page of one run: `workflows[0]` is the root, the rest its children (each labelled). */
export function journalPage(title: string, workflows: ReadonlyArray<{ workflow: RecordedWorkflow; label: string }>): string {
  const data: PageData = {
    workflows: workflows.map(({ workflow }) => {
      const lines = timelineOf(workflow, workflows)
      return {
        id: workflow.id,
        name: workflow.name,
        net: workflow.net,
        events: workflow.events.map((e, i) => ({
          sequence: e.sequence,
          time: e.time,
          changes: e.changes,
          line: { operation: lines[i]!.operation, target: lines[i]!.target, caller: lines[i]!.caller, changes: lines[i]!.changes },
        })),
      }
    }),
  }
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(title)}</title>
<style>${style}</style>
</head>
<body>
<h1>${escapeXml(title)}</h1>
<p>Each section is one workflow of the run. Move its slider (or click a line of its timeline) to see the workflow right
after that step, rebuilt from its journal as <code>getWorkflowAt</code> rebuilds it.</p>
${workflows.map(({ workflow, label }, i) => section(workflow, i, label, timelineOf(workflow, workflows))).join('\n')}
<script type="application/json" id="journal-data">${jsonInScript(JSON.stringify(data))}</script>
<script>${codeInScript(pageScript())}</script>
</body>
</html>
`
}
