/**
 * Regions and regional forecasts over real HTTP against the local service: PUT/GET regions, a
 * council in one region at most, a regional forecast queued, run by the workers and read back with each council's
 * forecast and the region's totals, and the bad regions (unknown council, 0 or > 200 councils, a council twice)
 * refused with a 422 naming the field and nothing stored.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalService, type LocalService } from '../../bin/local/service.js';
import { client } from './client.js';
import { startDynalite, type Emulator } from './emulators.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('regions and regional forecasts', () => {
  let emulator: Emulator;
  let svc: LocalService;
  const { call } = client(() => svc.url);
  // a region's users: region eastern's (and a second region's, for the clash)
  const regionTokens: Record<string, Record<string, string>> = {};
  const fin = () => regionTokens.eastern!.finance!;
  const dm = (region = 'eastern') => regionTokens[region]!['data-manager']!;

  beforeAll(async () => {
    emulator = await startDynalite();
    process.env.MAX_BODY_BYTES = String(2_000_000);
    svc = await startLocalService({
      dynamodbEndpoint: emulator.endpoint,
      dataDir: mkdtempSync(join(tmpdir(), 'svc-')),
      port: 0,
      loadDemo: false,
      quiet: true,
      workers: 1,
      drainSeconds: 0,
    });
    for (const region of ['eastern', 'south-east', 'empty', 'big', 'twice', 'Bad_Id']) {
      regionTokens[region] = {};
      for (const role of ['finance', 'data-manager'])
        regionTokens[region]![role] = await svc.token({
          sub: `${region}-${role}`,
          'cognito:groups': [role],
          'custom:region': region,
        });
    }
  });
  afterAll(async () => {
    await svc?.close();
    await emulator?.stop();
    delete process.env.MAX_BODY_BYTES;
  });

  const untilDone = async (id: string) => {
    for (;;) {
      const r = await call('GET', `/regional-forecasts/${id}`, { token: fin() });
      if (r.status !== 200) throw new Error(`GET /regional-forecasts/${id}: ${r.status}`);
      if (r.body.status === 'complete' || r.body.status === 'failed') return r;
      await new Promise((res) => setTimeout(res, 50));
    }
  };

  it('creates, replaces, lists and reads a region; a council belongs to one region at most', async () => {
    const put = await call('PUT', '/regions/eastern', {
      token: dm(),
      body: { name: 'Eastern', councils: ['E06000031', 'E10000003'] },
    });
    expect(put.status).toBe(201);
    expect(put.body).toMatchObject({ id: 'eastern', name: 'Eastern', councils: ['E06000031', 'E10000003'] });
    const again = await call('PUT', '/regions/eastern', {
      token: dm(),
      body: { name: 'Eastern region', councils: ['E06000031', 'E10000003', 'E10000015'] },
    });
    expect(again.status).toBe(200);
    expect(again.body.councils).toEqual(['E06000031', 'E10000003', 'E10000015']);
    const clash = await call('PUT', '/regions/south-east', {
      token: dm('south-east'),
      body: { name: 'South East', councils: ['E10000015'] },
    });
    expect(clash.status).toBe(409);
    expect(clash.body.message).toMatch(/E10000015 already belongs to region eastern/);
    expect((await call('GET', '/regions/south-east', { token: fin() })).status).toBe(404);
    const list = await call('GET', '/regions', { token: fin() });
    expect(list.body.items.map((r: { id: string }) => r.id)).toEqual(['eastern']);
    expect((await call('GET', '/regions/eastern', { token: fin() })).body.name).toBe('Eastern region');
    // only data managers define regions
    expect(
      (await call('PUT', '/regions/eastern', { token: fin(), body: { name: 'x', councils: ['E06000031'] } })).status,
    ).toBe(403);
  });

  it('refuses a bad region: 0 or more than 200 councils, a council twice, a bad code or id', async () => {
    const bad = async (id: string, body: unknown) => call('PUT', `/regions/${id}`, { token: dm(id), body });
    const zero = await bad('empty', { name: 'Empty', councils: [] });
    expect(zero.status).toBe(422);
    expect(zero.body.issues).toEqual([
      expect.objectContaining({ path: 'councils', message: 'a region needs at least one council' }),
    ]);
    const many = Array.from({ length: 201 }, (_, i) => `E06${String(i).padStart(6, '0')}`);
    const big = await bad('big', { name: 'Big', councils: many });
    expect(big.status).toBe(422);
    expect(big.body.issues[0].message).toBe('a region has at most 200 councils');
    const twice = await bad('twice', { name: 'Twice', councils: ['E06000031', 'E06000031'] });
    expect(twice.status).toBe(422);
    expect(twice.body.issues[0]).toMatchObject({ path: 'councils.1' });
    expect((await bad('Bad_Id', { name: 'x', councils: ['E06000099'] })).status).toBe(422);
    expect((await call('GET', '/regions', { token: fin() })).body.items).toHaveLength(1);
  });

  it('runs a regional forecast: each council’s forecast and the region’s totals, the rota accounted for', async () => {
    const scenario = { ...BASE, runs: 50 };
    const created = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: {
        name: 'Two councils',
        start: '2018-04',
        horizonMonths: 24,
        runs: 120,
        seed: 5,
        councils: [
          { code: 'E06000031', scenario },
          { code: 'E10000003', scenario: { ...scenario, childPopulation: { base: 140000, annualGrowth: 0 } } },
        ],
        nts: { regionalTransfersPerMonth: 5, rule: 'rota' },
        shared: { residentialBeds: 6, weeklyCost: 3500 },
        budgets: { '2018/19': 40000000 },
      },
    });
    expect(created.status).toBe(202);
    const done = await untilDone(created.body.id);
    expect(done.body.status).toBe('complete');
    expect(done.body).toMatchObject({ region: 'eastern', councils: ['E06000031', 'E10000003'], runs: 120 });
    const r = done.body.result;
    expect(Object.keys(r.councils)).toEqual(['E06000031', 'E10000003']);
    expect(r.councils.E06000031.runs).toBe(120);
    expect(r.region.cost.financialYears[0]).toMatchObject({ label: '2018/19', budget: 40000000 });
    expect(r.region.cost.financialYears[0].pOverBudget).toBeGreaterThanOrEqual(0);
    const u = r.region.uasc;
    const arrivals = u.arrivals.mean.reduce((a: number, b: number) => a + b, 0);
    const placed = Object.values(u.transfersByCouncil).reduce(
      (a: number, x) => a + (x as { total: { mean: number } }).total.mean,
      0,
    );
    expect(placed + u.notPlacedTotal.mean).toBeCloseTo(arrivals, 9);
    expect(Math.max(...r.region.shared.residential.occupancy.p95)).toBeLessThanOrEqual(6);
    // the inputs are kept whole, each council with the region's start, horizon and runs applied at run time
    expect(done.body.inputs.councils[1].code).toBe('E10000003');
    const list = await call('GET', '/regional-forecasts?createdBy=me', { token: fin() });
    expect(list.body.items.map((x: { id: string }) => x.id)).toContain(created.body.id);
  });

  it('refuses a regional forecast naming a council outside the region, and one with a bad council scenario', async () => {
    const body = (councils: unknown[]) => ({ name: 'x', start: '2018-04', horizonMonths: 12, runs: 10, councils });
    const before = (await call('GET', '/regional-forecasts', { token: fin() })).body.items.length;
    const outside = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([
        { code: 'E06000031', scenario: BASE },
        { code: 'E09000001', scenario: BASE },
      ]),
    });
    expect(outside.status).toBe(422);
    expect(outside.body.issues).toEqual([
      expect.objectContaining({
        path: 'councils.1.code',
        message: 'council E09000001 is not a council of region eastern',
      }),
    ]);
    const badScenario = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([
        { code: 'E06000031', scenario: { ...BASE, costs: { ...(BASE.costs as object), annualInflation: 3 } } },
      ]),
    });
    expect(badScenario.status).toBe(422);
    expect(badScenario.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'councils.0.scenario.costs.annualInflation',
    ]);
    const noDataset = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([{ code: 'E06000031', datasetId: 'ds_nope' }]),
    });
    expect(noDataset.status).toBe(422);
    expect(noDataset.body.issues[0].path).toBe('councils.0.datasetId');
    // neither a scenario nor a dataset: the council's current dataset, and this council has none yet
    const noCurrent = await call('POST', '/regional-forecasts', { token: fin(), body: body([{ code: 'E10000003' }]) });
    expect(noCurrent.status).toBe(422);
    expect(noCurrent.body.issues).toEqual([
      expect.objectContaining({
        path: 'councils.0',
        code: 'no_current_dataset',
        message:
          'council E10000003 has no current dataset: its data manager uploads one (POST /datasets), or give this council a datasetId or a whole scenario',
      }),
    ]);
    expect((await call('GET', '/regional-forecasts', { token: fin() })).body.items.length).toBe(before);
  });

  it('resolves a council named by its code only from its current dataset and profile; 422 when it has none', async () => {
    // Peterborough's data manager uploads a dataset (it becomes current) and a newer one; the region names the council only
    const councilDm = await svc.token({
      sub: 'pb-dm',
      'cognito:groups': ['data-manager'],
      'custom:council': 'E06000031',
    });
    const upload = async (end: string) => {
      const r = await call('POST', '/datasets', {
        token: councilDm,
        body: { format: 'records', ...recordsAt(history(60, 11), end) },
      });
      expect(r.status).toBe(201);
      return r.body.id as string;
    };
    await upload('2015-03-31');
    const current = await upload('2016-03-31');
    const body = (councils: unknown[]) => ({
      name: 'From data',
      start: '2016-04',
      horizonMonths: 36,
      runs: 60,
      councils,
    });
    const created = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([{ code: 'E06000031' }, { code: 'E10000003', scenario: { ...BASE, runs: 10 } }]),
    });
    expect(created.status, JSON.stringify(created.body)).toBe(202);
    const done = await untilDone(created.body.id);
    expect(done.body.status).toBe('complete');
    expect(done.body.datasets).toEqual({ E06000031: current });
    const scenario = done.body.inputs.councils[0].scenario;
    expect(scenario.name).toBe('From data to 2016-03-31');
    expect(scenario.council).toEqual({ code: 'E06000031' });
    expect(done.body.result.councils.E06000031.runs).toBe(60);
    // overrides on the current dataset's scenario
    const withOverrides = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([{ code: 'E06000031', overrides: { capacity: { recruitmentPerYear: 30 } } }]),
    });
    expect(withOverrides.status).toBe(202);
    const done2 = await untilDone(withOverrides.body.id);
    expect(done2.body.inputs.councils[0].scenario.capacity.recruitmentPerYear).toBe(30);
    expect(done2.body.inputs.councils[0].scenario.sources['capacity.recruitmentPerYear']).toBe('override');

    // E10000015 (a council of the region since the region was replaced) has no dataset: a 422 naming it, nothing stored
    const before = (await call('GET', '/regional-forecasts', { token: fin() })).body.items.length;
    const none = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([{ code: 'E06000031' }, { code: 'E10000015' }]),
    });
    expect(none.status).toBe(422);
    expect(none.body.issues).toEqual([
      expect.objectContaining({
        path: 'councils.1',
        code: 'no_current_dataset',
        message: expect.stringMatching(/^council E10000015 has no current dataset: its data manager uploads one/),
      }),
    ]);
    // a bad override on the current dataset's scenario names the field
    const badOverride = await call('POST', '/regional-forecasts', {
      token: fin(),
      body: body([{ code: 'E06000031', overrides: { capacity: { recruitmentPerYear: -3 } } }]),
    });
    expect(badOverride.status).toBe(422);
    expect(badOverride.body.issues.map((i: { path: string }) => i.path)).toEqual([
      'councils.0.overrides.capacity.recruitmentPerYear',
    ]);
    expect((await call('GET', '/regional-forecasts', { token: fin() })).body.items.length).toBe(before);
  });
});
