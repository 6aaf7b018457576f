/**
 * Council profiles over HTTP on dynalite: PUT/GET/list with versions, 422s naming each impossible field,
 * roles; datasets that belong to a council; two councils of very different size with the same data get their own
 * UASC thresholds and capacities, exactly; a council with no profile forecasts with its example values named, or is
 * refused with `requireProfile`; a profile update never changes a stored forecast.
 */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { householdsFor } from '#models/council-resolve';
import { useLocalService } from '../support/local-service.js';
import { useEmulator } from './emulators.js';

const files = Object.fromEntries(
  ['header', 'episodes', 'uasc'].map((t) => [t, readFileSync(`data/demo/${t}.csv`, 'utf8')]),
);

const SMALL = {
  name: 'Smallshire',
  childPopulation: { base: 50000, year: 2017, annualGrowth: 0 },
  capacity: { inHouseHouseholds: 120, placesPerHousehold: 1.6 },
};
const LARGE = {
  name: 'Largeshire',
  childPopulation: { base: 140000, year: 2017, annualGrowth: 0 },
  capacity: { inHouseHouseholds: 250, placesPerHousehold: 1.7, recruitmentPerYear: 20 },
};

describe('council profiles over HTTP', () => {
  // every user belongs to one council (custom:council): each test acts as the council it is about
  let at = 'E06000101';
  const CODES = ['E06000101', 'E06000102', 'E06000201', 'E10000202', 'E08000301', 'E09000401'];
  const minted = new Map<string, string>();
  const as = (role: string, council = at): string => minted.get(`${role} ${council}`)!;
  const dm = () => as('data-manager');
  const fin = () => as('finance');

  const emulator = useEmulator();
  const { service, call, untilDone } = useLocalService(() => {
    process.env.MAX_BODY_BYTES = String(2_000_000);
    return { dynamodbEndpoint: emulator().endpoint, drainSeconds: 0 };
  });
  beforeAll(async () => {
    for (const council of CODES)
      for (const role of ['data-manager', 'finance', 'viewer'])
        minted.set(
          `${role} ${council}`,
          await service().token({ sub: `${role}-${council}`, 'cognito:groups': [role], 'custom:council': council }),
        );
  });
  afterAll(() => {
    delete process.env.MAX_BODY_BYTES;
  });

  const upload = async (council?: string) => {
    if (council) at = council;
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files, mode: 'lenient', ...(council ? { council } : {}) },
    });
    expect([200, 201]).toContain(r.status);
    return r.body as { id: string; council?: string };
  };

  it('PUT stores versions, GET reads the current one or ?version=N, the list shows each council once', async () => {
    at = 'E06000101';
    const first = await call('PUT', '/councils/E06000101', { token: dm(), body: SMALL });
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ code: 'E06000101', name: 'Smallshire', version: 1 });
    const second = await call('PUT', '/councils/E06000101', {
      token: dm(),
      body: { ...SMALL, capacity: { ...SMALL.capacity, recruitmentPerYear: 9 } },
    });
    expect(second.status).toBe(200);
    expect(second.body.version).toBe(2);
    const now = await call('GET', '/councils/E06000101', { token: as('viewer') });
    expect(now.body.profile.capacity.recruitmentPerYear).toBe(9);
    const old = await call('GET', '/councils/E06000101?version=1', { token: as('viewer') });
    expect(old.body.version).toBe(1);
    expect(old.body.profile.capacity.recruitmentPerYear).toBeUndefined();
    expect((await call('GET', '/councils/E06000101?version=7', { token: fin() })).status).toBe(404);
    expect((await call('GET', '/councils/E06000999', { token: fin() })).status).toBe(404);
    const list = await call('GET', '/councils', { token: fin() });
    expect(list.body.items.filter((c: { code: string }) => c.code === 'E06000101')).toHaveLength(1);
  });

  it('refuses other roles (403), a bad code and impossible values (422 naming each field); nothing stored', async () => {
    expect((await call('PUT', '/councils/E06000102', { token: fin(), body: SMALL })).status).toBe(403);
    at = 'E06000102';
    const badCode = await call('PUT', '/councils/W06000001', { token: dm(), body: SMALL });
    expect(badCode.status).toBe(422);
    expect(badCode.body.issues[0].path).toBe('code');
    const bad = await call('PUT', '/councils/E06000102', {
      token: dm(),
      body: {
        name: 'Bad',
        childPopulation: { base: -1, year: 2018 },
        capacity: { placesPerHousehold: 0 },
        budgets: { '2018': 100 },
      },
    });
    expect(bad.status).toBe(422);
    expect(bad.body.issues.map((i: { path: string }) => i.path)).toEqual(
      expect.arrayContaining(['childPopulation.base', 'capacity.placesPerHousehold', 'budgets.2018']),
    );
    const seven = await call('PUT', '/councils/E06000102', {
      token: dm(),
      body: { name: 'Bad', capacity: { placesPerHousehold: 7 } },
    });
    expect(seven.status).toBe(422);
    expect(seven.body.issues[0].path).toBe('capacity.placesPerHousehold');
    expect((await call('GET', '/councils/E06000102', { token: fin() })).status).toBe(404);
    const badDataset = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'ssda903', files, council: 'nowhere' },
    });
    expect(badDataset.status).toBe(422);
    expect(badDataset.body.issues[0].path).toBe('council');
  });

  it('two councils of very different size, same data: their own UASC thresholds and capacities, exactly', async () => {
    at = 'E06000201';
    await call('PUT', '/councils/E06000201', { token: dm(), body: SMALL });
    at = 'E10000202';
    await call('PUT', '/councils/E10000202', { token: dm(), body: LARGE });
    const a = await upload('E06000201');
    const b = await upload('E10000202');
    expect(a.id).not.toBe(b.id);
    expect(a.council).toBe('E06000201');
    const results = [];
    for (const ds of [a, b]) {
      at = ds.council!;
      const post = await call('POST', '/scenarios', {
        token: fin(),
        body: { datasetId: ds.id, overrides: { runs: 20, horizonMonths: 60 } },
      });
      expect(post.status).toBe(202);
      const done = await untilDone(post.body.id, fin());
      expect(done.body.status).toBe('complete');
      expect(done.body.profileVersion).toBe(1);
      results.push(done.body);
    }
    const [small, large] = results;
    // start 2018-04 for 60 months: 0.07% to July 2022, 0.1% from the month ending after 24 August 2022
    const expected = (pop: number) =>
      small.result.months.map((m: string) => Math.round((m >= '2022-08' ? 0.001 : 0.0007) * pop));
    expect(small.result.uasc.threshold).toEqual(expected(50000));
    expect(large.result.uasc.threshold).toEqual(expected(140000));
    expect(small.result.uasc.threshold[0]).toBe(35);
    expect(large.result.uasc.threshold[0]).toBe(98);
    expect(small.scenario.capacity).toMatchObject({ inHouseHouseholds: 120, placesPerHousehold: 1.6 });
    expect(large.scenario.capacity).toMatchObject({
      inHouseHouseholds: 250,
      placesPerHousehold: 1.7,
      recruitmentPerYear: 20,
    });
    expect(small.scenario.sources['capacity.inHouseHouseholds']).toBe('profile v1');
    expect(small.scenario.sources['capacity.recruitmentPerYear']).toBe('example: Peterborough 2018');
  });

  it('no profile: the forecast runs and names each example value; requireProfile refuses it with a 422 listing them', async () => {
    const ds = await upload('E08000301');
    const post = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.id, overrides: { runs: 20, horizonMonths: 12 } },
    });
    expect(post.status).toBe(202);
    const done = await untilDone(post.body.id, fin());
    expect(done.body.status).toBe('complete');
    expect(done.body.council).toBe('E08000301');
    const notes: string[] = done.body.scenario.notes;
    for (const path of ['childPopulation', 'capacity.placesPerHousehold', 'costs.weekly.residential', 'stayingPut'])
      expect(notes.some((n) => n.startsWith(`${path} = `) && n.includes('Peterborough 2018'))).toBe(true);
    const inHouse = done.body.scenario.initial
      .filter((c: { category: string }) => c.category === 'inHouseFoster')
      .reduce((n: number, c: { count: number }) => n + c.count, 0);
    expect(done.body.scenario.capacity.inHouseHouseholds).toBe(householdsFor(inHouse, 1.6));

    const refused = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.id, requireProfile: true },
    });
    expect(refused.status).toBe(422);
    const paths = refused.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining(['profile.childPopulation', 'profile.capacity.placesPerHousehold', 'profile.stayingPut']),
    );
    // the council's own requireProfile does the same without the request asking
    at = 'E08000301';
    await call('PUT', '/councils/E08000301', { token: dm(), body: { ...SMALL, requireProfile: true } });
    const byProfile = await call('POST', '/scenarios', { token: fin(), body: { datasetId: ds.id } });
    expect(byProfile.status).toBe(422);
    expect(byProfile.body.issues.map((i: { path: string }) => i.path)).toContain('profile.costs.weekly.inHouseFoster');
  });

  it('updating a profile never changes a stored forecast: it keeps the version it ran with', async () => {
    at = 'E09000401';
    await call('PUT', '/councils/E09000401', { token: dm(), body: SMALL });
    const ds = await upload('E09000401');
    const post = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.id, overrides: { runs: 10, horizonMonths: 6 } },
    });
    const before = await untilDone(post.body.id, fin());
    at = 'E09000401';
    await call('PUT', '/councils/E09000401', {
      token: dm(),
      body: { ...SMALL, childPopulation: { base: 90000, year: 2017, annualGrowth: 0 } },
    });
    const after = await call('GET', `/scenarios/${post.body.id}`, { token: fin() });
    expect(after.body.profileVersion).toBe(1);
    expect(after.body.scenario).toEqual(before.body.scenario);
    expect(after.body.result.uasc.threshold).toEqual(before.body.result.uasc.threshold);
    const next = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.id, overrides: { runs: 10, horizonMonths: 6 } },
    });
    const again = await untilDone(next.body.id, fin());
    expect(again.body.profileVersion).toBe(2);
    expect(again.body.result.uasc.threshold[0]).toBe(63);
  });
});
