/**
 * The Region page of a large region in a real headless Chromium against the local service: the councils table names
 * every council whose profile the user may read, in rota order, and the page asks for the names with one
 * GET /councils?region= per 100 councils (here 2 for 120), never one request per council. Skipped, with the reason
 * printed, only when /usr/bin/chromium is missing outside CI (as tests/e2e/browser.test.ts).
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { startLocalService, type LocalService } from '../../bin/serve.js';

const CHROMIUM = '/usr/bin/chromium';
const available = existsSync(CHROMIUM);
if (!available) {
  if (process.env.CI === 'true') throw new Error(`${CHROMIUM} is missing: the browser tests are mandatory in CI`);
  console.warn(`skipping the Region page test: ${CHROMIUM} is not installed (apt-get install chromium)`);
}
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', '--disable-sync'];

const N = 120;
const CODES = Array.from({ length: N }, (_, i) => `E06${String(200 + i).padStart(6, '0')}`);
const nameOf = (code: string) => `Shire ${code.slice(-3)}`;
const shown = (code: string) => `${nameOf(code)} (${code})`;

describe.skipIf(!available)('Region page of a 120-council region', () => {
  let service: LocalService;
  let dataDir: string;
  let profile: string;
  let context: BrowserContext;
  let tab: Page | undefined;
  const errors: string[] = [];
  /** path and query of every request the page makes to /councils */
  const councilCalls: string[] = [];

  const post = async (method: string, path: string, token: string, body: unknown) => {
    const res = await fetch(`${service.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status, `${method} ${path}`).toBeLessThan(300);
  };

  /** open the Region page in a fresh tab signed in with this token (as the sign-in panel leaves it in the session) */
  async function openRegion(token: string): Promise<Page> {
    await tab?.close();
    const page = await context.newPage();
    tab = page;
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('request', (r) => {
      const u = new URL(r.url());
      if (u.pathname === '/councils' || u.pathname.startsWith('/councils/')) councilCalls.push(u.pathname + u.search);
    });
    await page.addInitScript((t) => sessionStorage.setItem('placement-forecast-token', t), token);
    councilCalls.length = 0;
    await page.goto(`${service.url}/#/region`);
    await page.getByRole('heading', { name: 'Region: Wide shires' }).waitFor();
    await page.locator('#region-councils').waitFor();
    return page;
  }

  beforeAll(async () => {
    process.env.LOG_LEVEL = 'WARN';
    dataDir = await mkdtemp(join(tmpdir(), 'region-e2e-data-'));
    profile = await mkdtemp(join(tmpdir(), 'region-e2e-profile-'));
    service = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 1 });
    // every council joins the region by its own profile (a region lists only councils that joined it)
    for (const code of CODES) {
      const dm = await service.token({ sub: `dm-${code}`, 'cognito:groups': ['data-manager'], 'custom:council': code });
      await post('PUT', `/councils/${code}`, dm, { name: nameOf(code), region: 'wide' });
    }
    const regionDm = await service.token({
      sub: 'dm-wide',
      'cognito:groups': ['data-manager'],
      'custom:region': 'wide',
    });
    await post('PUT', '/regions/wide', regionDm, { name: 'Wide shires', councils: CODES });
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      viewport: { width: 1440, height: 900 },
    });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await service?.close();
    for (const d of [dataDir, profile]) if (d) await rm(d, { recursive: true, force: true });
  }, 120_000);

  it("a region's user: every council named from its profile, in rota order, from 2 calls", async () => {
    const page = await openRegion(
      await service.token({ sub: 'fin-wide', 'cognito:groups': ['finance'], 'custom:region': 'wide' }),
    );
    expect(await page.locator('#region-councils tbody th').allTextContents()).toEqual(CODES.map((c) => shown(c)));
    expect(await page.locator('#region-councils tbody td:nth-child(2)').allTextContents()).toEqual(
      CODES.map((_, i) => String(i + 1)),
    );
    expect(councilCalls).toHaveLength(2);
    expect(councilCalls[0]).toBe('/councils?region=wide&limit=100');
    expect(councilCalls[1]).toMatch(/^\/councils\?region=wide&limit=100&cursor=[\w.-]+$/);
    expect(errors).toEqual([]);
  }, 120_000);

  it("a member council's user: its own council named, the others by code (what it may read), from 2 calls", async () => {
    const own = CODES[4]!;
    const page = await openRegion(
      await service.token({ sub: 'viewer-own', 'cognito:groups': ['viewer'], 'custom:council': own }),
    );
    expect(await page.locator('#region-councils tbody th').allTextContents()).toEqual(
      CODES.map((c) => (c === own ? `${nameOf(c)} (${c}) (your council)` : c)),
    );
    expect(councilCalls, councilCalls.join(' ')).toHaveLength(2);
    expect(councilCalls.every((c) => c.startsWith('/councils?region=wide&limit=100'))).toBe(true);
    expect(errors).toEqual([]);
  }, 120_000);
});
