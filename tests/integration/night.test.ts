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
  const demo = (t: string) => readFileSync(join(ROOT, 'data/demo', `${t}.csv`), 'utf8');

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
