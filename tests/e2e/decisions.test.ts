/**
 * The decision tools over real HTTP on the local service (dynalite, worker threads): comparisons fan out and pair
 * their variants, targets find a value or say it is out of range, exports open in Excel's library, charts are SVG.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { startLocalService, type LocalService } from '../../bin/serve.js';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';
import { requestLogger } from '#functions/http/logger';
import { processJob, type JobContext } from '#functions/jobs/registry';
import '#functions/jobs/kinds';
import { csvSections } from '../fixtures/csv-sections.js';

let service: LocalService;
let dir: string;
let base: Record<string, unknown>;

const RUNS = 200;

async function call(method: string, path: string, opts: { token?: string; body?: unknown; key?: string } = {}) {
  const headers: Record<string, string> = {};
  if (opts.token) headers.authorization = `Bearer ${opts.token}`;
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (opts.key) headers['idempotency-key'] = opts.key;
  const res = await fetch(service.url + path, {
    method,
    headers,
    ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
  });
  const type = res.headers.get('content-type') ?? '';
  const body: any = type.includes('json')
    ? await res.json()
    : type.includes('sheet')
      ? Buffer.from(await res.arrayBuffer())
      : await res.text();
  return { status: res.status, body, headers: res.headers };
}

/** Poll until the record leaves queued/running; the bound only stops a broken run from hanging the suite. */
async function settle(path: string, token: string): Promise<any> {
  for (let i = 0; i < 600; i++) {
    const r = await call('GET', path, { token });
    if (r.status !== 200) throw new Error(`${path}: ${r.status} ${JSON.stringify(r.body)}`);
    if (r.body.status !== 'queued' && r.body.status !== 'running') return r.body;
    await new Promise((ok) => setTimeout(ok, 200));
  }
  throw new Error(`${path} did not finish`);
}

beforeAll(async () => {
  process.env.LOG_LEVEL = 'WARN';
  dir = await mkdtemp(join(tmpdir(), 'decisions-e2e-'));
  service = await startLocalService({ port: 0, dataDir: dir, quiet: true, loadDemo: false, workers: 2 });
  const scenario = JSON.parse(await readFile(DEFAULT_SCENARIO_PATH, 'utf8'));
  // the swept parameter fixed at 12 in the base (the default scenario gives it as a range, and a sweep value replaces
  // a range with a fixed number), so the variant "12" is the very same scenario and must pair to exactly zero
  base = { ...scenario, capacity: { ...scenario.capacity, recruitmentPerYear: 12 }, runs: RUNS, seed: 7 };
});

afterAll(async () => {
  await service?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('comparisons over HTTP', () => {
  let id: string;

  it('queues a sweep (202), refuses the wrong role (403) and no token (401)', async () => {
    const body = { base, sweep: { path: 'capacity.recruitmentPerYear', values: [0, 12, 24] } };
    const created = await call('POST', '/comparisons', { token: service.tokens.commissioner, body, key: 'cmp-1' });
    expect(created.status).toBe(202);
    expect(created.body.status).toBe('queued');
    id = created.body.id;
    const replay = await call('POST', '/comparisons', { token: service.tokens.commissioner, body, key: 'cmp-1' });
    expect(replay.body.id).toBe(id);
    expect((await call('POST', '/comparisons', { token: service.tokens.viewer, body })).status).toBe(403);
    expect((await call('POST', '/comparisons', { body })).status).toBe(401);
  });

  it('pairs every variant with the base once all have run', async () => {
    const c = await settle(`/comparisons/${id}`, service.tokens.viewer);
    expect(c.status).toBe('complete');
    expect(c.progress).toBe(100);
    expect(c.variants.map((v: any) => v.status)).toEqual(['complete', 'complete', 'complete', 'complete']);
    const s = c.summary;
    expect(s.runs).toBe(RUNS);
    expect(s.seed).toBe(7);
    expect(s.variants.map((v: any) => v.value ?? null)).toEqual([null, 0, 12, 24]);
    expect(s.variants[0].saving).toBeNull();
    // 12 a year is the base's own value: same scenario, same seed, so every paired difference is exactly zero
    expect(s.variants[2].saving.horizon.sd).toBe(0);
    expect(s.variants[2].saving.horizon.mean).toBe(0);
    // no recruitment costs more than the base by more than 4 standard errors of the paired mean
    expect(s.variants[1].saving.horizon.mean).toBeLessThan(-4 * s.variants[1].saving.horizon.se);
    for (const v of s.variants) {
      for (const f of v.financialYears) expect(f.p10).toBeLessThanOrEqual(f.p90);
      expect(v.horizon.residential.p10).toBeLessThanOrEqual(v.horizon.residential.p90);
    }
  });

  it("lists comparisons newest first, the caller's own with ?createdBy=me", async () => {
    const all = await call('GET', '/comparisons', { token: service.tokens.viewer });
    expect(all.status).toBe(200);
    const mine = all.body.items.find((c: any) => c.id === id);
    expect(mine).toMatchObject({
      status: 'complete',
      runs: RUNS,
      createdBy: 'dev-commissioner',
      variants: [
        'Base',
        '0 new carer households a year',
        '12 new carer households a year',
        '24 new carer households a year',
      ],
    });
    const own = await call('GET', '/comparisons?createdBy=me', { token: service.tokens.finance });
    expect(own.body.items.some((c: any) => c.id === id)).toBe(false);
    expect((await call('GET', '/comparisons')).status).toBe(401);
  });

  it('exports the comparison as a workbook whose savings equal the JSON', async () => {
    const r = await call('GET', `/comparisons/${id}/export.xlsx`, { token: service.tokens.finance });
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toContain('spreadsheetml');
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    const sheet = wb.getWorksheet('Savings by year')!;
    const c = (await call('GET', `/comparisons/${id}`, { token: service.tokens.finance })).body;
    const years = c.summary.financialYears.length;
    // rows: header, then variants × years in order; variant 1 (value 0), first year
    const row = sheet.getRow(2 + years);
    expect(row.getCell(1).value).toBe(c.summary.variants[1].name);
    expect(row.getCell(9).value).toBe(c.summary.variants[1].saving.financialYears[0].mean);
  });

  it('says 422 with paths for an invalid variant and a sweep of an unknown path, and 404 for an unknown id', async () => {
    const bad = await call('POST', '/comparisons', {
      token: service.tokens.finance,
      body: { base, variants: [{ name: 'minus', overrides: { capacity: { recruitmentPerYear: -1 } } }] },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: any) => i.path)).toContain('variants.0.capacity.recruitmentPerYear');
    const unknown = await call('POST', '/comparisons', {
      token: service.tokens.finance,
      body: { base, sweep: { path: 'capacity.recruits', values: [1] } },
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.issues[0].code).toBe('unknown_path');
    const both = await call('POST', '/comparisons', {
      token: service.tokens.finance,
      body: { base, datasetId: 'x', sweep: { path: 'capacity.recruitmentPerYear', values: [1] } },
    });
    expect(both.status).toBe(422);
    expect(both.body.issues).toContainEqual(
      expect.objectContaining({ path: 'base', message: 'give either base (a scenario) or datasetId, not both' }),
    );
    const neither = await call('POST', '/comparisons', {
      token: service.tokens.finance,
      body: { sweep: { path: 'capacity.recruitmentPerYear', values: [1] } },
    });
    expect(neither.status).toBe(422);
    expect(neither.body.issues).toContainEqual(
      expect.objectContaining({ path: 'base', message: 'give one of base (a scenario), datasetId or regionalBase' }),
    );
    expect((await call('GET', '/comparisons/cmp_nope', { token: service.tokens.finance })).status).toBe(404);
  });
});

describe('a comparison whose variant cannot run', () => {
  it("ends failed with the variant's reason (no retry for bad input), and has nothing to export (409)", async () => {
    const store = service.store;
    const id = 'cmp_brokenvariant';
    const createdAt = new Date().toISOString();
    await store.create(
      {
        kind: 'comparison-variant',
        id: `${id}.0`,
        createdAt,
        tenant: 'council:E06000031', // the first demo council's, whose tokens this test uses
        summary: { comparisonId: id, index: 0, name: 'Base', status: 'queued' },
      },
      { scenario: { horizonMonths: -1 } },
    );
    await store.create(
      {
        kind: 'comparison',
        id,
        createdAt,
        tenant: 'council:E06000031',
        summary: { status: 'queued', runs: 10, seed: 1, variants: [{ name: 'Base' }] },
      },
      { base: {}, spec: {} },
    );
    const ctx: JobContext = {
      store,
      logger: requestLogger({ requestId: 'test' }),
      receiveCount: 1,
      finalAttempt: false,
      progress: () => undefined,
      shouldCancel: () => false,
      cancelReason: () => '',
      now: () => new Date(),
    };
    const outcome = await processJob({ kind: 'comparison-variant', id: `${id}.0`, comparisonId: id, index: 0 }, ctx);
    expect(outcome).toEqual({ ok: true });
    const c = await call('GET', `/comparisons/${id}`, { token: service.tokens.viewer });
    expect(c.body.status).toBe('failed');
    expect(c.body.reason).toMatch(/^variant 0 failed: invalid scenario: /);
    expect(c.body.variants[0].status).toBe('failed');
    expect((await call('GET', `/comparisons/${id}/export.xlsx`, { token: service.tokens.viewer })).status).toBe(409);
  });
});

describe('targets over HTTP', () => {
  it('finds the smallest recruitment that keeps agency fostering down, with its curve', async () => {
    const created = await call('POST', '/targets', {
      token: service.tokens.commissioner,
      body: {
        base,
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 40 },
        goal: { metric: 'agencyFoster', atMost: 95, withProbability: 0.8 },
      },
    });
    expect(created.status).toBe(202);
    const t = await settle(`/targets/${created.body.id}`, service.tokens.commissioner);
    expect(t.status).toBe('complete');
    const a = t.answer;
    expect(a.reachable).toBe(true);
    const at = a.curve.find((p: any) => p.value === a.value);
    expect(at.metric).toBeLessThanOrEqual(95);
    expect(a.curve.filter((p: any) => p.value < a.value).every((p: any) => p.metric > 95)).toBe(true);
    expect(a.curve.map((p: any) => p.value)).toEqual(
      [...a.curve.map((p: any) => p.value)].sort((x: number, y: number) => x - y),
    );
  });

  it('says a goal is not reachable within the range', async () => {
    const created = await call('POST', '/targets', {
      token: service.tokens.finance,
      body: {
        base,
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 10 },
        goal: { metric: 'residential', atMost: 0 },
      },
    });
    const t = await settle(`/targets/${created.body.id}`, service.tokens.finance);
    expect(t.status).toBe('complete');
    expect(t.answer.reachable).toBe(false);
    expect(t.answer.value).toBeUndefined();
    expect(t.answer.message).toMatch(/^not reachable within the range 0–10/);
    // both searches are listed, newest first, with what they searched
    const list = await call('GET', '/targets', { token: service.tokens.viewer });
    expect(list.status).toBe(200);
    expect(list.body.items[0]).toMatchObject({
      id: created.body.id,
      status: 'complete',
      progress: 100,
      path: 'capacity.recruitmentPerYear',
      metric: 'residential',
      createdBy: 'dev-finance',
    });
    expect(list.body.items[1]).toMatchObject({ metric: 'agencyFoster', createdBy: 'dev-commissioner' });
  });

  it('refuses at once a goal that cannot be measured (422)', async () => {
    const r = await call('POST', '/targets', {
      token: service.tokens.finance,
      body: {
        base,
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 10 },
        goal: { metric: 'pOverBudget', financialYear: '2030/31', atMost: 0.2 },
      },
    });
    expect(r.status).toBe(422);
    expect(r.body.issues[0]).toMatchObject({ path: 'goal.financialYear', code: 'not_measurable' });
  });

  it('refuses at once a search over how the forecast is run (runs, seed, start, horizon)', async () => {
    for (const path of ['runs', 'seed', 'horizonMonths']) {
      const r = await call('POST', '/targets', {
        token: service.tokens.finance,
        body: { base, search: { path, min: 12, max: 60 }, goal: { metric: 'residential', atMost: 30 } },
      });
      expect(r.status).toBe(422);
      expect(r.body.issues[0]).toMatchObject({ path: 'search.path', code: 'not_searchable' });
    }
  });
});

describe('scenario exports and charts over HTTP', () => {
  let id: string;
  let result: any;

  beforeAll(async () => {
    const created = await call('POST', '/scenarios', { token: service.tokens.finance, body: base });
    id = created.body.id;
    const s = await settle(`/scenarios/${id}`, service.tokens.finance);
    expect(s.status).toBe('complete');
    result = s.result;
  });

  it('serves an xlsx with dates as dates and money equal to the JSON result', async () => {
    const r = await call('GET', `/scenarios/${id}/export.xlsx`, { token: service.tokens.viewer });
    expect(r.status).toBe(200);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(r.body);
    expect(wb.worksheets.map((w) => w.name)).toEqual([
      'About',
      'Children by month',
      'Cost by financial year',
      'Cost by month',
      'In-house capacity',
      'UASC',
      'Inputs',
    ]);
    expect(wb.getWorksheet('Children by month')!.getCell('A2').type).toBe(ExcelJS.ValueType.Date);
    const years = wb.getWorksheet('Cost by financial year')!;
    expect(years.getCell('F2').value).toBe(result.cost.financialYears[0].p50);
    expect(years.getCell('F2').numFmt).toContain('"£"');
    expect(years.getCell('H2').value).toBe(result.cost.financialYears[0].budget);
  });

  it('serves the CSV and a fan chart per series, and 400 for an unknown series', async () => {
    const csv = await call('GET', `/scenarios/${id}/export.csv`, { token: service.tokens.viewer });
    expect(csv.status).toBe(200);
    const sections = csvSections(csv.body);
    expect(sections['Children and cost by month']![0]).toEqual([
      'Measure',
      'Month',
      'Placement',
      'Mean',
      'P5',
      'P10',
      'P25',
      'P50',
      'P75',
      'P90',
      'P95',
    ]);
    expect(sections['Cost by financial year']![0]![0]).toBe('Financial year');
    for (const series of ['total', 'residential', 'cost']) {
      const svg = await call('GET', `/scenarios/${id}/chart.svg?series=${series}`, { token: service.tokens.viewer });
      expect(svg.status).toBe(200);
      expect(svg.headers.get('content-type')).toContain('image/svg+xml');
      expect(svg.body.startsWith('<svg')).toBe(true);
    }
    expect(
      (await call('GET', `/scenarios/${id}/chart.svg?series=nonsense`, { token: service.tokens.viewer })).status,
    ).toBe(400);
    expect((await call('GET', `/scenarios/${id}/chart.svg`)).status).toBe(401);
  });
});
