/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the local service with the
 * demo dataset, signed in as each role in turn, asserting what each sees: money formatted as money, the budget label,
 * the UASC threshold line, legends, no text outside any chart's viewBox, no serious accessibility violation (axe-core
 * on every view), forms only for roles that may use them, the header on one line at 1440 px, a scenario run with the
 * keyboard only, and the downloads read back (the Excel About sheet's formats, the CSV's financial-year section, the
 * Word report). Mandatory when CI=true; elsewhere skipped, with the reason printed, only if /usr/bin/chromium is
 * missing. With UPDATE_SCREENSHOTS=1 it writes the README's screenshots to docs/screenshots/; with SCREENSHOT_DIR
 * it leaves a picture of every view there.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../bin/serve.js';
import { csvSections } from '../fixtures/csv-sections.js';
import { docxText } from '../fixtures/docx-text.js';
import { emptyPlacesCost } from '../../web/js/derive.js';

/** What the test reads of GET /regional-forecasts/{id} (models/region/result.ts has the whole shape). */
type Q = { p10: number[]; p50: number[]; p90: number[] };
type S = { p10: number; p50: number; p90: number };
interface RegionalForecastBody {
  status: string;
  result: {
    months: string[];
    councilOrder: string[];
    councils: Record<
      string,
      {
        cost: { financialYears: (S & { label: string; budget?: number })[] };
        population: { total: Q };
        uasc?: { count: Q; threshold: number[]; pOnRota: number[] };
        inputs: Record<string, { source: string }>;
      }
    >;
    region: {
      population: { total: Q };
      cost: { financialYears: (S & { label: string; budget?: number; pOverBudget?: number })[] };
      uasc: { notPlacedTotal: S; transfersByCouncil: Record<string, { total: S }> } | null;
      shared: {
        residential: { places: Q; occupancy: Q; cost: S[] } | null;
        foster: { places: Q; occupancy: Q; cost: S[] } | null;
        saving: (S & { label: string })[];
      } | null;
    };
  };
}

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true')
    throw new Error(`${CHROMIUM} is missing: .ci/run installs Debian's chromium; the browser test is mandatory in CI`);
  console.warn(`skipping the browser test: ${CHROMIUM} is not installed (apt-get install chromium)`);
}

const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-quic',
  '--no-first-run',
  '--disable-component-update',
  '--disable-sync',
];
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const AXE = createRequire(import.meta.url).resolve('axe-core/axe.min.js');
/** where to leave screenshots of every view for a person to look at (optional) */
const SHOTS = process.env.SCREENSHOT_DIR;
/** the README's pictures, rewritten only when asked */
const README_SHOTS = process.env.UPDATE_SCREENSHOTS === '1' ? join(ROOT, 'docs', 'screenshots') : undefined;

/** axe-core on the page as it stands: the serious and critical violations, as "rule: target" lines. */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (o: unknown) => Promise<{ violations: unknown[] }> } }).axe;
    const r = await axe.run({ runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return (r.violations as { id: string; impact: string; nodes: { target: string[] }[] }[]).map((v) => ({
      id: v.id,
      impact: v.impact,
      targets: v.nodes.slice(0, 3).map((n) => n.target.join(' ')),
    }));
  });
  return found
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.targets.join(', ')}`);
}

/** Every text of every chart SVG whose box runs outside the SVG's viewBox (with a pixel of slack). */
async function clippedLabels(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const out: string[] = [];
    for (const svg of Array.from(document.querySelectorAll('figure.chart svg'))) {
      const vb = (svg as SVGSVGElement).viewBox.baseVal;
      for (const t of Array.from(svg.querySelectorAll('text'))) {
        const b = (t as SVGTextElement).getBBox();
        // rotated axis titles: the box in the text's own frame, mapped through its transform
        const m = (t as SVGTextElement).getCTM();
        const svgM = (svg as SVGSVGElement).getCTM();
        let [x0, y0, x1, y1] = [b.x, b.y, b.x + b.width, b.y + b.height];
        if (m && svgM) {
          const rel = svgM.inverse().multiply(m);
          const pts = [
            [x0, y0],
            [x1, y0],
            [x0, y1],
            [x1, y1],
          ].map(([x, y]) => new DOMPoint(x, y).matrixTransform(rel));
          x0 = Math.min(...pts.map((p) => p.x));
          x1 = Math.max(...pts.map((p) => p.x));
          y0 = Math.min(...pts.map((p) => p.y));
          y1 = Math.max(...pts.map((p) => p.y));
        }
        if (x0 < vb.x - 1 || y0 < vb.y - 1 || x1 > vb.x + vb.width + 1 || y1 > vb.y + vb.height + 1)
          out.push(`"${t.textContent}" [${Math.round(x0)},${Math.round(y0)},${Math.round(x1)},${Math.round(y1)}]`);
      }
    }
    return out;
  });
}

describe.skipIf(!available)('dashboard in Chromium, by role', () => {
  let service: LocalService;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;
  const errors: string[] = [];

  async function signInAs(role: string, hash: string): Promise<void> {
    await page.goto(`${service.url}/`);
    await page.evaluate(() => sessionStorage.clear());
    await page.goto(`${service.url}/${hash}`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: `Sign in as ${role}`, exact: true }).click();
    await expect.poll(() => page.locator('#who').textContent()).toContain(role.split(' ')[0]);
  }

  /** What every view must be: readable by axe, charts with legends and nothing clipped. */
  async function checkView(name: string): Promise<void> {
    expect(await seriousViolations(page), `axe on ${name}`).toEqual([]);
    expect(await clippedLabels(page), `clipped chart text on ${name}`).toEqual([]);
    const charts = await page.locator('figure.chart svg').count();
    expect(await page.locator('figure.chart svg g.legend text').count()).toBeGreaterThanOrEqual(charts);
    if (SHOTS) await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
  }

  async function save(trigger: () => Promise<void>, name: string): Promise<string> {
    const [download] = await Promise.all([page.waitForEvent('download'), trigger()]);
    const file = join(profile, name);
    await download.saveAs(file);
    return file;
  }

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'WARN';
    dataDir = await mkdtemp(join(tmpdir(), 'browser-e2e-data-'));
    profile = await mkdtemp(join(tmpdir(), 'browser-e2e-profile-'));
    if (SHOTS) await mkdir(SHOTS, { recursive: true });
    if (README_SHOTS) await mkdir(README_SHOTS, { recursive: true });
    service = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: true, workers: 2 });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      acceptDownloads: true,
      viewport: { width: 1440, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (e) => errors.push(e.message));
  });

  afterAll(async () => {
    await context?.close();
    await service?.close();
    for (const d of [dataDir, profile]) if (d) await rm(d, { recursive: true, force: true });
  }, 300_000);

  it('data manager: lists the demo upload as current, shows an upload’s problems as a table, runs the monthly forecast', async () => {
    await signInAs('data-manager', '#/datasets');
    await page.getByRole('heading', { name: 'Datasets' }).waitFor();
    // header on one line at 1440 px: every nav link at the same height
    const tops = await page
      .locator('.top nav li:not([hidden]) a')
      .evaluateAll((as) => as.map((a) => a.getBoundingClientRect().top));
    expect(new Set(tops.map(Math.round)).size).toBe(1);
    // role-aware: no scenario forms in the nav of a data manager
    // the demo council is in a region: its users have the Region page too
    await expect
      .poll(() => page.locator('.top nav li:not([hidden]) a').allTextContents())
      .toEqual(['Overview', 'Service', 'Scenarios', 'Datasets', 'Region']);
    const list = page.locator('#datasets-table tbody tr');
    await expect.poll(() => list.count(), { timeout: 30_000 }).toBeGreaterThanOrEqual(1);
    expect(await list.first().textContent()).toContain('current');
    // an upload with a bad row, read by the browser from a file: refused or dropped, with its problems listed
    const bad = join(profile, 'episodes.csv');
    const demo = await readFile(join(ROOT, 'data', 'demo', 'episodes.csv'), 'utf8');
    const [head, first, ...rest] = demo.trimEnd().split(/\r?\n/);
    const broken = first!.split(',');
    broken[2] = '31/02/2017'; // DECOM: no such date
    // saved as Excel's plain "CSV (Comma delimited)" does on Windows: Windows-1252, with a free-text column the service
    // does not read; the browser sends the bytes and the service reads them in that encoding, with a warning
    const rows = [`${head},NOTES`, `${broken.join(',')},Café £5`, ...rest.map((r) => `${r},`)];
    await (await import('node:fs/promises')).writeFile(bad, Buffer.from(rows.join('\n'), 'latin1'));
    const header = join(profile, 'header.csv');
    await (await import('node:fs/promises')).copyFile(join(ROOT, 'data', 'demo', 'header.csv'), header);
    await page.getByLabel(/^Files/).setInputFiles([header, bad]);
    await page.getByLabel('Rows with errors').selectOption('lenient');
    await page.getByRole('button', { name: 'Upload' }).click();
    await expect
      .poll(() => page.locator('#u-status').textContent(), { timeout: 60_000 })
      .toMatch(/Stored|Not stored|Already/);
    const problems = page.locator('#problems-table tbody tr');
    await expect.poll(() => problems.count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('#problems-table').textContent()).toContain('read as Windows-1252');
    expect(await page.locator('#problems-table').textContent()).toContain('DECOM');
    // sortable by a column, and downloadable as CSV
    await page.getByRole('button', { name: 'Row' }).click();
    expect(await page.locator('#problems-table th[aria-sort="ascending"]').textContent()).toBe('Row');
    const csv = await readFile(
      await save(() => page.getByRole('button', { name: 'Download problems (CSV)' }).click(), 'problems.csv'),
      'utf8',
    );
    expect(csv.split('\r\n')[0]).toBe('Severity,File,Row,Column,Rule,Problem,What was done');
    expect(csv).toContain('episodes.csv');
    await checkView('datasets');

    await page.getByRole('button', { name: 'Run the monthly forecast now' }).click();
    await expect.poll(() => page.locator('#fc-status').textContent(), { timeout: 120_000 }).toMatch(/^Done/);
    expect(await page.locator('#fc-latest').textContent()).toMatch(/data to \d{4}-\d{2}-\d{2}/);

    // the council's children-in-care target, stored on its profile (every role sees it: checked below)
    await page.getByRole('link', { name: 'Service' }).click();
    await page.getByLabel('Council’s target for children in care').fill('330.5');
    await page.getByRole('button', { name: 'Save on the council profile' }).click();
    await expect
      .poll(() => page.locator('#target-out').textContent())
      .toContain('targets.childrenInCare: must be a whole number of children');
    await page.getByLabel('Council’s target for children in care').fill('330');
    await page.getByRole('button', { name: 'Save on the council profile' }).click();
    await expect.poll(() => page.locator('text.ref-label.target-label').textContent()).toBe('Target 330');
    const stored = await fetch(`${service.url}/councils/E06000031`, {
      headers: { authorization: `Bearer ${service.tokens.viewer}` },
    }).then((r) => r.json() as Promise<{ version: number; profile: { targets?: { childrenInCare: number } } }>);
    expect(stored.profile.targets).toEqual({ childrenInCare: 330 });
    expect(stored.version).toBe(2);

    // the upload above became current (its data reach as far as the demo's): the demo is made current again, and the
    // upload deleted — asked first in the row, "Keep" leaving it as it was
    await page.getByRole('link', { name: 'Datasets' }).click();
    const uploads = page.locator('#datasets-table tbody tr');
    // the Current column says "current" in bold on one row (a "Make current" button is not it)
    const currentRow = () => uploads.evaluateAll((trs) => trs.findIndex((tr) => tr.querySelector('td strong')));
    await expect.poll(() => uploads.count(), { timeout: 30_000 }).toBe(2);
    expect(await currentRow()).toBe(0);
    await uploads
      .last()
      .getByRole('button', { name: /^Make current/ })
      .click();
    await expect.poll(currentRow).toBe(1);
    expect(
      await uploads
        .first()
        .getByRole('button', { name: /^Make current/ })
        .count(),
    ).toBe(1);
    await uploads
      .first()
      .getByRole('button', { name: /^Delete/ })
      .click();
    expect(await uploads.first().getByRole('alert').textContent()).toContain('for good?');
    await uploads.first().getByRole('button', { name: 'Keep' }).click();
    expect(
      await uploads
        .first()
        .getByRole('button', { name: /^Delete/ })
        .count(),
    ).toBe(1);
    await uploads
      .first()
      .getByRole('button', { name: /^Delete/ })
      .click();
    await uploads.first().getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#datasets-list [role="status"]').textContent()).toBe('Deleted.');
    expect(await uploads.count()).toBe(1);
    expect(await currentRow()).toBe(0);
    const left = await fetch(`${service.url}/datasets`, {
      headers: { authorization: `Bearer ${service.tokens.viewer}` },
    }).then((r) => r.json() as Promise<{ items: { id: string }[] }>);
    expect(left.items.map((d) => d.id)).toEqual(['ds_demo']);
    await checkView('datasets');
  }, 300_000);

  it('finance: the overview, this year and the next four against budget, and a scenario run with the keyboard only', async () => {
    await signInAs('finance', '#/finance');
    await page.getByRole('heading', { name: /^Finance/ }).waitFor();
    const sentence = await page.locator('#finance-summary').textContent();
    expect(sentence).toMatch(
      /^Placements are forecast to cost £\d+\.\dm in \d{4}\/\d{2}.*, between £\d+\.\dm and £\d+\.\dm; there is a \d+% chance of exceeding the £\d+\.\dm budget\.$/,
    );
    const rows = page.locator('.finance-table tbody tr');
    expect(await rows.count()).toBe(5);
    // money cells as whole pounds with separators
    for (const c of await rows.first().locator('td').allTextContents()) expect(c).toMatch(/^£\d{1,3}(,\d{3})*$|^\d+%$/);
    // the cost chart: a labelled budget line, a legend, money ticks
    const cost = page.locator('figure.chart svg').first();
    expect(await cost.locator('text.ref-label').textContent()).toBe('Budget');
    expect(await cost.locator('g.legend text').allTextContents()).toEqual(
      expect.arrayContaining(['P10–P90 (8 in 10)', 'Median (P50)', 'Budget']),
    );
    for (const t of await cost.locator('g.y-axis text.tick').allTextContents()) expect(t).toMatch(/^£\d+(\.\d+)?m$/);
    // what drives the change: the parts add up to the change
    await page
      .locator('.drivers-table')
      .waitFor()
      .catch(() => undefined);
    await checkView('finance');
    if (README_SHOTS) await page.screenshot({ path: join(README_SHOTS, 'finance.png'), fullPage: false });

    await page.getByRole('link', { name: 'Overview' }).click();
    await page.locator('.now').waitFor();
    expect(await page.locator('.now').textContent()).toMatch(/chance of exceeding the £\d+\.\dm budget/);
    // the target the data manager stored on the council profile, on the finance officer's chart too
    expect(await page.locator('figure.chart svg').first().locator('text.ref-label.target-label').textContent()).toBe(
      'Target 330',
    );
    await checkView('overview');

    // keyboard only: from the skip link to a scenario's result
    await page.goto(`${service.url}/#/new`);
    await page.getByRole('heading', { name: 'Run a new scenario' }).waitFor();
    await page.keyboard.press('Tab'); // skip link
    const fill = async (label: RegExp, value: string) => {
      for (let k = 0; k < 40; k++) {
        await page.keyboard.press('Tab');
        const id = await page.evaluate(() => document.activeElement?.id ?? '');
        if (
          id &&
          label.test(
            (await page
              .locator(`label[for="${id}"]`)
              .textContent()
              .catch(() => '')) ?? '',
          )
        ) {
          await page.keyboard.press('ControlOrMeta+A');
          await page.keyboard.type(value);
          return;
        }
      }
      throw new Error(`no field ${label} reached with Tab`);
    };
    await fill(/^Name/, 'Keyboard scenario');
    await fill(/Monte Carlo runs/, '200');
    await fill(/Placement budget/, '19000000');
    await fill(/Budget rise per year/, '3');
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Download Excel' }).waitFor({ timeout: 90_000 });
    expect(await page.locator('#view h2').first().textContent()).toBe('Keyboard scenario');
    // budgets only for the forecast's years: no warning that one lies outside the horizon
    expect(
      await page
        .locator('.warnings')
        .textContent()
        .catch(() => ''),
    ).not.toMatch(/outside the forecast horizon/);
    const budgets = await page.locator('.cost-table tbody tr td:nth-child(5)').allTextContents();
    expect(budgets).toEqual(['£19,000,000', '£19,570,000', '£20,157,100', '£20,761,813', '£21,384,667']);
    await checkView('scenario');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'scenario.png'), fullPage: true });

    // the downloads, read back
    const xlsx = new ExcelJS.Workbook();
    await xlsx.xlsx.readFile(await save(() => page.getByRole('button', { name: 'Download Excel' }).click(), 's.xlsx'));
    const about = xlsx.getWorksheet('About')!;
    const byItem = new Map<string, ExcelJS.Cell>();
    about.eachRow((r) => byItem.set(String(r.getCell(1).value), r.getCell(2)));
    expect(byItem.get('Monte Carlo runs')!.value).toBe(200);
    expect(byItem.get('Monte Carlo runs')!.numFmt).toBe('#,##0');
    expect(byItem.get('Months')!.numFmt).toBe('#,##0');
    expect(byItem.get('Seed')!.numFmt).toBe('0');
    expect(byItem.get('First forecast month')!.numFmt).toBe('mmm yyyy');
    const csv = csvSections(
      await readFile(await save(() => page.getByRole('button', { name: 'Download CSV' }).click(), 's.csv'), 'utf8'),
    );
    const years = csv['Cost by financial year']!;
    expect(years[0]).toEqual([
      'Financial year',
      'Months in forecast',
      'Part year',
      'P10 (£)',
      'P50 (£)',
      'P90 (£)',
      'Mean (£)',
      'Budget (£)',
      'Chance over budget',
      // the demo scenario has Staying Put and the UASC grant: their means, and the cost net of the grant
      'Staying Put mean (£)',
      'UASC grant income mean (£)',
      'Net P10 (£)',
      'Net P50 (£)',
      'Net P90 (£)',
      'Net mean (£)',
    ]);
    expect(years.slice(1).map((r) => r[7])).toEqual(['19000000', '19570000', '20157100', '20761813', '21384667']);
    for (const r of years.slice(1)) {
      expect(r[8]).toMatch(/^\d+\.\d%$/);
      // net = gross − grant, each rounded to whole pounds
      expect(Math.abs(Number(r[14]) - (Number(r[6]) - Number(r[10])))).toBeLessThanOrEqual(1);
    }
    const text = await docxText(
      await save(() => page.getByRole('button', { name: 'Download committee report (Word)' }).click(), 's.docx'),
    );
    expect(text).toMatch(
      /Placements are forecast to cost £\d+\.\dm in \d{4}\/\d{2}, between £\d+\.\dm and £\d+\.\dm; there is a \d+% chance of exceeding the £19\.\dm budget\./,
    );

    // the scenario is deleted from its own page, asked first (Keep keeps it); then the list says which went
    const finance = { authorization: `Bearer ${service.tokens.finance}` };
    const scenarioId = decodeURIComponent((await page.evaluate(() => location.hash)).replace('#/scenarios/', ''));
    const box = page.locator('#scn-delete');
    await box.getByRole('button', { name: 'Delete this scenario' }).click();
    expect(await box.getByRole('alert').textContent()).toBe('Delete this scenario and its result, for good?');
    // Delete is focused, so Enter would delete: Keep instead
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
    await box.getByRole('button', { name: 'Keep' }).click();
    expect(await box.getByRole('button', { name: 'Delete this scenario' }).count()).toBe(1);
    await box.getByRole('button', { name: 'Delete this scenario' }).click();
    await box.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect
      .poll(() => page.locator('#scenarios-note').textContent())
      .toBe('Scenario “Keyboard scenario” deleted.');
    expect(await page.evaluate(() => location.hash)).toBe('#/scenarios');
    expect((await fetch(`${service.url}/scenarios/${scenarioId}`, { headers: finance })).status).toBe(404);
    await checkView('scenarios-deleted');

    // a scenario still running, deleted from the list (asked first): it stops, and the list shows it gone; someone
    // else's scenario has no Delete
    const start = async (token: string, overrides: Record<string, unknown>) => {
      const res = await fetch(`${service.url}/scenarios`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ datasetId: 'ds_demo', overrides }),
      });
      expect(res.status).toBe(202);
      return ((await res.json()) as { id: string }).id;
    };
    await start(service.tokens.commissioner!, { name: 'Commissioner’s scenario', runs: 100 });
    const longId = await start(service.tokens.finance!, { name: 'Long scenario', runs: 60000, horizonMonths: 120 });
    await expect
      .poll(
        async () =>
          (
            (await fetch(`${service.url}/scenarios/${longId}`, { headers: finance }).then((r) => r.json())) as {
              status: string;
            }
          ).status,
        { timeout: 60_000, interval: 250 },
      )
      .toBe('running');
    // (the page is on the list already: drawn again to show the two)
    await page.reload();
    const longRow = page.locator('#scenarios-table tbody tr', { hasText: 'Long scenario' });
    await longRow.waitFor();
    expect(await page.locator('#scenarios-table thead th').last().textContent()).toBe('Action');
    const theirs = page.locator('#scenarios-table tbody tr', { hasText: 'Commissioner’s scenario' });
    expect(await theirs.count()).toBe(1);
    expect(await theirs.getByRole('button').count()).toBe(0);
    expect(await longRow.locator('.status').textContent()).toBe('running');
    await longRow.getByRole('button', { name: /^Delete/ }).click();
    expect(await longRow.getByRole('alert').textContent()).toBe('Delete this scenario and its result, for good?');
    await longRow.getByRole('button', { name: 'Keep' }).click();
    expect(await longRow.getByRole('button', { name: /^Delete/ }).count()).toBe(1);
    await longRow.getByRole('button', { name: /^Delete/ }).click();
    // on a phone's width the row asking reads whole: the list's rows stack, nothing scrolls sideways
    await page.setViewportSize({ width: 400, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    expect(
      await page.locator('.table-scroll:has(#scenarios-table)').evaluate((d) => d.scrollWidth <= d.clientWidth),
    ).toBe(true);
    await checkView('scenarios-delete-asks-400');
    await longRow.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#scenarios-note').textContent()).toBe('Scenario “Long scenario” deleted.');
    expect(await longRow.count()).toBe(0);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await checkView('scenarios-deleted-400');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect((await fetch(`${service.url}/scenarios/${longId}`, { headers: finance })).status).toBe(404);
    // the job stopped and stored nothing: a while later the list still has no such scenario
    await new Promise((r) => setTimeout(r, 3000));
    await page.reload();
    await page.locator('#scenarios-table').waitFor();
    expect(await page.locator('#scenarios-table tbody tr', { hasText: 'Long scenario' }).count()).toBe(0);
    expect((await fetch(`${service.url}/scenarios/${longId}`, { headers: finance })).status).toBe(404);
    expect(errors).toEqual([]);
  }, 300_000);

  it('commissioner: targets side by side across every year, the base saying its value, a target search in plain words', async () => {
    await signInAs('commissioner', '#/compare');
    await page.getByRole('heading', { name: 'Compare recruitment targets' }).waitFor();
    await page.getByLabel(/New in-house carer households per year/).fill('0, 12, 24');
    await page.getByLabel(/Monte Carlo runs/).fill('200');
    await page.getByRole('button', { name: 'Compare' }).click();
    const table = page.locator('#comparison-table');
    await table.waitFor({ timeout: 90_000 });
    const names = await table.locator('tbody th').allTextContents();
    expect(names[0]).toMatch(/^Base: \d+(\.\d)? new carer households a year \(today’s plan\)$/);
    const baseValue = names[0]!.match(/^Base: (\d+)/)![1];
    // a target equal to the base's own value is the base: not repeated
    expect(names.filter((n) => n.startsWith(`${baseValue} new carer`))).toEqual([]);
    // every year at once
    const yearHeads = await page.locator('#cmp-cost thead th').allTextContents();
    expect(yearHeads.length).toBeGreaterThanOrEqual(6); // the variant column and five or more years
    expect(await page.locator('#cmp-over tbody td').allTextContents()).toEqual(
      expect.arrayContaining([expect.stringMatching(/^\d+%$/)]),
    );
    expect(await page.locator('body').textContent()).not.toContain('£0k');
    expect(await page.locator('#comparison-table thead').textContent()).toContain(
      'In-house overflow (children, whole forecast)',
    );
    expect(await page.locator('svg[data-testid="comparison-chart"] g.bar').count()).toBe(names.length - 1);
    await checkView('comparison');

    await page.goto(`${service.url}/#/target/80`);
    await page.getByRole('heading', { name: 'Find a recruitment target' }).waitFor();
    const fy = await page.getByLabel(/Financial year tested/).inputValue();
    expect(fy).toMatch(/^\d{4}\/\d{2}$/);
    await page.getByLabel(/Monte Carlo runs/).fill('200');
    await page.getByRole('button', { name: 'Find the target' }).click();
    await page.locator('#tgt-answer').waitFor({ timeout: 120_000 });
    expect(await page.locator('#tgt-year').textContent()).toBe(fy);
    const answer = await page.locator('#tgt-answer').textContent();
    expect(answer).toMatch(
      new RegExp(
        `the chance of exceeding the budget in ${fy.replace('/', '\\/')} is then \\d+\\.\\d%, against a goal of at most 20\\.0%|No target from`,
      ),
    );
    expect(answer).not.toMatch(/capacity\.|≤/);
    expect(await page.locator('svg[data-testid="target-chart"] text.ref-label').textContent()).toBe(
      'Goal: at most 20%',
    );
    await checkView('target');

    await page.getByRole('link', { name: 'Commissioning' }).click();
    await page.locator('#target-80').waitFor();
    expect(await page.locator('#target-80').textContent()).toContain(fy);
    await page.locator('figure.chart').first().waitFor();
    await checkView('commissioning');
    if (README_SHOTS) await page.screenshot({ path: join(README_SHOTS, 'commissioning.png'), fullPage: false });
    await page.goto(`${service.url}/#/target`);
    await page.locator('#recent-targets').waitFor();
    const recent = await page.locator('#recent-targets tbody tr').first().locator('td').allTextContents();
    expect(recent[1]).toMatch(/at most 20\.0%/);
    expect(recent[2]).toBe(fy);
    expect(recent[3]).toMatch(/ a year$|not reachable/);
    expect(await page.locator('#recent-targets tbody th').first().textContent()).toMatch(
      /\d{4}, \d{2}:\d{2} [A-Z]{2,5}|GMT|UTC/,
    );

    // the comparison it made can be deleted from the Compare page's list, asking first (Keep keeps it)
    const commissioner = { authorization: `Bearer ${service.tokens.commissioner}` };
    const made = (await fetch(`${service.url}/comparisons?createdBy=me`, { headers: commissioner }).then((r) =>
      r.json(),
    )) as { items: { id: string }[] };
    expect(made.items.length).toBe(1);
    await page.goto(`${service.url}/#/compare`);
    const rows = page.locator('#recent-comparisons tbody tr');
    await rows.first().waitFor();
    const before = await rows.count();
    expect(await page.locator('#recent-comparisons thead th').last().textContent()).toBe('Action');
    // only the creator may delete a comparison: the one row with a Delete button is the commissioner's
    expect(await page.locator('#recent-comparisons tbody button').count()).toBe(1);
    const row = rows.filter({ has: page.getByRole('button', { name: /^Delete/ }) });
    expect(await row.locator('a').getAttribute('href')).toBe(`#/comparisons/${made.items[0]!.id}`);
    await row.getByRole('button', { name: /^Delete/ }).click();
    expect(await row.getByRole('alert').textContent()).toBe(
      'Delete this comparison, its variants and their results, for good?',
    );
    // Delete is focused, so Enter would delete: Keep instead
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
    await row.getByRole('button', { name: 'Keep' }).click();
    expect(await row.getByRole('button', { name: /^Delete/ }).count()).toBe(1);
    await row.getByRole('button', { name: /^Delete/ }).click();
    await row.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#recent [role="status"]').textContent()).toBe('Comparison deleted.');
    expect(await page.locator('#recent-comparisons tbody tr').count()).toBe(before - 1);
    const gone = await fetch(`${service.url}/comparisons/${made.items[0]!.id}`, { headers: commissioner });
    expect(gone.status).toBe(404);
    await checkView('compare-deleted');

    // a comparison deleted from its own page (asked first, Keep keeps it) goes back to the Compare page, which says so
    const posted = await fetch(`${service.url}/comparisons`, {
      method: 'POST',
      headers: { ...commissioner, 'content-type': 'application/json' },
      body: JSON.stringify({
        datasetId: 'ds_demo',
        overrides: { name: 'To delete', runs: 100 },
        sweep: { path: 'capacity.recruitmentPerYear', values: [0, 6] },
      }),
    });
    expect(posted.status).toBe(202);
    const cmpId = ((await posted.json()) as { id: string }).id;
    await page.goto(`${service.url}/#/comparisons/${cmpId}`);
    const cmpBox = page.locator('#cmp-delete');
    await cmpBox.getByRole('button', { name: 'Delete this comparison' }).click();
    expect(await cmpBox.getByRole('alert').textContent()).toBe(
      'Delete this comparison, its variants and their results, for good?',
    );
    await cmpBox.getByRole('button', { name: 'Keep' }).click();
    await cmpBox.getByRole('button', { name: 'Delete this comparison' }).click();
    await cmpBox.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#deleted-note').textContent()).toMatch(/^Comparison made .+ deleted\.$/);
    expect(await page.evaluate(() => location.hash)).toBe('#/compare');
    expect((await fetch(`${service.url}/comparisons/${cmpId}`, { headers: commissioner })).status).toBe(404);

    // a sweep of another input (through the API) reads in that input's words and units, not "households a year"
    const dearer = await fetch(`${service.url}/comparisons`, {
      method: 'POST',
      headers: { ...commissioner, 'content-type': 'application/json' },
      body: JSON.stringify({
        datasetId: 'ds_demo',
        overrides: { name: 'Residential prices', runs: 100 },
        sweep: { path: 'costs.weekly.residential', values: [3500, 4500] },
      }),
    });
    expect(dearer.status).toBe(202);
    const dearerId = ((await dearer.json()) as { id: string }).id;
    await page.goto(`${service.url}/#/comparisons/${dearerId}`);
    await page.locator('#comparison-table').waitFor({ timeout: 90_000 });
    const swept = await page.locator('#comparison-table tbody th').allTextContents();
    expect(swept.slice(1)).toEqual([
      'Weekly cost, residential (£ a week): £3,500',
      'Weekly cost, residential (£ a week): £4,500',
    ]);
    const savingChart = page.locator('svg[data-testid="comparison-chart"]');
    expect(await savingChart.locator('text.axis-title').allTextContents()).toContain(
      'Weekly cost, residential (£ a week)',
    );
    const ticks = await savingChart.locator('text.tick').allTextContents();
    expect(ticks).toEqual(expect.arrayContaining(['£3,500', '£4,500']));
    expect(ticks.join(' ')).not.toMatch(/a year/);

    // the target search it made, deleted from the list of recent target searches: asked first, Keep keeps it
    const searches = (await fetch(`${service.url}/targets?createdBy=me`, { headers: commissioner }).then((r) =>
      r.json(),
    )) as { items: { id: string }[] };
    expect(searches.items.length).toBe(1);
    await page.goto(`${service.url}/#/target`);
    await page.locator('#recent-targets').waitFor();
    expect(await page.locator('#recent-targets thead th').last().textContent()).toBe('Action');
    const tRow = page
      .locator('#recent-targets tbody tr')
      .filter({ has: page.getByRole('button', { name: /^Delete/ }) });
    expect(await tRow.count()).toBe(1);
    expect(await tRow.locator('a').getAttribute('href')).toBe(`#/targets/${searches.items[0]!.id}`);
    await tRow.getByRole('button', { name: /^Delete/ }).click();
    expect(await tRow.getByRole('alert').textContent()).toBe('Delete this target search and its answer, for good?');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Delete');
    await tRow.getByRole('button', { name: 'Keep' }).click();
    expect(await tRow.getByRole('button', { name: /^Delete/ }).count()).toBe(1);
    await tRow.getByRole('button', { name: /^Delete/ }).click();
    await page.setViewportSize({ width: 400, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    await checkView('target-delete-asks-400');
    await tRow.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#recent [role="status"]').textContent()).toBe('Target search deleted.');
    // the row went: focus moves to the note saying what was deleted
    await expect.poll(() => page.evaluate(() => document.activeElement?.textContent)).toBe('Target search deleted.');
    expect(await page.locator('#recent-targets').count()).toBe(0);
    await checkView('target-deleted-400');
    await page.setViewportSize({ width: 1440, height: 900 });
    expect((await fetch(`${service.url}/targets/${searches.items[0]!.id}`, { headers: commissioner })).status).toBe(
      404,
    );
    expect(errors).toEqual([]);
  }, 300_000);

  it('viewer (service manager): children against the target, the mix, UASC against the threshold; no forms', async () => {
    await signInAs('viewer', '#/service');
    await page.getByRole('heading', { name: /^Service/ }).waitFor();
    // the target is the council profile's (set by the data manager above): the same for every role, no form here
    await expect.poll(() => page.locator('text.ref-label.target-label').textContent()).toBe('Target 330');
    expect(await page.locator('#target-form').count()).toBe(0);
    expect(await page.locator('#target-line').textContent()).toMatch(/against the council’s target of 330\.$/);
    const uasc = page.locator('figure.chart svg').filter({ has: page.locator('path.threshold') });
    expect(await uasc.locator('text.ref-label').textContent()).toBe('Threshold');
    expect(await page.locator('#uasc-table thead').textContent()).toContain('Chance on the rota');
    for (const c of await page.locator('#uasc-table tbody td:nth-child(5)').allTextContents())
      expect(c).toMatch(/^\d+%$/);
    expect(await page.locator('.mix-table tbody tr').count()).toBe(9);
    await checkView('service');
    if (README_SHOTS) await page.screenshot({ path: join(README_SHOTS, 'service.png'), fullPage: false });
    // no forms for a viewer: the nav leaves them out and the pages say why instead of failing on submit
    expect(await page.locator('.top nav li:not([hidden]) a').allTextContents()).toEqual([
      'Overview',
      'Service',
      'Scenarios',
      'Region',
    ]);
    // nor Delete: the scenarios list has no Action column for a viewer
    await page.goto(`${service.url}/#/scenarios`);
    await page.locator('#scenarios-table').waitFor();
    expect(await page.locator('#scenarios-table thead th').allTextContents()).not.toContain('Action');
    expect(await page.locator('#scenarios-table button').count()).toBe(0);
    await page.goto(`${service.url}/#/new`);
    await page.getByText('Your role can read results here but not run scenarios').waitFor();
    expect(await page.locator('form#new-form').count()).toBe(0);
    expect(errors).toEqual([]);
  }, 300_000);
  it('region: the regional view shows the API’s figures for a forecast started from its form (queued → complete); a council’s users see their region', async () => {
    await signInAs('finance of region demo-region', '#/region');
    await page.getByRole('heading', { name: /^Region: Demo region/ }).waitFor();
    // a region's users have the region only
    expect(await page.locator('.top nav li:not([hidden]) a').allTextContents()).toEqual(['Region']);
    await page.locator('#region-none').waitFor();
    expect(await page.locator('#region-none').textContent()).toBe(
      'No regional forecast yet: start one with the form below.',
    );
    // both demo councils joined the region through their own profiles, so both show by name
    expect(await page.locator('#region-councils tbody th').allTextContents()).toEqual([
      'Peterborough (E06000031)',
      'Cambridgeshire (demo) (E10000003)',
    ]);
    const form = page.locator('#region-form');
    await form.getByLabel('Name').fill('Browser regional forecast');
    await form.getByLabel(/^First forecast month/).fill('2018-04');
    await form.getByLabel(/^Forecast length/).fill('36');
    await form.getByLabel(/^Monte Carlo runs/).fill('1000');
    await form.getByLabel(/^UASC transfers to the region/).fill('4');
    await form.getByLabel('Shared residential beds').fill('6');
    await form.getByLabel('Shared residential bed, £ per week').fill('3800');
    await form.getByLabel('Shared fostering hub households at the start').fill('4');
    await form.getByLabel('Hub households recruited per year').fill('6');
    await form.getByLabel('Shared foster place, £ per week').fill('650');
    await form.getByLabel(/^Regional placement budget/).fill('37000000');
    await form.getByLabel(/^Budget rise per year/).fill('3');
    // every status the page announces, from the moment the form is sent
    await page.evaluate(() => {
      const w = window as unknown as { seen: string[] };
      w.seen = [];
      const el = document.getElementById('announce')!;
      new MutationObserver(() => w.seen.push(el.textContent ?? '')).observe(el, {
        childList: true,
        characterData: true,
        subtree: true,
      });
    });
    await page.getByRole('button', { name: 'Start the regional forecast' }).press('Enter');
    await page.locator('#region-summary').waitFor({ timeout: 120_000 });
    const seen = await page.evaluate(() => (window as unknown as { seen: string[] }).seen);
    expect(seen[0]).toMatch(/^Regional forecast Browser regional forecast: (queued|running)$/);
    expect(seen.at(-1)).toBe('Regional forecast Browser regional forecast: complete');

    // the API's own answer for the forecast the page shows
    const id = decodeURIComponent((await page.evaluate(() => location.hash)).replace('#/region/', ''));
    const res = await fetch(`${service.url}/regional-forecasts/${encodeURIComponent(id)}`, {
      headers: { authorization: `Bearer ${service.regionTokens['demo-region']!.finance}` },
    });
    expect(res.status).toBe(200);
    const rf = (await res.json()) as RegionalForecastBody;
    expect(rf.status).toBe('complete');
    const r = rf.result;
    const gbp = (x: number) => `£${Math.round(x).toLocaleString('en-GB')}`;
    const one = (x: number) => x.toLocaleString('en-GB', { maximumFractionDigits: 1 });
    const m = (x: number) => `£${(x / 1e6).toFixed(1)}m`;
    const pc = (x: number) => `${Math.round(x * 100)}%`;
    const years = r.region.cost.financialYears;
    expect(years.map((f) => f.budget)).toEqual([37000000, 38110000, 39253300]);
    const head = years[0]!;
    expect(await page.locator('#region-summary').textContent()).toBe(
      `Placements across the region’s 2 councils are forecast to cost ${m(head.p50)} in 2018/19, between ${m(head.p10)} and ${m(head.p90)}; there is a ${pc(head.pOverBudget!)} chance of exceeding the ${m(37000000)} regional budget.`,
    );
    // cost by financial year: every cell the API's
    const costRows = page.locator('#region-cost tbody tr');
    expect(await costRows.locator('th').allTextContents()).toEqual(years.map((f) => f.label));
    for (const [i, f] of years.entries())
      expect(await costRows.nth(i).locator('td').allTextContents()).toEqual([
        gbp(f.p10),
        gbp(f.p50),
        gbp(f.p90),
        gbp(f.budget!),
        pc(f.pOverBudget!),
      ]);
    // the cost chart draws the regional budget; children in care by month as a band, its table the API's medians
    const costChart = page.locator('figure.chart svg').first();
    expect(await costChart.locator('text.ref-label').textContent()).toBe('Budget');
    const kids = page.locator('figure.chart').nth(1);
    const medianCol = (await kids.locator('table.chart-table thead th').allTextContents()).indexOf('Median (P50)') - 1;
    expect(medianCol).toBeGreaterThanOrEqual(0);
    const medians = await kids.locator(`table.chart-table tbody tr td:nth-child(${medianCol + 2})`).allTextContents();
    expect(medians).toEqual(r.region.population.total.p50.map(one));
    // each council: its own cost in the headline year, children at the end, transfers received
    const last = r.months.length - 1;
    const each = page.locator('#region-per-council tbody tr');
    expect(await each.count()).toBe(2);
    for (const [i, code] of r.councilOrder.entries()) {
      const c = r.councils[code]!;
      const f = c.cost.financialYears.find((y) => y.label === '2018/19')!;
      const cells = await each.nth(i).locator('td').allTextContents();
      expect(cells[0]).toBe(gbp(f.p50));
      expect(cells[1]).toBe(`${gbp(f.p10)} to ${gbp(f.p90)}`);
      // a budget the council's profile does not give is the example's, and says so (E10000003 has no profile)
      const example = c.inputs['budgets.2018/19']!.source.startsWith('example');
      expect(example).toBe(code === 'E10000003');
      expect(cells[2]).toBe(`${gbp(f.budget!)}${example ? ' (example figure)' : ''}`);
      expect(cells[4]).toBe(one(c.population.total.p50[last]!));
      expect(cells[5]).toBe(one(r.region.uasc!.transfersByCouncil[code]!.total.p50));
    }
    // UASC: transfers by council against each council's own threshold, and what the region could not place
    const uasc = page.locator('#region-uasc tbody tr');
    expect(await uasc.count()).toBe(3);
    for (const [i, code] of r.councilOrder.entries()) {
      const c = r.councils[code]!;
      const t = r.region.uasc!.transfersByCouncil[code]!.total;
      expect(await uasc.nth(i).locator('td').allTextContents()).toEqual([
        one(t.p50),
        `${one(t.p10)}–${one(t.p90)}`,
        one(c.uasc!.count.p50[last]!),
        `${one(c.uasc!.threshold[last]!)}${code === 'E10000003' ? ' (from an example child population)' : ''}`,
        pc(c.uasc!.pOnRota[last]!),
      ]);
    }
    expect(await uasc.nth(2).locator('th').textContent()).toMatch(/^Not placed in the region/);
    expect(await uasc.nth(2).locator('td').first().textContent()).toBe(one(r.region.uasc!.notPlacedTotal.p50));
    expect(await page.locator('figure.chart svg path.threshold').count()).toBe(2);
    // shared places: 6 beds, their occupancy, and the saving by financial year
    const shared = r.region.shared!;
    const res6 = shared.residential!;
    const occ = res6.occupancy.p50.reduce((a, b) => a + b, 0) / res6.places.p50.reduce((a, b) => a + b, 0);
    const bedRow = await page.locator('#region-shared tbody tr[data-pool="residential"] td').allTextContents();
    expect(bedRow.slice(0, 2)).toEqual(['6', pc(occ)]);
    expect(bedRow.slice(2)).toEqual(res6.cost.map((c) => gbp(c.p50)));
    expect(occ).toBeGreaterThan(0);
    const hub = shared.foster!;
    const hubRow = await page.locator('#region-shared tbody tr[data-pool="foster"] td').allTextContents();
    expect(hubRow[0]).toBe('4');
    expect(hubRow.slice(2)).toEqual(hub.cost.map((c) => gbp(c.p50)));
    expect(await page.locator('figure.chart svg path.capacity').count()).toBe(2);
    const saving = page.locator('#region-saving tbody tr');
    expect(await saving.locator('td:nth-child(2)').allTextContents()).toEqual(shared.saving.map((y) => gbp(y.p50)));
    expect(await page.locator('body').textContent()).not.toMatch(/NaN|undefined|£0k/);
    // the data each council's forecast came from, and the next forecast's first month from it
    expect(
      await page
        .locator('#region-councils tbody tr')
        .evaluateAll((rows) => rows.map((r) => Array.from(r.children).map((c) => c.textContent))),
    ).toEqual([
      ['Peterborough (E06000031)', '1', 'data to 2018-03-31'],
      ['Cambridgeshire (demo) (E10000003)', '2', 'data to 2018-03-31'],
    ]);
    expect(await page.locator('#r-start').inputValue()).toBe('2018-04');
    await checkView('region');
    if (README_SHOTS) await page.screenshot({ path: join(README_SHOTS, 'region.png'), fullPage: false });
    // on a phone's width the wide tables scroll in their own boxes, not the page
    await page.setViewportSize({ width: 400, height: 900 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(400);
    expect(
      await page.locator('.table-scroll:has(#region-per-council)').evaluate((d) => d.scrollWidth > d.clientWidth),
    ).toBe(true);
    await page.setViewportSize({ width: 1440, height: 900 });

    // a comparison against a regional base (made through the API) is listed on the Region page and opens
    const auth = { authorization: `Bearer ${service.regionTokens['demo-region']!.finance}` };
    const posted = await fetch(`${service.url}/comparisons`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        regionalBase: {
          name: 'Demo region',
          start: '2018-04',
          horizonMonths: 24,
          runs: 200,
          seed: 7,
          councils: [{ code: 'E06000031' }, { code: 'E10000003' }],
          shared: { fosterHouseholds: 0, fosterWeeklyCost: 650 },
        },
        variants: [{ name: 'Regional hub 30 a year', overrides: { shared: { fosterRecruitmentPerYear: 30 } } }],
      }),
    });
    expect(posted.status).toBe(202);
    const cmpId = ((await posted.json()) as { id: string }).id;
    type Cmp = { status: string; summary: { variants: { name: string; saving?: { horizon: { mean: number } } }[] } };
    let cmp: Cmp | undefined;
    await expect
      .poll(
        async () => {
          cmp = (await (await fetch(`${service.url}/comparisons/${cmpId}`, { headers: auth })).json()) as Cmp;
          return cmp.status;
        },
        { timeout: 120_000, interval: 500 },
      )
      .toBe('complete');
    await page.goto(`${service.url}/#/region`);
    await page.locator('#region-comparisons').waitFor();
    expect(await page.locator('#region-comparisons tbody td').nth(1).textContent()).toBe(
      'Base; Regional hub 30 a year',
    );
    await page.locator('#region-comparisons tbody a').first().click();
    await page.locator('#comparison-table').waitFor({ timeout: 30_000 });
    expect(await page.locator('#comparison-table tbody th').allTextContents()).toEqual([
      'Base (today’s plan)',
      'Regional hub 30 a year',
    ]);
    const hubSaving = cmp!.summary.variants.find((v) => v.name === 'Regional hub 30 a year')!.saving!.horizon.mean;
    // the saving over the whole forecast: the API's mean in whole pounds (as the page formats money), then its range
    const whole = new Intl.NumberFormat('en-GB', { style: 'currency', currency: 'GBP', maximumFractionDigits: 0 });
    // as web/js/format.js writes money: a loss with a true minus sign
    const pounds = { format: (x: number) => (Math.round(x) < 0 ? `−${whole.format(-x)}` : whole.format(Math.abs(x))) };
    const savingCell = await page.locator('#comparison-table tbody tr').nth(1).locator('td').last().textContent();
    expect(savingCell?.slice(0, pounds.format(hubSaving).length)).toBe(pounds.format(hubSaving));
    // each council's own saving, paired like the region's, with its standard error, as the API gives them
    type Line = { code: string; saving: { horizon: { mean: number; se: number } } | null };
    const lines = (
      cmp!.summary.variants.find((v) => v.name === 'Regional hub 30 a year') as unknown as {
        councils: Line[];
      }
    ).councils;
    expect(lines.map((l) => l.code)).toEqual(['E06000031', 'E10000003']);
    const rowHeads = await page.locator('#cmp-councils tbody th[scope="row"]').allTextContents();
    // the councils, then (when the councils do not add up to the region) the block cost of the hub's empty places,
    // then the region: the table adds up
    const emptyRow = emptyPlacesCost({ saving: { horizon: { mean: hubSaving } }, councils: lines }) !== null;
    expect(rowHeads).toEqual([
      'E06000031',
      'E10000003',
      ...(emptyRow ? ['Shared places left empty (change in their block cost)'] : []),
      'Region (total)',
    ]);
    for (const [i, line] of lines.entries()) {
      const cells = await page.locator('#cmp-councils tbody tr').nth(i).locator('td').allTextContents();
      expect(cells[0]).toBe(pounds.format(line.saving!.horizon.mean));
      expect(cells[1]).toBe(pounds.format(line.saving!.horizon.se));
    }
    const total = await page.locator('#cmp-councils tbody tr').last().locator('td').allTextContents();
    expect(total[0]).toBe(pounds.format(hubSaving));
    await checkView('region-comparison');

    // the region's finance officer deletes what they made from the Region page, asked first each time: the comparison,
    // then the regional forecast shown (the page then says none is left); a region's data manager has no Delete
    await page.goto(`${service.url}/#/region`);
    await page.locator('#region-comparisons').waitFor();
    await page.locator('#region-summary').waitFor({ timeout: 30_000 });
    const cmpRow = page.locator('#region-comparisons tbody tr').first();
    await cmpRow.getByRole('button', { name: /^Delete/ }).click();
    expect(await cmpRow.getByRole('alert').textContent()).toBe(
      'Delete this comparison, its variants and their results, for good?',
    );
    await cmpRow.getByRole('button', { name: 'Keep' }).click();
    await cmpRow.getByRole('button', { name: /^Delete/ }).click();
    await cmpRow.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#region-cmp [role="status"]').textContent()).toBe('Comparison deleted.');
    expect(await page.locator('#region-comparisons').count()).toBe(0);
    expect((await fetch(`${service.url}/comparisons/${cmpId}`, { headers: auth })).status).toBe(404);

    const fcRow = page.locator('#region-recent tbody tr').first();
    expect(await fcRow.locator('th').textContent()).toBe('Browser regional forecast');
    await fcRow.getByRole('button', { name: /^Delete/ }).click();
    expect(await fcRow.getByRole('alert').textContent()).toBe(
      'Delete this regional forecast and its result, for good?',
    );
    await fcRow.getByRole('button', { name: 'Keep' }).click();
    expect(await page.locator('#region-summary').count()).toBe(1);
    if (SHOTS) {
      await fcRow.getByRole('button', { name: /^Delete/ }).click();
      await page.locator('#region-forecasts').screenshot({ path: join(SHOTS, 'region-delete-asks.png') });
      await fcRow.getByRole('button', { name: 'Keep' }).click();
    }
    await fcRow.getByRole('button', { name: /^Delete/ }).click();
    await fcRow.getByRole('button', { name: 'Delete', exact: true }).click();
    await expect.poll(() => page.locator('#region-note').textContent()).toBe('Regional forecast deleted.');
    await page.locator('#region-none').waitFor();
    expect(await page.locator('#region-none').textContent()).toBe(
      'No regional forecast yet: start one with the form below.',
    );
    expect(await page.locator('#region-summary').count()).toBe(0);
    expect(await page.locator('#region-recent tbody tr').count()).toBe(0);
    expect(await page.evaluate(() => location.hash)).toBe('#/region');
    expect((await fetch(`${service.url}/regional-forecasts/${encodeURIComponent(id)}`, { headers: auth })).status).toBe(
      404,
    );
    await checkView('region-deleted');

    // a region's data manager reads the region's forecasts and comparisons but deletes none (no Action column)
    const again = await fetch(`${service.url}/regional-forecasts`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({
        name: 'Kept for the data manager',
        start: '2018-04',
        horizonMonths: 12,
        runs: 100,
        councils: [{ code: 'E06000031' }, { code: 'E10000003' }],
      }),
    });
    expect(again.status).toBe(202);
    await signInAs('data-manager of region demo-region', '#/region');
    await page.locator('#region-recent tbody tr').first().waitFor();
    expect(await page.locator('#region-recent thead th').allTextContents()).not.toContain('Action');
    expect(await page.locator('#region-recent button').count()).toBe(0);

    // a council's users: the region and its councils, and who reads its forecasts
    await signInAs('commissioner', '#/region');
    await page.locator('#region-councils').waitFor();
    expect(await page.locator('#region-councils tbody th').first().textContent()).toBe(
      'Peterborough (E06000031) (your council)',
    );
    expect(await page.locator('#view').textContent()).toContain(
      'Regional forecasts are made and read by the region’s own users',
    );
    // eight links for a commissioner, still one line at 1440 px
    await expect.poll(() => page.locator('.top nav li:not([hidden]) a').count()).toBe(8);
    const tops = await page
      .locator('.top nav li:not([hidden]) a, #who button')
      .evaluateAll((as) => as.map((a) => Math.round(a.getBoundingClientRect().top)));
    expect(Math.max(...tops) - Math.min(...tops)).toBeLessThan(10);
    await checkView('region-council');
    await page.getByRole('link', { name: 'Commissioning' }).click();
    await expect
      .poll(() => page.locator('#region-line').textContent(), { timeout: 30_000 })
      .toMatch(/^Your council is in Demo region \(two Eastern councils\) with 1 other council/);
    expect(errors).toEqual([]);
  }, 300_000);
  it('a region with nothing to show says so, for each role: not set up yet, no forecast yet, no councils left', async () => {
    const region = 'lonely-region';
    const council = 'E06000015';
    const as = async (claims: Record<string, unknown>) => service.token({ sub: `lonely-${claims.sub}`, ...claims });
    const regionToken = (role: string) => as({ sub: role, 'cognito:groups': [role], 'custom:region': region });
    const councilDm = await as({ sub: 'council-dm', 'cognito:groups': ['data-manager'], 'custom:council': council });
    const put = async (path: string, token: string, body: unknown) =>
      (
        await fetch(`${service.url}${path}`, {
          method: 'PUT',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(body),
        })
      ).status;
    /** opens the page as the token's user (what the sign-in buttons do, for a tenant they do not offer) */
    const openAs = async (token: string, hash: string) => {
      await page.goto(`${service.url}/`);
      await page.evaluate((t) => sessionStorage.setItem('placement-forecast-token', t), token);
      await page.goto(`${service.url}/${hash}`);
      await page.reload();
    };
    const finance = await regionToken('finance');

    // a region's user whose region is not defined yet: not "your council is not in a region"
    await openAs(finance, '#/region');
    await page.locator('#region-unset').waitFor();
    expect(await page.locator('#region-unset').textContent()).toBe(
      `Your region (${region}) is not set up yet: councils join it by naming it on their own profiles, then the region’s data manager lists them. Its councils and regional forecasts appear here once it is.`,
    );
    await checkView('region-unset');

    // a council joins it, the region's data manager lists it: no forecast yet, and the words say who starts one
    expect([200, 201]).toContain(await put(`/councils/${council}`, councilDm, { name: 'Lonely council', region }));
    expect([200, 201]).toContain(
      await put(`/regions/${region}`, await regionToken('data-manager'), {
        name: 'Lonely region',
        councils: [council],
      }),
    );
    await openAs(finance, '#/region');
    await page.getByRole('heading', { name: 'Region: Lonely region' }).waitFor();
    await page.locator('#region-none').waitFor();
    expect(await page.locator('#region-none').textContent()).toBe(
      'No regional forecast yet: start one with the form below.',
    );
    expect(await page.locator('#region-councils tbody th').allTextContents()).toEqual([`Lonely council (${council})`]);
    expect(await page.locator('#region-form').count()).toBe(1);
    expect(await page.locator('#region-forecasts table, #region-cmp table').count()).toBe(0);
    await checkView('region-no-forecast');
    await openAs(await regionToken('viewer'), '#/region');
    await page.locator('#region-none').waitFor();
    expect(await page.locator('#region-none').textContent()).toBe(
      'No regional forecast yet: the region’s finance officers and commissioners start them, and they show here.',
    );
    expect(await page.locator('#region-form').count()).toBe(0);

    // its only council leaves: the region stays, says it has no councils, and offers no form
    expect([200, 201]).toContain(await put(`/councils/${council}`, councilDm, { name: 'Lonely council' }));
    await openAs(finance, '#/region');
    await page.locator('#region-empty').waitFor();
    expect(await page.locator('#region-empty').textContent()).toBe(
      'Lonely region has no councils: every council on its list has left it. A council joins by naming the region on its profile; then the region’s data manager lists it.',
    );
    expect(await page.locator('#region-none').textContent()).toBe('No regional forecast yet.');
    expect(await page.locator('#region-form').count()).toBe(0);
    await checkView('region-empty');
    expect(errors).toEqual([]);
  }, 120_000);
});
