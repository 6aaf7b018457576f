/**
 * The findings, each with the exact request the issue reports, against the local service (dynalite): every
 * one answers 4xx naming what is wrong, stores nothing, quotes no child data, and the service keeps answering.
 */
import { createHash } from 'node:crypto';
import { request } from 'node:http';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { goalProblem } from '#models/goalseek';
import { getQueue } from '#functions/queue/index';
import { ROUTES } from '#functions/routes';
import { useLocalService } from '../support/local-service.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE = JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8'));
const small = (over: Record<string, unknown> = {}) => ({ ...BASE, runs: 20, horizonMonths: 24, ...over });
const huge = () => ({ ...small(), initial: [{ ...BASE.initial[0], count: 1099511627776 }, ...BASE.initial.slice(1)] });

const { service, call, untilDone, untilFinished } = useLocalService();
const fin = () => service().tokens.finance;
const paths = (body: { issues?: { path?: string; message: string }[] }) => (body.issues ?? []).map((i) => i.path);

/** GET with headers fetch will not let us set (Host) */
function rawGet(path: string, headers: Record<string, string>): Promise<number> {
  const u = new URL(service().url);
  return new Promise((resolve, reject) => {
    const req = request({ host: u.hostname, port: u.port, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('issue 10: one valid request no longer kills the service', () => {
  it('refuses initial[0].count 1099511627776 with a 422 naming the field and the limit', async () => {
    const r = await call('POST', '/scenarios', { token: fin(), body: huge() });
    expect(r.status).toBe(422);
    expect(paths(r.body)).toContain('initial.0.count');
    expect(JSON.stringify(r.body)).toContain('50000');
    expect((await call('GET', '/health')).status).toBe(200);
  });

  it('refuses it as a target base before anything is stored or queued, and a search over 0..1e21', async () => {
    // "At once" is a property of where the refusal happens, not of a stopwatch: it is decided on the request path by
    // the checks (the scenario schema, the range, the pure `goalProblem`), before any record is written or any job
    // message is sent, so no simulation can run for it. The queue is the one the local service installed in-process.
    const send = vi.spyOn(getQueue(), 'send');
    const targets = async () => (await service().store.list('target', { limit: 100 })).items.length;
    const before = await targets();
    const search = { path: 'capacity.recruitmentPerYear', min: 0, max: 40 };
    try {
      const r = await call('POST', '/targets', {
        token: fin(),
        body: { base: huge(), search, goal: { metric: 'agencyFoster', atMost: 30 } },
      });
      expect(r.status).toBe(422);
      expect(paths(r.body)).toContain('base.initial.0.count');
      const wide = await call('POST', '/targets', {
        token: fin(),
        body: { base: small(), search: { ...search, max: 1e21 }, goal: { metric: 'agencyFoster', atMost: 30 } },
      });
      expect(wide.status).toBe(422);
      expect(paths(wide.body)).toContain('search.max');
      // a goal no forecast of this base could measure: the pure check's own words, without a run
      const goal = { metric: 'cost' as const, atMost: 1e7, financialYear: '2030/31' };
      const unmeasurable = await call('POST', '/targets', { token: fin(), body: { base: small(), search, goal } });
      expect(unmeasurable.status).toBe(422);
      expect(unmeasurable.body.issues).toEqual([
        expect.objectContaining({ path: 'goal.financialYear', message: goalProblem(small(), goal) }),
      ]);
      expect(goalProblem(small(), goal)).toBe('the forecast has no financial year 2030/31');
      expect(send).not.toHaveBeenCalled();
      expect(await targets()).toBe(before);

      // the control: the same watch sees an accepted target stored and queued
      const accepted = await call('POST', '/targets', {
        token: fin(),
        body: { base: small(), search, goal: { metric: 'agencyFoster', atMost: 30 } },
      });
      expect(accepted.status).toBe(202);
      expect(send).toHaveBeenCalledTimes(1);
      expect(send.mock.calls[0]?.[0]).toMatchObject({ kind: 'target', id: accepted.body.id });
      expect(await targets()).toBe(before + 1);
      expect((await untilFinished(`/targets/${accepted.body.id}`, fin())).body.status).toBe('complete');
    } finally {
      send.mockRestore();
    }
  });

  it('refuses runs × children × months above the work budget, naming runs', async () => {
    const r = await call('POST', '/scenarios', {
      token: fin(),
      body: small({ runs: 100000, horizonMonths: 120, entries: { multiplier: 10 } }),
    });
    expect(r.status).toBe(422);
    expect(paths(r.body)).toContain('runs');
  });
});

describe('issue 10: no child data in a 422', () => {
  it('does not quote the row of a file without its header line', async () => {
    const r = await call('POST', '/datasets', {
      token: service().tokens['data-manager'],
      body: { format: 'ssda903', files: { 'children_2018.csv': '2014,100101,2,02/09/1995,WBRI,A123456789012,,' } },
    });
    expect(r.status).toBe(422);
    const text = JSON.stringify(r.body);
    for (const v of ['100101', '02/09/1995', 'A123456789012', 'WBRI']) expect(text).not.toContain(v);
    expect(r.body.issues[0]).toMatchObject({ file: 'children_2018.csv', row: 1, code: 'unknown-table' });
  });

  it('does not quote a shifted identifier under a CHILD,YEAR,... header', async () => {
    const r = await call('POST', '/datasets', {
      token: service().tokens['data-manager'],
      body: {
        format: 'ssda903',
        files: {
          'episodes.csv':
            'CHILD,YEAR,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n2014,100101,02/09/1995,S,C2,N1,U1,PR1,,\n',
        },
      },
    });
    expect(r.status).toBe(422);
    const text = JSON.stringify(r.body);
    for (const v of ['100101', '02/09/1995']) expect(text).not.toContain(v);
  });
});

describe('issue 10: every input path answers 4xx', () => {
  it('a path id with bad percent-encoding, over 2 KB, or of other characters: 400 on every route with an id', async () => {
    const long = 'a'.repeat(3000);
    for (const p of ['/scenarios', '/comparisons', '/targets', '/datasets']) {
      expect((await call('GET', `${p}/%ZZ`, { token: fin() })).status).toBe(400);
      expect((await call('GET', `${p}/${long}`, { token: fin() })).status).toBe(400);
      expect((await call('GET', `${p}/a%00b`, { token: fin() })).status).toBe(400);
    }
    expect((await call('DELETE', '/scenarios/%ZZ', { token: fin() })).status).toBe(400);
    expect((await call('GET', '/scenarios/%ZZ/chart.svg', { token: fin() })).status).toBe(400);
    const body = await call('POST', '/scenarios', { token: fin(), body: { datasetId: long } });
    expect(body.status).toBe(422);
    expect(paths(body.body)).toContain('datasetId');
  });

  it('a forged cursor of the right shape: 400 on every list route', async () => {
    const forged = Buffer.from(JSON.stringify({ pk: 'X', sk: '', kind: 'target', createdAt: 'z' })).toString(
      'base64url',
    );
    for (const p of ['/scenarios', '/comparisons', '/targets', '/datasets', '/forecasts']) {
      const r = await call('GET', `${p}?cursor=${forged}`, { token: fin() });
      expect(r.status, p).toBe(400);
      const signedShape = await call('GET', `${p}?cursor=${forged}.${'A'.repeat(22)}`, { token: fin() });
      expect(signedShape.status, p).toBe(400);
    }
  });

  it('sweep values the store cannot hold: 422, and no variant record left behind', async () => {
    const before = (await service().store.list('comparison-variant', { limit: 100 })).items.length;
    for (const values of [[1e21], [1e308], [5e-324, 6]]) {
      const r = await call('POST', '/comparisons', {
        token: fin(),
        body: { base: small(), sweep: { path: 'capacity.recruitmentPerYear', values } },
      });
      expect(r.status, JSON.stringify(values)).toBe(422);
      expect(paths(r.body).some((p) => p?.startsWith('sweep.values'))).toBe(true);
    }
    expect((await service().store.list('comparison-variant', { limit: 100 })).items.length).toBe(before);
  });

  it('JSON nested 10,000 deep: 422 naming the limit, for dataset records and variant overrides', async () => {
    const deep = `${'['.repeat(10_000)}${']'.repeat(10_000)}`;
    const records = await call('POST', '/datasets', {
      token: service().tokens['data-manager'],
      raw: `{"format":"records","children":${deep}}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(records.status).toBe(422);
    expect(JSON.stringify(records.body)).toContain('64');
    const overrides = await call('POST', '/comparisons', {
      token: fin(),
      raw: `{"base":${JSON.stringify(small())},"variants":[{"name":"v","overrides":{"a":${deep}}}]}`,
      headers: { 'content-type': 'application/json' },
    });
    expect(overrides.status).toBe(422);
  });
});

describe('issue 10: the small ones', () => {
  it('/dev/tokens answers a loopback Host and Origin only', async () => {
    const port = new URL(service().url).port;
    expect(await rawGet('/dev/tokens', { host: `127.0.0.1:${port}` })).toBe(200);
    expect(await rawGet('/dev/tokens', { host: `localhost:${port}` })).toBe(200);
    expect(await rawGet('/dev/tokens', { host: 'evil.example' })).toBe(404);
    expect(await rawGet('/dev/tokens', { host: `evil.example:${port}` })).toBe(404);
    expect(await rawGet('/dev/tokens', { host: `127.0.0.1:${port}`, origin: 'http://evil.example' })).toBe(404);
    expect(await rawGet('/dev/tokens', { host: `127.0.0.1:${port}`, origin: `http://localhost:${port}` })).toBe(200);
  });

  it('group names are matched whole: "viewer,finance" and "viewer finance" grant nothing', async () => {
    for (const group of ['viewer,finance', 'viewer finance']) {
      const token = await service().token({ sub: 'u-groups', 'cognito:groups': [group] });
      expect((await call('POST', '/scenarios', { token, body: small() })).status, group).toBe(403);
      expect((await call('GET', '/scenarios', { token })).status, group).toBe(403);
    }
  });

  it('a token that names no council or region: 403 on every route that needs a token (docs/regions.md)', async () => {
    const token = await service().token({
      sub: 'u-no-tenant',
      'cognito:groups': ['finance', 'commissioner', 'data-manager', 'viewer'],
      'custom:council': '',
    });
    const params: Record<string, string> = { id: 'anything', code: 'E06000031', month: '2026-01' };
    for (const route of ROUTES) {
      if (route.roles === 'public') continue;
      const path = route.path.replace(/\{(\w+)\}/g, (_, p: string) => params[p] ?? 'x');
      const r = await call(route.method, path, { token, ...(route.method === 'GET' ? {} : { body: {} }) });
      expect(r.status, `${route.method} ${route.path}`).toBe(403);
    }
  });

  it('a token without exp is refused', async () => {
    const token = await service().token({ sub: 'u-noexp', 'cognito:groups': ['finance'] }, 0);
    expect((await call('GET', '/scenarios', { token })).status).toBe(401);
  });

  it('a control character in a scenario or variant name is refused', async () => {
    const r = await call('POST', '/scenarios', { token: fin(), body: small({ name: 'Budget\u0007 2026' }) });
    expect(r.status).toBe(422);
    expect(paths(r.body)).toContain('name');
    const v = await call('POST', '/comparisons', {
      token: fin(),
      body: { base: small(), variants: [{ name: 'a\u0000b', overrides: {} }] },
    });
    expect(v.status).toBe(422);
  });

  it('an Idempotency-Key claim whose request died expires after the route timeout, not 24 hours', async () => {
    const body = small({ name: 'after a crash' });
    const raw = JSON.stringify(body);
    const key = 'retry-after-crash';
    // what a request that died mid-way leaves: a pending claim made 21 s ago (CreateScenario: 15 s + 5 s grace)
    const hash = createHash('sha256').update(raw).digest('hex');
    const claimed = await service().store.claimIdempotency(
      `CreateScenario#dev-finance#${key}`,
      hash,
      Date.now() - 21_000,
      20_000,
    );
    expect(claimed.state).toBe('claimed');
    const r = await call('POST', '/scenarios', {
      token: fin(),
      raw,
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });
    expect(r.status).toBe(202);
    const again = await call('POST', '/scenarios', {
      token: fin(),
      raw,
      headers: { 'content-type': 'application/json', 'idempotency-key': key },
    });
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.id).toBe(r.body.id);
  });
});

describe('issue 10: fast reads of finished work', () => {
  it('serves a complete scenario with a strong ETag, 304, private caching and compression', async () => {
    const created = await call('POST', '/scenarios', { token: fin(), body: small({ name: 'cached' }) });
    const done = await untilDone(created.body.id, fin());
    expect(done.body.status).toBe('complete');
    const etag = done.headers.get('etag') ?? '';
    expect(etag).toMatch(/^"[A-Za-z0-9_-]{32}"$/);
    expect(done.headers.get('cache-control')).toBe('private, max-age=300');
    const notModified = await call('GET', `/scenarios/${created.body.id}`, {
      token: fin(),
      headers: { 'if-none-match': etag },
    });
    expect(notModified.status).toBe(304);
    // fetch decodes br and gzip itself: the body is the same JSON, the header says how it travelled
    for (const enc of ['br', 'gzip']) {
      const r = await call('GET', `/scenarios/${created.body.id}`, {
        token: fin(),
        headers: { 'accept-encoding': enc },
      });
      expect(r.headers.get('content-encoding')).toBe(enc);
      expect(r.body).toEqual(done.body);
      expect(r.headers.get('etag')).toBe(etag);
    }
    // deleted: 404 at once, the cached copy is never served
    expect((await call('DELETE', `/scenarios/${created.body.id}`, { token: fin() })).status).toBe(204);
    expect((await call('GET', `/scenarios/${created.body.id}`, { token: fin() })).status).toBe(404);
  });
});
