import { snapshots, type WorkflowSnapshot } from '../../src/journal/replay'
import { toMermaid } from '../../src/net/mermaid'
import type { PageData, PageWorkflow } from './pageData'

/**
 * The script of a demo page (bundled into it by page.ts): for each workflow section, the step
 * slider picks an event, and the picture and the tables show the workflow right after it. The
 * snapshots come from the journal by the same pure replay `getWorkflowAt` runs on the server
 * (src/journal/replay.ts), so what the page shows at step n is what `getWorkflowAt(n)` answers.
 */

const data = JSON.parse(document.getElementById('journal-data')!.textContent!) as PageData

/** The elements matching `selector` under `root`, as an array (the project's DOM types have no iterable NodeList). */
const every = <E extends Element>(root: ParentNode, selector: string): E[] => Array.from(root.querySelectorAll<E>(selector))

const tokensInPicture = (n: number) => (n === 0 ? '' : n === 1 ? '●' : String(n))

function cell(text: string, className?: string): HTMLTableCellElement {
  const td = document.createElement('td')
  td.textContent = text
  if (className) td.className = className
  return td
}

/** The elements of the net the event changed, outlined in the picture. */
function changedElements(workflow: PageWorkflow, index: number): { tasks: Set<string>; conditions: Set<string> } {
  const tasks = new Set<string>()
  const conditions = new Set<string>()
  for (const change of workflow.events[index]!.changes) {
    if (change.kind === 'task' || change.kind === 'workItem') tasks.add(change.task)
    if (change.kind === 'marking') conditions.add(change.condition)
  }
  return { tasks, conditions }
}

function show(section: HTMLElement, workflow: PageWorkflow, snapshot: WorkflowSnapshot, index: number) {
  const event = workflow.events[index]!
  const find = <E extends Element>(selector: string) => section.querySelector<E>(selector)!
  find('.position').textContent = `event ${event.sequence} of ${workflow.events.length}`
  find('.operation').textContent = event.line.operation
  find('.target').textContent = event.line.target
  find('.caller').textContent = event.line.caller
  find('.elapsed').textContent = `+${((event.time - workflow.events[0]!.time) / 1000).toFixed(3)} s`
  find('.changes').textContent = event.line.changes
  find('.workflow-state').textContent = snapshot.workflow.state

  const changed = changedElements(workflow, index)
  for (const g of every<SVGGElement>(section, 'g[data-task]')) {
    const name = g.dataset.task!
    g.classList.remove('disabled', 'enabled', 'started', 'completed', 'failed', 'canceled')
    g.classList.add(snapshot.tasks[name]!)
    g.classList.toggle('changed', changed.tasks.has(name))
  }
  for (const g of every<SVGGElement>(section, 'g[data-condition]')) {
    const name = g.dataset.condition!
    const tokens = snapshot.marking[name]!
    g.querySelector('.tokens')!.textContent = tokensInPicture(tokens)
    g.classList.toggle('marked', tokens > 0)
    g.classList.toggle('changed', changed.conditions.has(name))
  }
  for (const row of every<HTMLTableRowElement>(section, 'tr[data-condition]')) {
    row.querySelector('.tokens')!.textContent = String(snapshot.marking[row.dataset.condition!])
  }
  for (const row of every<HTMLTableRowElement>(section, 'tr[data-task]')) {
    const state = snapshot.tasks[row.dataset.task!]!
    const td = row.querySelector('.state')!
    td.textContent = state
    td.className = `state ${state}`
  }
  const items = find<HTMLTableSectionElement>('table.work-items tbody')
  items.replaceChildren(
    ...snapshot.workItems.map((w) => {
      const row = document.createElement('tr')
      row.dataset.workItem = w._id
      row.append(cell(w.name, 'name'), cell(w.taskName, 'task'), cell(String(w.generation), 'generation'), cell(w.state, `state ${w.state}`))
      return row
    }),
  )
  for (const li of every<HTMLLIElement>(section, '.timeline li')) li.classList.toggle('current', Number(li.dataset.sequence) === event.sequence)
  find('.mermaid-source').textContent = toMermaid(workflow.net, snapshot)
}

for (const section of every<HTMLElement>(document, 'section.workflow')) {
  const workflow = data.workflows[Number(section.dataset.index)]!
  const all = snapshots(workflow.net, workflow.events)
  const slider = section.querySelector<HTMLInputElement>('input.step')!
  const update = () => show(section, workflow, all[Number(slider.value) - 1]!, Number(slider.value) - 1)
  slider.addEventListener('input', update)
  for (const li of every<HTMLLIElement>(section, '.timeline li')) {
    li.addEventListener('click', () => {
      slider.value = li.dataset.sequence!
      update()
    })
  }
  update()
}
