// @vitest-environment node
// Playwright drives a real browser from Node; the journal is recorded on convex-test as in every other test.
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'
import { chromium, type Browser, type Locator, type Page } from 'playwright-core'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { internal } from '../../convex/_generated/api'
import { getWorkflowAt, type WorkflowId } from '../../src'
import type { Names } from '../../src/builder/workflow'
import type { RootWorkflow } from '../../src/runtime/queries'
import { loopWorkflow } from '../../src/workflows/basics'
import { documentReviewWorkflow } from '../../src/workflows/documentReview'
import { journalPage } from '../../scripts/journal/page'
import { recordWorkflow, type RecordedWorkflow } from '../../scripts/journal/record'
import { backend, driver, type Backend } from '../support/harness'

/**
 * The demo's HTML page in a headless browser (Debian's chromium through playwright-core): moving a
 * section's step slider must show, in the tables and in the picture, exactly what `getWorkflowAt`
 * answers on the server for that step. The browser is the system's (`CHROMIUM_PATH`, default
 * /usr/bin/chromium): Playwright's own browser downloads cannot be used here. CI installs chromium
 * in .ci/run; run with CI set, a missing browser fails the test instead of skipping it.
 */

const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const haveChromium = existsSync(chromiumPath)
const mustRun = Boolean(process.env.CI)
if (!haveChromium && !mustRun) {
  console.warn(`\n⚠ SKIPPED tests/browser/journalPage.test.ts: no browser at ${chromiumPath}. Install one with 'apt-get install -y chromium' (or set CHROMIUM_PATH).\n`)
}

/** What the page shows for a workflow at the slider's step: the tables, and the picture read separately. */
type Shown = {
  position: string
  workflow: { state: string }
  tasks: Record<string, string>
  marking: Record<string, number>
  workItems: Array<{ _id: string; name: string; taskName: string; generation: number; state: string }>
  picture: { tasks: Record<string, string>; marking: Record<string, number> }
}

function shown(section: Locator): Promise<Shown> {
  // Runs in the page: only DOM calls, no helper from this file.
  return section.evaluate((s): Shown => {
    const text = (root: Element, selector: string) => root.querySelector(selector)!.textContent!
    const rows = (selector: string) => Array.from(s.querySelectorAll<HTMLElement>(selector))
    const states = ['disabled', 'enabled', 'started', 'completed', 'failed', 'canceled']
    return {
      position: text(s, '.position'),
      workflow: { state: text(s, '.workflow-state') },
      tasks: Object.fromEntries(rows('tr[data-task]').map((r) => [r.dataset.task!, text(r, '.state')])),
      marking: Object.fromEntries(rows('tr[data-condition]').map((r) => [r.dataset.condition!, Number(text(r, '.tokens'))])),
      workItems: rows('table.work-items tbody tr').map((r) => ({
        _id: r.dataset.workItem!,
        name: text(r, '.name'),
        taskName: text(r, '.task'),
        generation: Number(text(r, '.generation')),
        state: text(r, '.state'),
      })),
      picture: {
        tasks: Object.fromEntries(rows('g[data-task]').map((g) => [g.dataset.task!, states.filter((c) => g.classList.contains(c)).join(' ')])),
        marking: Object.fromEntries(
          rows('g[data-condition]').map((g) => {
            const tokens = text(g, '.tokens')
            return [g.dataset.condition!, tokens === '' ? 0 : tokens === '●' ? 1 : Number(tokens)]
          }),
        ),
      },
    }
  })
}

/** What the page must show at `sequence`: the server's `getWorkflowAt`, in the page's shape. */
async function recorded<N extends Names>(t: Backend, root: RootWorkflow<N>, workflow: RecordedWorkflow, sequence: number): Promise<Shown> {
  const at = await t.run((ctx) => getWorkflowAt(ctx.db, root, workflow.id as WorkflowId, sequence))
  return {
    position: `event ${sequence} of ${workflow.events.length}`,
    workflow: at.workflow,
    tasks: at.tasks,
    marking: at.marking,
    workItems: at.workItems,
    picture: { tasks: at.tasks, marking: at.marking },
  }
}

/** Moves the section's slider as a user would with the keyboard: Home, then one step right at a time. */
async function* steps(page: Page, section: Locator, count: number) {
  await section.locator('input.step').focus()
  await page.keyboard.press('Home')
  for (let sequence = 1; sequence <= count; sequence++) {
    if (sequence > 1) await page.keyboard.press('ArrowRight')
    yield sequence
  }
}

describe.skipIf(!haveChromium && !mustRun)('the demo page of a run, in a headless browser', () => {
  let browser: Browser
  const dir = mkdtempSync(join(tmpdir(), 'tasknet-pages-'))

  beforeAll(async () => {
    if (!haveChromium) throw new Error(`No browser at ${chromiumPath}: install Debian's chromium (apt-get install -y chromium), as .ci/run does.`)
    browser = await chromium.launch({
      executablePath: chromiumPath,
      // Root in CI needs --no-sandbox; the rest keep Chromium from reaching for a network this machine does not have.
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
    })
  }, 60_000)
  afterAll(async () => {
    await browser?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  /** Writes the page to disk and opens it from there, recording every request it makes. */
  async function open(name: string, html: string) {
    const file = join(dir, name)
    writeFileSync(file, html)
    const page = await browser.newPage()
    const requests: string[] = []
    const errors: string[] = []
    page.on('request', (r) => requests.push(r.url()))
    page.on('pageerror', (e) => errors.push(String(e)))
    await page.goto(pathToFileURL(file).href)
    return { page, url: pathToFileURL(file).href, requests, errors }
  }

  it('shows, at every step of a loop run, the marking, task states and work items getWorkflowAt recorded', async () => {
    const t = backend()
    const wf = driver(t, internal.examples.loop)
    const id = await wf.initialize()
    await wf.run('open')
    for (const choice of ['again', 'again', 'done']) {
      await wf.run('draft')
      await wf.run('check', { choice })
    }
    const journal = await recordWorkflow(t, loopWorkflow, id)
    expect(journal.events).toHaveLength(15)
    const { page, url, requests, errors } = await open('loop.html', journalPage('A review loop', [{ workflow: journal, label: 'loop' }]))
    const section = page.locator('section.workflow')

    // Opened at the last step.
    expect(await shown(section)).toEqual(await recorded(t, loopWorkflow, journal, 15))
    const seen: string[] = []
    for await (const sequence of steps(page, section, 15)) {
      const want = await recorded(t, loopWorkflow, journal, sequence)
      expect(await shown(section), `step ${sequence}`).toEqual(want)
      seen.push(`${sequence}:${want.marking.ready}${want.tasks.draft!}`)
    }
    // The steps differ from each other, so a page stuck on one snapshot could not pass.
    expect(new Set(seen).size).toBe(15)
    // Clicking a line of the timeline moves the slider there.
    await section.locator('.timeline li[data-sequence="7"]').click()
    expect(await section.locator('input.step').inputValue()).toBe('7')
    expect(await shown(section)).toEqual(await recorded(t, loopWorkflow, journal, 7))

    expect(errors).toEqual([])
    // Self-contained: the page asked for nothing but itself.
    expect(requests).toEqual([url])
    await page.close()
  }, 60_000)

  it('gives each workflow of a hierarchy its own slider: a child steps through its journal, the root stays', async () => {
    const t = backend()
    const fns = internal.examples.documentReview
    const root = driver(t, fns)
    const rootId = await root.initialize()
    const children = await t.query(fns.getChildWorkflows, { workflowId: rootId, taskName: 'review' })
    for (const child of children) await driver(t, fns).attach(child._id).run(child.name === 'ndaReview' ? 'countersign' : 'checkClauses')
    const journals = [await recordWorkflow(t, documentReviewWorkflow, rootId), ...(await Promise.all(children.map((c) => recordWorkflow(t, documentReviewWorkflow, c._id))))]
    const html = journalPage('A document review', journals.map((workflow) => ({ workflow, label: workflow.name })))
    const { page, url, requests, errors } = await open('review.html', html)
    const sections = page.locator('section.workflow')
    expect(await sections.count()).toBe(3)

    const rootLast = await recorded(t, documentReviewWorkflow, journals[0]!, journals[0]!.events.length)
    for (const [i, journal] of journals.entries()) {
      if (i === 0) continue
      const section = sections.nth(i)
      for await (const sequence of steps(page, section, journal.events.length)) {
        expect(await shown(section), `${journal.name} step ${sequence}`).toEqual(await recorded(t, documentReviewWorkflow, journal, sequence))
        expect(await shown(sections.nth(0))).toEqual(rootLast)
      }
    }
    for await (const sequence of steps(page, sections.nth(0), journals[0]!.events.length)) {
      expect(await shown(sections.nth(0)), `root step ${sequence}`).toEqual(await recorded(t, documentReviewWorkflow, journals[0]!, sequence))
    }

    expect(errors).toEqual([])
    expect(requests).toEqual([url])
    await page.close()
  }, 60_000)
})
