/**
 * Regions and regional forecasts over real HTTP against the local service: PUT/GET regions of councils that joined
 * them by their profiles (the consent rule's own cases: tests/integration/region-consent.test.ts), a regional
 * forecast queued, run by the workers and read back with each council's forecast and the region's totals, and the bad regions (unknown council, 0 or > 200 councils, a council twice)
 * refused with a 422 naming the field and nothing stored.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useLocalService } from '../support/local-service.js';
import { useEmulator } from './emulators.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

describe('regions and regional forecasts', () => {
  // a region's users: region eastern's (and a second region's, for the clash)
  const regionTokens: Record<string, Record<string, string>> = {};
  const fin = () => regionTokens.eastern!.finance!;
  const dm = (region = 'eastern') => regionTokens[region]!['data-manager']!;

  const emulator = useEmulator();
  const { service, call, untilFinished } = useLocalService(() => {
    process.env.MAX_BODY_BYTES = String(2_000_000);
    return { dynamodbEndpoint: emulator().endpoint, drainSeconds: 0 };
  });
  beforeAll(async () => {
    for (const region of ['eastern', 'south-east', 'empty', 'big', 'twice', 'Bad_Id']) {
      regionTokens[region] = {};
      for (const role of ['finance', 'data-manager'])
        regionTokens[region]![role] = await service().token({
          sub: `${region}-${role}`,
          'cognito:groups': [role],
          'custom:region': region,
        });
    }
  });
  afterAll(() => {
    delete process.env.MAX_BODY_BYTES;
  });

  const untilDone = (id: string) => untilFinished(`/regional-forecasts/${id}`, fin());

  /** a council joins a region the only way there is: its own data manager names it on the council's profile */
  const join = async (code: string, region: string) => {
    const token = await service().token({
      sub: `${code}-dm`,
      'cognito:groups': ['data-manager'],
      'custom:council': code,
    });
    const r = await call('PUT', `/councils/${code}`, { token, body: { name: `Council ${code}`, region } });
    expect(r.status, JSON.stringify(r.body)).toBeLessThan(300);
    expect(r.body.profile.region).toBe(region);
  };

  it('creates, replaces, lists and reads a region of councils that joined it; one region per council', async () => {
    for (const code of ['E06000031', 'E10000003', 'E10000015']) await join(code, 'eastern');
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
    // another region cannot take a council that joined eastern: it has not joined that region (403 naming it)
    const clash = await call('PUT', '/regions/south-east', {
      token: dm('south-east'),
      body: { name: 'South East', councils: ['E10000015'] },
    });
    expect(clash.status).toBe(403);
    expect(clash.body.message).toMatch(
      /not joined to region south-east: E10000015 \(its data manager sets region: "south-east" on its profile: PUT \/councils\/E10000015\)/,
    );
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
    const councilDm = await service().token({
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
    // the council's profile (v1: the one it joined the region with) is the one the scenario was resolved with
    expect(scenario.council).toEqual({ code: 'E06000031', name: 'Council E06000031', version: 1 });
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

  describe('comparisons with a regional base', () => {
    const regionalBase = (councils?: unknown[]) => ({
      name: 'Two councils',
      start: '2018-04',
      horizonMonths: 24,
      runs: 200,
      seed: 3,
      councils: councils ?? [
        { code: 'E06000031', scenario: BASE },
        { code: 'E10000003', scenario: { ...BASE, childPopulation: { base: 140000, annualGrowth: 0 } } },
      ],
      budgets: { '2018/19': 40000000, '2019/20': 42000000 },
    });
    const HUB = 'Regional hub 30 households/yr';
    const OWN = 'Peterborough recruits 30 a year';
    const untilComparison = async (id: string, token: string) => {
      for (;;) {
        const r = await call('GET', `/comparisons/${id}`, { token });
        if (r.status !== 200) throw new Error(`GET /comparisons/${id}: ${r.status}`);
        if (r.body.status === 'complete' || r.body.status === 'failed') return r;
        await new Promise((res) => setTimeout(res, 50));
      }
    };

    it('runs every variant with common random numbers: regional totals paired, a line per council', async () => {
      const created = await call('POST', '/comparisons', {
        token: fin(),
        body: {
          regionalBase: regionalBase(),
          variants: [
            { name: HUB, overrides: { shared: { fosterRecruitmentPerYear: 30, fosterWeeklyCost: 650 } } },
            { name: OWN, overrides: { councils: { E06000031: { capacity: { recruitmentPerYear: 30 } } } } },
          ],
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      const done = await untilComparison(created.body.id, fin());
      expect(done.body.status, done.body.reason).toBe('complete');
      expect(done.body.regional).toEqual({ region: 'eastern', councils: ['E06000031', 'E10000003'] });
      const s = done.body.summary;
      expect(s.regional).toBe(true);
      expect(s.variants.map((v: { name: string }) => v.name)).toEqual(['Base', HUB, OWN]);
      expect(s.financialYears).toEqual(['2018/19', '2019/20']);
      const [base, hub, own] = s.variants;
      // the regional budget's chance over, for each variant
      expect(base.financialYears[0]).toMatchObject({ label: '2018/19', budget: 40000000 });
      expect(base.financialYears[0].pOverBudget).toBeGreaterThanOrEqual(0);
      expect(base.saving).toBeNull();
      for (const v of [hub, own]) {
        expect(v.saving.financialYears.map((f: { label: string }) => f.label)).toEqual(['2018/19', '2019/20']);
        expect(v.saving.horizon.se).toBeGreaterThan(0);
        expect(v.councils.map((c: { code: string }) => c.code)).toEqual(['E06000031', 'E10000003']);
      }
      // nothing couples the councils (no rota, no shared places in the base): Peterborough's own recruitment leaves
      // Cambridgeshire exactly as it was, and the region's paired saving is Peterborough's (runs rounded to £1)
      const cambs = own.councils[1];
      expect(cambs.saving.horizon).toEqual({ mean: 0, sd: 0, se: 0, p10: 0, p50: 0, p90: 0, pSaves: 0 });
      // each council's line paired run by run as the region's: SE = SD/√runs, the recruiting council clearly cheaper
      const pb = own.councils[0].saving;
      for (const y of [pb.horizon, ...pb.financialYears]) expect(y.se).toBe(y.sd / Math.sqrt(200));
      expect(pb.horizon.mean).toBeGreaterThan(3 * pb.horizon.se);
      expect(cambs.financialYears).toEqual(base.councils[1].financialYears);
      expect(Math.abs(own.saving.horizon.mean - own.councils[0].saving.horizon.mean)).toBeLessThanOrEqual(2);
      // 30 carer households a year instead of the base's: fewer children go to agency and residential care
      expect(own.saving.horizon.mean).toBeGreaterThan(3 * own.saving.horizon.se);
      // the regional comparison is the region's: listed for it, 404 to a council's users
      const listed = await call('GET', '/comparisons', { token: fin() });
      expect(listed.body.items.map((c: { id: string }) => c.id)).toContain(created.body.id);
      const councilFin = await service().token({
        sub: 'pb-fin2',
        'cognito:groups': ['finance'],
        'custom:council': 'E06000031',
      });
      expect((await call('GET', `/comparisons/${created.body.id}`, { token: councilFin })).status).toBe(404);
    });

    it('sweeps a council’s parameter by its code path and reports the base value', async () => {
      const created = await call('POST', '/comparisons', {
        token: fin(),
        body: {
          regionalBase: {
            ...regionalBase(),
            runs: 60,
            shared: { fosterHouseholds: 2, fosterWeeklyCost: 700 },
          },
          sweep: { path: 'shared.fosterHouseholds', values: [6, 12] },
        },
      });
      expect(created.status, JSON.stringify(created.body)).toBe(202);
      const done = await untilComparison(created.body.id, fin());
      expect(done.body.status, done.body.reason).toBe('complete');
      expect(done.body.sweep).toEqual({ path: 'shared.fosterHouseholds', baseValue: 2 });
      expect(done.body.summary.variants.map((v: { value?: number }) => v.value)).toEqual([undefined, 6, 12]);
      // the committee's workbook and report read the same summary: the region's totals
      for (const file of ['export.xlsx', 'report.docx']) {
        const r = await fetch(`${service().url}/comparisons/${created.body.id}/${file}`, {
          headers: { authorization: `Bearer ${fin()}` },
        });
        expect(r.status, file).toBe(200);
        expect((await r.arrayBuffer()).byteLength).toBeGreaterThan(1000);
      }
    });

    it('refuses bad regional bases and variants with a 422 naming the field (403 for a council), nothing stored', async () => {
      const before = (await call('GET', '/comparisons', { token: fin() })).body.items.length;
      const post = (body: unknown, token = fin()) => call('POST', '/comparisons', { token, body });
      const variant = (overrides: unknown) => [{ name: 'v', overrides }];
      // a council's users: a regional base is a region's (whatever councils it names)
      const councilCommissioner = await service().token({
        sub: 'pb-com',
        'cognito:groups': ['commissioner'],
        'custom:council': 'E06000031',
      });
      const asCouncil = await post(
        { regionalBase: regionalBase(), variants: variant({ nts: null }) },
        councilCommissioner,
      );
      expect(asCouncil.status).toBe(403);
      const outside = await post({
        regionalBase: regionalBase([
          { code: 'E06000031', scenario: BASE },
          { code: 'E09000001', scenario: BASE },
        ]),
        variants: variant({}),
      });
      expect(outside.status).toBe(422);
      expect(outside.body.issues[0]).toMatchObject({ path: 'regionalBase.councils.1.code' });
      const unknownCouncil = await post({
        regionalBase: regionalBase(),
        variants: variant({ councils: { E10000015: { capacity: { recruitmentPerYear: 3 } } } }),
      });
      expect(unknownCouncil.status).toBe(422);
      expect(unknownCouncil.body.issues[0]).toMatchObject({
        path: 'variants.0.overrides.councils.E10000015',
        code: 'unknown_council',
      });
      const seed = await post({ regionalBase: regionalBase(), variants: variant({ seed: 4 }) });
      expect(seed.body.issues[0]).toMatchObject({ path: 'variants.0.overrides.seed', code: 'not_allowed' });
      const hubWithoutPrice = await post({
        regionalBase: regionalBase(),
        variants: variant({ shared: { fosterRecruitmentPerYear: 30 } }),
      });
      expect(hubWithoutPrice.status).toBe(422);
      expect(hubWithoutPrice.body.issues.map((i: { path: string }) => i.path)).toEqual([
        'variants.0.overrides.shared.fosterWeeklyCost',
      ]);
      const badCouncil = await post({
        regionalBase: regionalBase(),
        variants: variant({ councils: { E10000003: { costs: { annualInflation: 3 } } } }),
      });
      expect(badCouncil.body.issues.map((i: { path: string }) => i.path)).toEqual([
        'variants.0.overrides.councils.E10000003.costs.annualInflation',
      ]);
      const noPath = await post({
        regionalBase: regionalBase(),
        sweep: { path: 'shared.residentialBeds', values: [3] },
      });
      expect(noPath.body.issues[0]).toMatchObject({ path: 'sweep.path', code: 'unknown_path' });
      const both = await post({ regionalBase: regionalBase(), base: BASE, variants: variant({}) });
      expect(both.status).toBe(422);
      expect(both.body.issues[0]).toMatchObject({ path: 'base' });
      // 41 variants of two councils at 20,000 runs over 60 months: ~1.2e11 child-months, above the 1e11 ceiling
      const tooBig = await post({
        regionalBase: {
          ...regionalBase(),
          runs: 20000,
          horizonMonths: 60,
          shared: { fosterHouseholds: 1, fosterWeeklyCost: 700 },
        },
        sweep: { path: 'shared.fosterHouseholds', values: Array.from({ length: 40 }, (_, k) => k + 2) },
      });
      expect(tooBig.status).toBe(422);
      expect(tooBig.body.issues[0]).toMatchObject({ path: 'regionalBase.runs', code: 'too_big' });
      // each council's cost in every run of every variant is kept to pair its saving: at most 1e7 of them. Two small
      // councils (ten children each, few entrants) at 100,000 runs over 120 months: 6 × 2 × 10 financial years ×
      // 100,000 runs is 1.2e7, while their work (1.3e10 child-months) is well within its own ceiling
      const tiny = {
        ...BASE,
        initial: (BASE.initial as unknown[]).slice(0, 10),
        entries: { multiplier: 0.05 },
        uasc: null,
      };
      const kept = await post({
        regionalBase: {
          ...regionalBase([
            { code: 'E06000031', scenario: tiny },
            { code: 'E10000003', scenario: tiny },
          ]),
          runs: 100000,
          horizonMonths: 120,
        },
        variants: [1, 2, 3, 4, 5].map((k) => ({
          name: `recruits ${k}`,
          overrides: { councils: { E06000031: { capacity: { recruitmentPerYear: k } } } },
        })),
      });
      expect(kept.status).toBe(422);
      expect(kept.body.issues).toEqual([
        {
          path: 'regionalBase.runs',
          code: 'too_big',
          message:
            '6 variants (base included) × 2 councils × 10 financial years × 100000 runs make 1.20e+7 per-run council costs to pair; at most 1e+7: fewer runs, variants or councils',
        },
      ]);
      expect((await call('GET', '/comparisons', { token: fin() })).body.items.length).toBe(before);
    });

    it('searches a regional base: the smallest value of a council’s parameter meeting a goal on the region’s cost', async () => {
      const untilTarget = async (id: string) => {
        for (;;) {
          const r = await call('GET', `/targets/${id}`, { token: fin() });
          if (r.status !== 200) throw new Error(`GET /targets/${id}: ${r.status}`);
          if (r.body.status === 'complete' || r.body.status === 'failed') return r;
          await new Promise((res) => setTimeout(res, 50));
        }
      };
      const search = { path: 'councils.E06000031.capacity.recruitmentPerYear', min: 0, max: 40 };
      const target = async (atMost: number) => {
        const created = await call('POST', '/targets', {
          token: fin(),
          body: {
            regionalBase: { ...regionalBase(), runs: 60 },
            search,
            goal: { metric: 'cost', financialYear: '2019/20', atMost },
          },
        });
        expect(created.status, JSON.stringify(created.body)).toBe(202);
        const done = await untilTarget(created.body.id);
        expect(done.body.status, done.body.reason).toBe('complete');
        return done.body;
      };
      // any value meets a goal of £1tn: the answer is the range's lowest, and its metric the region's median cost
      const loose = await target(1e12);
      expect(loose.regional).toEqual({ region: 'eastern', councils: ['E06000031', 'E10000003'] });
      expect(loose.answer).toMatchObject({ reachable: true, value: 0 });
      const atZero = loose.answer.metricAtValue as number;
      expect(atZero).toBeGreaterThan(1e6);
      // a goal 2% below that: more recruitment is needed; every value below the answer misses it
      const tight = await target(atZero * 0.98);
      const curve = tight.answer.curve as { value: number; metric: number; meets: boolean }[];
      expect(curve[0]).toMatchObject({ value: 0, metric: atZero, meets: false });
      if (tight.answer.reachable) {
        expect(tight.answer.value).toBeGreaterThan(0);
        expect(tight.answer.metricAtValue).toBeLessThanOrEqual(atZero * 0.98);
        for (const p of curve) expect(p.meets).toBe(p.value >= tight.answer.value);
      } else expect(curve.every((p) => !p.meets)).toBe(true);

      // bad searches: a goal the region has no per-run total for, a path not in the base, a council's token
      const post = (body: Record<string, unknown>, token = fin()) =>
        call('POST', '/targets', {
          token,
          body: { regionalBase: regionalBase(), search, goal: { metric: 'cost', atMost: 1 }, ...body },
        });
      const counts = await post({ goal: { metric: 'residential', atMost: 10 } });
      expect(counts.status).toBe(422);
      expect(counts.body.issues[0]).toMatchObject({ path: 'goal.metric', code: 'not_regional' });
      const noPath = await post({ search: { ...search, path: 'councils.E10000015.capacity.recruitmentPerYear' } });
      expect(noPath.body.issues[0]).toMatchObject({ path: 'search.path', code: 'unknown_path' });
      const negative = await post({ search: { ...search, min: -5 } });
      expect(negative.status).toBe(422);
      expect(negative.body.issues[0].path).toMatch(
        /^search\.min\.overrides\.councils\.E06000031\.capacity\.recruitmentPerYear/,
      );
      const withBudget = await post({ goal: { metric: 'pOverBudget', financialYear: '2018/19', atMost: 0.2 } });
      expect(withBudget.status).toBe(202); // the regional base sets a budget for 2018/19
      const council = await service().token({
        sub: 'pb-fin3',
        'cognito:groups': ['finance'],
        'custom:council': 'E06000031',
      });
      expect((await post({}, council)).status).toBe(403);
    });
  });
});
