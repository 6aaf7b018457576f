/**
 * Tenancy on every route of the route table, both ways. Two councils (A, B) in one region (R) and a
 * third council (C) in another region (S) each make their own records through the API; then, for every route:
 * - a route with an id answers the owner and 404 to the other tenant, both ways;
 * - a list shows the caller's records and never the other tenant's, both ways;
 * - a create stamps the caller's tenant (a council's records cannot be made with a region's token and vice versa).
 * The routes come from functions/routes.ts: a new route without a case below fails this test until it has one.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ROUTES, type RouteDef, type Role } from '#functions/routes';
import { useLocalService } from '../support/local-service.js';
import { useEmulator } from './emulators.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = {
  ...(JSON.parse(
    readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>),
  runs: 40,
  horizonMonths: 12,
};

type Tenant = 'A' | 'B' | 'C' | 'R' | 'S';
/** Each resource (by path prefix): the two tenants whose records are checked against each other. */
const PAIRS: Record<string, [Tenant, Tenant]> = {
  datasets: ['A', 'B'],
  scenarios: ['A', 'B'],
  comparisons: ['A', 'B'],
  targets: ['A', 'B'],
  forecasts: ['A', 'B'],
  councils: ['A', 'B'],
  regions: ['R', 'S'],
  'regional-forecasts': ['R', 'S'],
};

describe('tenancy on every route', () => {
  const emulator = useEmulator();
  const { service, call } = useLocalService(() => ({
    dynamodbEndpoint: emulator().endpoint,
    workers: 2,
    drainSeconds: 0,
  }));
  const tokens = {} as Record<Tenant, Record<Role, string>>;
  /** the id of each tenant's record of each resource */
  const ids: Record<string, Partial<Record<Tenant, string>>> = {};
  const tok = (t: Tenant, route: Pick<RouteDef, 'roles'>): string => {
    const roles = route.roles === 'public' ? (['viewer'] as Role[]) : route.roles;
    return tokens[t][roles[0]!];
  };

  const settle = async (path: string, token: string) => {
    for (let i = 0; i < 1200; i++) {
      const r = await call('GET', path, { token });
      if (r.status !== 200) throw new Error(`${path}: ${r.status}`);
      if (r.body.status !== 'queued' && r.body.status !== 'running') return r.body;
      await new Promise((ok) => setTimeout(ok, 100));
    }
    throw new Error(`${path} did not finish`);
  };

  beforeAll(async () => {
    const svc = service();
    const [a, b] = Object.keys(svc.councilTokens);
    tokens.A = svc.councilTokens[a!]!;
    tokens.B = svc.councilTokens[b!]!;
    tokens.R = Object.values(svc.regionTokens)[0]!;
    const mint = async (tenant: Record<string, string>, prefix: string) => {
      const out = {} as Record<Role, string>;
      for (const role of ['finance', 'commissioner', 'data-manager', 'viewer'] as Role[])
        out[role] = await svc.token({ sub: `${prefix}-${role}`, 'cognito:groups': [role], ...tenant });
      return out;
    };
    tokens.C = await mint({ 'custom:council': 'E09000001' }, 'c');
    tokens.S = await mint({ 'custom:region': 'south' }, 's');

    // each council's own records, made the same way; A and B join region R, C joins S (each by its own profile)
    const regionR = Object.keys(svc.regionTokens)[0]!;
    for (const [t, code, region] of [
      ['A', a!, regionR],
      ['B', b!, regionR],
      ['C', 'E09000001', 'south'],
    ] as const) {
      const profile = await call('PUT', `/councils/${code}`, {
        token: tokens[t]['data-manager'],
        body: { name: t, region },
      });
      expect(profile.status).toBeLessThan(300);
      if (t !== 'C') (ids.councils ??= {})[t] = code;
    }
    // the regions: R holds A and B; S holds C
    expect(
      (
        await call('PUT', `/regions/${regionR}`, {
          token: tokens.R['data-manager'],
          body: { name: 'R', councils: [a, b] },
        })
      ).status,
    ).toBeLessThan(300);
    expect(
      (
        await call('PUT', '/regions/south', {
          token: tokens.S['data-manager'],
          body: { name: 'S', councils: ['E09000001'] },
        })
      ).status,
    ).toBe(201);
    ids.regions = { R: regionR, S: 'south' };

    for (const t of ['A', 'B'] as const) {
      const ds = await call('POST', '/datasets', {
        token: tokens[t]['data-manager'],
        body: { format: 'records', ...recordsAt(history(40, 3), '2016-03-31') },
      });
      expect(ds.status).toBe(201);
      (ids.datasets ??= {})[t] = ds.body.id;
      const sc = await call('POST', '/scenarios', { token: tokens[t].finance, body: BASE });
      expect(sc.status).toBe(202);
      (ids.scenarios ??= {})[t] = sc.body.id;
      const cmp = await call('POST', '/comparisons', {
        token: tokens[t].commissioner,
        body: { base: BASE, sweep: { path: 'capacity.recruitmentPerYear', values: [6] } },
      });
      expect(cmp.status).toBe(202);
      (ids.comparisons ??= {})[t] = cmp.body.id;
      const tgt = await call('POST', '/targets', {
        token: tokens[t].finance,
        body: {
          base: BASE,
          search: { path: 'capacity.recruitmentPerYear', min: 0, max: 4 },
          goal: { metric: 'residential', atMost: 1000 },
        },
      });
      expect(tgt.status).toBe(202);
      (ids.targets ??= {})[t] = tgt.body.id;
    }
    // the monthly forecast of A only: B has none for that month, so the month answers 404 to B
    const run = await call('POST', '/forecasts/run', { token: tokens.A['data-manager'] });
    expect(run.status).toBeLessThan(300);
    ids.forecasts = { A: run.body.forecast.month };

    // each region's regional forecast
    const rf = (councils: string[]) => ({
      name: 'rf',
      start: '2018-04',
      horizonMonths: 6,
      runs: 20,
      councils: councils.map((code) => ({ code, scenario: BASE })),
    });
    for (const [t, councils] of [
      ['R', [a!, b!]],
      ['S', ['E09000001']],
    ] as const) {
      const created = await call('POST', '/regional-forecasts', { token: tokens[t].finance, body: rf([...councils]) });
      expect(created.status).toBe(202);
      (ids['regional-forecasts'] ??= {})[t] = created.body.id;
    }
    // let every job finish, so the exports have something to export
    for (const t of ['A', 'B'] as const) {
      await settle(`/scenarios/${ids.scenarios!.A && ids.scenarios![t]}`, tokens[t].viewer);
      await settle(`/comparisons/${ids.comparisons![t]}`, tokens[t].viewer);
      await settle(`/targets/${ids.targets![t]}`, tokens[t].viewer);
    }
    for (const t of ['R', 'S'] as const)
      await settle(`/regional-forecasts/${ids['regional-forecasts']![t]}`, tokens[t].viewer);
  }, 600_000);

  const resourceOf = (route: RouteDef): string => route.path.split('/')[1]!;

  /** A new record of the resource, made by `token` (the creator the DELETE route checks), to delete. */
  const fresh = async (resource: string, t: Tenant, token: string): Promise<string> => {
    const bodies: Record<string, unknown> = {
      // cut earlier than the council's dataset, so that it does not become current
      datasets: { format: 'records', ...recordsAt(history(40, t === 'A' ? 21 : 22), '2015-12-31') },
      scenarios: BASE,
      comparisons: { base: BASE, sweep: { path: 'capacity.recruitmentPerYear', values: [9] } },
      targets: {
        base: BASE,
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 4 },
        goal: { metric: 'residential', atMost: 1000 },
      },
      'regional-forecasts': {
        name: 'to delete',
        start: '2018-04',
        horizonMonths: 6,
        runs: 20,
        councils: (t === 'R' ? Object.keys(service().councilTokens).slice(0, 2) : ['E09000001']).map((code) => ({
          code,
          scenario: BASE,
        })),
      },
    };
    const made = await call('POST', `/${resource}`, { token, body: bodies[resource] });
    expect(made.status, `POST /${resource}`).toBeLessThan(300);
    return made.body.id;
  };

  it('has a case for every route of the route table', () => {
    for (const route of ROUTES) {
      if (route.roles === 'public') continue;
      expect(PAIRS[resourceOf(route)], `no tenancy case for ${route.method} ${route.path}: add one`).toBeDefined();
    }
  });

  describe.each(ROUTES.filter((r) => r.roles !== 'public').map((r) => [`${r.method} ${r.path}`, r] as const))(
    '%s',
    (_name, route) => {
      const resource = resourceOf(route);
      const withId = /\{(\w+)\}/.test(route.path);
      const pathFor = (id: string) => route.path.replace(/\{\w+\}/, id);

      if (withId && route.method === 'GET') {
        it('answers the owner and 404 to another tenant, both ways', async () => {
          const [x, y] = PAIRS[resource]!;
          for (const [owner, other] of [
            [x, y],
            [y, x],
          ] as const) {
            const id = ids[resource]?.[owner];
            if (id === undefined) continue; // B has no monthly forecast of its own: checked one way
            const mine = await call('GET', pathFor(id), { token: tok(owner, route) });
            expect(mine.status, `${owner} reads its own ${route.path}`).not.toBe(404);
            expect(mine.status).toBeLessThan(500);
            const theirs = await call('GET', pathFor(id), { token: tok(other, route) });
            expect(theirs.status, `${other} reads ${owner}'s ${route.path}`).toBe(404);
          }
        });
      }

      if (withId && route.method === 'DELETE') {
        it("refuses another tenant's id both ways (404, nothing changed); the owner deletes its own", async () => {
          const [x, y] = PAIRS[resource]!;
          const getRoute = ROUTES.find((r) => r.method === 'GET' && r.path === route.path)!;
          for (const [owner, other] of [
            [x, y],
            [y, x],
          ] as const) {
            const id = ids[resource]![owner]!;
            const res = await call('DELETE', pathFor(id), { token: tok(other, route) });
            expect(res.status, `${other} deletes ${owner}'s ${route.path}`).toBe(404);
            const still = await call('GET', pathFor(id), { token: tok(owner, getRoute) });
            expect(still.status).toBe(200);
          }
          // a region's users read their councils' records but never delete them
          if (x === 'A') {
            const id = ids[resource]!.A!;
            const regionRole = route.roles === 'public' ? 'viewer' : route.roles[0]!;
            expect((await call('DELETE', pathFor(id), { token: tokens.R[regionRole] })).status).toBe(
              resource === 'datasets' || (await call('GET', pathFor(id), { token: tokens.R.viewer })).status === 200
                ? 403
                : 404,
            );
            expect((await call('GET', pathFor(id), { token: tok('A', getRoute) })).status).toBe(200);
          }
          // the owner deletes a record of its own made for this (the ones above stay for the other routes' cases)
          const own = await fresh(resource, x, tok(x, route));
          const del = await call('DELETE', pathFor(own), { token: tok(x, route) });
          expect(del.status).toBeLessThan(300);
          expect((await call('GET', pathFor(own), { token: tok(x, getRoute) })).status).toBe(404);
          expect((await call('DELETE', pathFor(own), { token: tok(x, route) })).status).toBe(404);
        });
      }

      if (withId && route.method !== 'GET' && route.method !== 'DELETE') {
        it("refuses another tenant's id (404, or 403 for a definition it may not make) and changes nothing", async () => {
          const [x, y] = PAIRS[resource]!;
          const id = ids[resource]![x]!;
          // a body that is valid for the route, so only tenancy can refuse it
          const body =
            route.method === 'PUT'
              ? resource === 'councils'
                ? { name: 'taken over' }
                : { name: 'taken over', councils: ['E09000001'] }
              : undefined;
          const res = await call(route.method, pathFor(id), { token: tok(y, route), ...(body ? { body } : {}) });
          expect([403, 404]).toContain(res.status);
          const getRoute = ROUTES.find(
            (r) => r.method === 'GET' && r.path === route.path.replace(/\/[^/]*$/, '/{id}'),
          )!;
          const still = await call('GET', `/${resource}/${id}`, { token: tok(x, getRoute ?? route) });
          expect(still.status).toBe(200);
          if (route.method === 'PUT') expect(still.body.name).not.toBe('taken over');
        });
      }

      if (!withId && route.method === 'GET') {
        it("lists the caller's records and never another tenant's, both ways", async () => {
          const [x, y] = PAIRS[resource]!;
          for (const [me, other] of [
            [x, y],
            [y, x],
          ] as const) {
            const res = await call('GET', `${route.path}?limit=100`, { token: tok(me, route) });
            expect(res.status).toBe(200);
            const listed = res.body.items.map(
              (i: { id?: string; month?: string; code?: string }) => i.id ?? i.month ?? i.code,
            );
            if (ids[resource]?.[me] !== undefined) expect(listed).toContain(ids[resource]![me]);
            if (ids[resource]?.[other] !== undefined && ids[resource]![other] !== ids[resource]![me])
              expect(listed).not.toContain(ids[resource]![other]);
            if (resource === 'forecasts' && me === 'B') expect(listed).toEqual([]);
          }
        });
      }

      if (!withId && route.method === 'POST') {
        it('made the records above with the tenant of the token; a token of the other kind of tenant is refused', async () => {
          const [x] = PAIRS[resource]!;
          // the records made in beforeAll are the creators' (the GET cases above prove who sees them)
          expect(ids[resource]?.[x] ?? ids[resource === 'forecasts' ? 'forecasts' : resource]).toBeDefined();
          const wrong: Tenant = x === 'A' ? 'R' : 'A';
          const wrongRole = route.roles === 'public' ? 'viewer' : route.roles[0]!;
          const res = await call('POST', route.path, {
            token: tokens[wrong][wrongRole],
            body: resource === 'datasets' ? { format: 'records', ...recordsAt(history(10, 4), '2016-03-31') } : {},
          });
          // a council route with a region's token, a region route with a council's: 403 (or 422 for a bad body first)
          expect([403, 422]).toContain(res.status);
        });
      }
    },
  );

  it('a council sees its region but not its regional forecasts; a region reads its councils’ datasets', async () => {
    const region = ids.regions!.R!;
    const get = (t: Tenant, path: string) => call('GET', path, { token: tokens[t].viewer });
    expect((await get('A', `/regions/${region}`)).status).toBe(200);
    expect((await get('C', `/regions/${region}`)).status).toBe(404);
    expect((await get('A', '/regions')).body.items.map((r: { id: string }) => r.id)).toEqual([region]);
    expect((await get('A', `/regional-forecasts/${ids['regional-forecasts']!.R}`)).status).toBe(404);
    expect((await get('R', `/datasets/${ids.datasets!.A}`)).status).toBe(200);
    expect((await get('S', `/datasets/${ids.datasets!.A}`)).status).toBe(404);
    // the region's forecast ran with both councils, and each council's forecast is in it
    const rf = await get('R', `/regional-forecasts/${ids['regional-forecasts']!.R}`);
    expect(rf.body.status).toBe('complete');
    expect(Object.keys(rf.body.result.councils)).toHaveLength(2);
  });
});
