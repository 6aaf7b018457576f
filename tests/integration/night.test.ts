/**
 * Weak points closed on the night of 7–8 December 2026 (docs/hardening.md): prototype field names in JSON bodies,
 * zip entries whose path escapes, Excel error cells and a replayed upload whose dataset was deleted. Each answers a
 * clear 4xx naming what is wrong (a field path, a zip entry, a cell) and never a child's data.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { ROUTES, type Role } from '#functions/routes';
import { useLocalService } from '../support/local-service.js';

const ROOT = join(import.meta.dirname, '..', '..');
const { service, call } = useLocalService();
const demo = (t: string) => readFileSync(join(ROOT, 'data/demo', `${t}.csv`), 'utf8');

/** A token of the first role the route allows (the body is checked before the handler looks at the tenant). */
const tokenFor = (roles: readonly Role[] | 'public') =>
  service().token({ sub: 'night-tester', 'cognito:groups': [roles === 'public' ? 'finance' : (roles[0] as Role)] });

describe('JSON bodies: __proto__, constructor and prototype fields are refused, naming where', () => {
  const withBody = ROUTES.filter((r) => r.requestSchema !== undefined);

  it('covers every route that takes a JSON body', () => {
    expect(withBody.map((r) => r.id).sort()).toEqual(
      [
        'CreateComparison',
        'CreateDataset',
        'CreateRegionalForecast',
        'CreateScenario',
        'CreateTarget',
        'PutCouncil',
        'PutRegion',
      ].sort(),
    );
  });

  for (const key of ['__proto__', 'constructor', 'prototype'])
    it(`a "${key}" field anywhere is a 400 naming its path, on every route with a body`, async () => {
      for (const route of withBody) {
        const path = route.path.replace(/\{[^}]+\}/g, 'x1');
        const token = await tokenFor(route.roles);
        const nested = `{"name":"n","scenario":{"runs":20,"${key}":{"polluted":true}}}`;
        const r = await call(route.method, path, {
          token,
          raw: nested,
          headers: { 'content-type': 'application/json' },
        });
        expect(r.status, `${route.id}`).toBe(400);
        expect(r.body.error).toBe('BadRequest');
        expect(r.body.issues).toEqual([
          expect.objectContaining({ path: `body.scenario.${key}`, code: 'forbidden_field' }),
        ]);
        expect(r.body.message).toContain(`body.scenario.${key}`);
        // in an array, at the top
        const inArray = await call(route.method, path, {
          token,
          raw: `{"initial":[{"count":1},{"count":2,"${key}":1}]}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(inArray.status, `${route.id}`).toBe(400);
        expect(inArray.body.issues[0].path).toBe(`body.initial.1.${key}`);
        const top = await call(route.method, path, {
          token,
          raw: `{"${key}":{"isAdmin":true}}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(top.status, `${route.id}`).toBe(400);
        expect(top.body.issues[0].path).toBe(`body.${key}`);
        // spelt with \u escapes (JSON.parse reads them as the same name)
        const escaped = key.replace(/o/g, '\\u006f').replace(/_/g, '\\u005f');
        const spelt = await call(route.method, path, {
          token,
          raw: `{"name":"n","${escaped}":1}`,
          headers: { 'content-type': 'application/json' },
        });
        expect(spelt.status, `${route.id}`).toBe(400);
        expect(spelt.body.issues[0].path).toBe(`body.${key}`);
      }
      // nothing was polluted on the way
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      expect(({} as Record<string, unknown>).isAdmin).toBeUndefined();
      expect((await call('GET', '/health')).status).toBe(200);
    });

  it('a field merely containing the word is accepted as before (a file called constructor-notes.csv)', async () => {
    const r = await call('POST', '/datasets', {
      token: service().tokens['data-manager'],
      body: { format: 'ssda903', files: { 'constructor-notes.csv': 'A,B\n1,2\n' } },
    });
    expect(r.status).toBe(422);
    expect(JSON.stringify(r.body.issues)).not.toContain('forbidden_field');
  });
});

describe('uploads: what was read quietly is now named', () => {
  it('a zip with an entry under ../ is a 422 naming the entry (not skipped as a hidden file), nothing stored', async () => {
    const dm = service().tokens['data-manager'];
    const before = (await call('GET', '/datasets', { token: dm })).body.items.length;
    const zip = zipSync({
      'header.csv': strToU8(demo('header')),
      'episodes.csv': strToU8(demo('episodes')),
      'uasc.csv': strToU8(demo('uasc')),
      '../2018-19/episodes.csv': strToU8(demo('episodes')),
    });
    const r = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'ssda903', mode: 'lenient', files: { 'returns.zip': Buffer.from(zip).toString('base64') } },
    });
    expect(r.status).toBe(422);
    expect(r.body.issues.filter((i: { code: string }) => i.code === 'unsafe-zip-entry')).toEqual([
      expect.objectContaining({ file: 'returns.zip/../2018-19/episodes.csv', row: null }),
    ]);
    expect(r.body.message).toBe('the upload has errors: nothing was stored');
    expect(r.body.quality.counts['unsafe-zip-entry']).toBe(1);
    expect(JSON.stringify(r.body)).not.toMatch(/100101|02\/09\/1995|stack|\.ts:/);
    expect((await call('GET', '/datasets', { token: dm })).body.items.length).toBe(before);
  });
});

describe('Idempotency-Key: a replay after the record it created was deleted', () => {
  it('an upload replayed after its dataset was deleted is a 410 saying so, not the old 201', async () => {
    const dm = service().tokens['data-manager'];
    const body = {
      format: 'ssda903',
      mode: 'lenient',
      files: { 'header.csv': demo('header'), 'episodes.csv': demo('episodes'), 'uasc.csv': demo('uasc') },
    };
    const headers = { 'idempotency-key': 'night-upload-1' };
    const first = await call('POST', '/datasets', { token: dm, body, headers });
    expect(first.status).toBe(201);
    const replay = await call('POST', '/datasets', { token: dm, body, headers });
    expect(replay.status).toBe(201);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(replay.body.id).toBe(first.body.id);

    expect((await call('DELETE', `/datasets/${first.body.id}`, { token: dm })).status).toBe(200);
    const gone = await call('POST', '/datasets', { token: dm, body, headers });
    expect(gone.status).toBe(410);
    expect(gone.body).toMatchObject({ error: 'Gone', id: first.body.id, deleted: true });
    expect(gone.body.message).toBe(
      `the dataset this Idempotency-Key created (${first.body.id}) has been deleted since: send the request again with a new Idempotency-Key to create it again`,
    );
    // nothing was re-created by the replay; a new key stores it again (same content, same id)
    expect((await call('GET', `/datasets/${first.body.id}`, { token: dm })).status).toBe(404);
    const again = await call('POST', '/datasets', {
      token: dm,
      body,
      headers: { 'idempotency-key': 'night-upload-2' },
    });
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    // the old key's answer is true again: the dataset it names exists (the same content is the same id)
    expect((await call('POST', '/datasets', { token: dm, body, headers })).status).toBe(201);
  });

  it('the same for a scenario (every route that creates a deletable record)', async () => {
    const fin = service().tokens.finance;
    const scenario = {
      ...JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8')),
      runs: 20,
      horizonMonths: 12,
    };
    const headers = { 'idempotency-key': 'night-scenario-1' };
    const first = await call('POST', '/scenarios', { token: fin, body: scenario, headers });
    expect(first.status).toBe(202);
    expect((await call('DELETE', `/scenarios/${first.body.id}`, { token: fin })).status).toBe(204);
    const gone = await call('POST', '/scenarios', { token: fin, body: scenario, headers });
    expect(gone.status).toBe(410);
    expect(gone.body.message).toContain(
      `the scenario this Idempotency-Key created (${first.body.id}) has been deleted`,
    );
    const creating = ROUTES.filter((r) => r.idempotent && r.id !== 'RunForecast');
    expect(creating.map((r) => [r.id, r.creates])).toEqual([
      ['CreateDataset', 'dataset'],
      ['CreateScenario', 'scenario'],
      ['CreateComparison', 'comparison'],
      ['CreateTarget', 'target'],
      ['CreateRegionalForecast', 'regional-forecast'],
    ]);
  });
});
