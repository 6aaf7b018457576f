/**
 * The dashboard in a real headless Chromium (Debian's, driven by playwright-core) against the local service with the
 * demo dataset: sign in as a commissioner, run a sweep of three recruitment targets, watch the comparison table fill
 * with numbers and the chart render, and download the workbook. Mandatory when CI=true; elsewhere it is skipped, with
 * the reason printed, only if /usr/bin/chromium is missing.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../bin/serve.js';

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
/** where to leave screenshots for a person to look at (optional) */
const SHOTS = process.env.SCREENSHOT_DIR;

describe.skipIf(!available)('dashboard in Chromium', () => {
  let service: LocalService;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'WARN';
    dataDir = await mkdtemp(join(tmpdir(), 'browser-e2e-data-'));
    profile = await mkdtemp(join(tmpdir(), 'browser-e2e-profile-'));
    service = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: true, workers: 2 });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      acceptDownloads: true,
      viewport: { width: 1366, height: 900 },
    });
    page = context.pages()[0] ?? (await context.newPage());
  });

  afterAll(async () => {
    await context?.close();
    await service?.close();
    for (const d of [dataDir, profile]) if (d) await rm(d, { recursive: true, force: true });
  });

  it('signs in as a commissioner, compares three recruitment targets and downloads the workbook', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${service.url}/#/compare`);
    // the sign-in panel: the local service offers a development sign-in per role (GET /dev/tokens, loopback only)
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await page.getByRole('button', { name: 'Sign in as commissioner' }).click();
    await expect.poll(() => page.locator('#who').textContent()).toContain('commissioner');

    await page.getByRole('heading', { name: 'Compare recruitment targets' }).waitFor();
    await page.getByLabel(/New in-house carer households per year/).fill('0, 12, 24');
    await page.getByLabel(/Monte Carlo runs/).fill('200');
    await page.getByRole('button', { name: 'Compare' }).click();

    const table = page.locator('#comparison-table');
    await table.waitFor({ timeout: 90_000 });
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'comparison.png'), fullPage: true });
    const rows = table.locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(4); // the base and three targets
    const names = await rows.locator('th').allTextContents();
    expect(names).toEqual([
      'Base',
      '0 new carer households a year',
      '12 new carer households a year',
      '24 new carer households a year',
    ]);
    // every cell of a target's row holds a number (money or count), not a dash
    for (let r = 1; r < 4; r++) {
      const cells = await rows.nth(r).locator('td').allTextContents();
      expect(cells).toHaveLength(7);
      for (const c of cells) expect(c).toMatch(/\d/);
    }
    // another financial year re-renders the table from the same result
    const yearPicker = page.getByLabel('Financial year shown');
    await yearPicker.selectOption({ index: 2 });
    const year = await yearPicker.inputValue();
    expect(year).toMatch(/^\d{4}\/\d{2}$/);
    await expect.poll(() => table.locator('caption').textContent()).toContain(`in ${year}`);
    const chart = page.locator('svg[data-testid="comparison-chart"]');
    await chart.waitFor();
    expect(await chart.locator('g.bar').count()).toBe(3);

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download Excel' }).click(),
    ]);
    const file = join(profile, 'comparison.xlsx');
    await download.saveAs(file);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.readFile(file);
    expect(wb.worksheets.map((w) => w.name)).toEqual(['About', 'Variants', 'Savings by year', 'Inputs']);
    expect(wb.getWorksheet('Variants')!.getCell('A5').value).toBe('24 new carer households a year');
    expect(errors).toEqual([]);
  });

  it('opens a scenario with fan charts from the API, keyboard-reachable downloads and no page errors', async () => {
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${service.url}/#/new`);
    await page.getByLabel('Name').fill('Browser scenario');
    await page.getByLabel(/Monte Carlo runs/).fill('200');
    await page.getByLabel(/New in-house carer households per year/).fill('18');
    await page.getByRole('button', { name: 'Run scenario' }).click();
    await page.getByRole('button', { name: 'Download Excel' }).waitFor({ timeout: 90_000 });
    await expect.poll(() => page.locator('.chart svg path.band').count()).toBe(10); // 5 charts × 2 bands
    // the chart of any other category, chosen from a labelled list, comes from the API's chart.svg
    await page.getByLabel('Fan chart of another placement category').selectOption('secure');
    await expect.poll(() => page.locator('#series-chart svg title').textContent()).toBe('Browser scenario: secure');
    if (SHOTS) await page.screenshot({ path: join(SHOTS, 'scenario.png'), fullPage: true });
    // keyboard: the downloads are buttons in the tab order
    await page.getByRole('button', { name: 'Download Excel' }).focus();
    await page.keyboard.press('Tab');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Download CSV');
    expect(errors).toEqual([]);
  });
});
