/**
 * GET /councils?region=ID against the local service: a region's councils (each joined by its own profile) in rota
 * order, a page per `limit` places of its list (a 150-council region in two calls), only what the caller may read (a region's users: all; a council's
 * users: their own; another region: 404), and a bad region id or cursor answered 400 naming the parameter.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalService } from '../support/local-service.js';

const N = 150;
const CODES = Array.from({ length: N }, (_, i) => `E06${String(100 + i).padStart(6, '0')}`);
const nameOf = (code: string) => `Council ${code.slice(-3)}`;

describe('GET /councils?region=ID', () => {
  const { service, call } = useLocalService();
  const region: Record<string, string> = {};
  const council: Record<string, string> = {};
  const asRegion = (id: string, role = 'viewer') =>
    service().token({ sub: `${id}-${role}`, 'cognito:groups': [role], 'custom:region': id });
  const asCouncil = (code: string, role = 'viewer') =>
    service().token({ sub: `${code}-${role}`, 'cognito:groups': [role], 'custom:council': code });

  beforeAll(async () => {
    // profiles in reverse order, so the store's own (newest-first) order is not the rota order; each names its region
    // (a council is listed only once its profile names the region: docs/regions.md)
    const members: [string, string][] = [
      ...CODES.map((code) => [code, 'wide'] as [string, string]),
      ['E08000001', 'other'],
      ['E08000002', 'other'],
    ];
    for (const [code, id] of members.reverse()) {
      const r = await call('PUT', `/councils/${code}`, {
        token: await asCouncil(code, 'data-manager'),
        body: { name: nameOf(code), region: id },
      });
      expect(r.status).toBe(201);
    }
    for (const [id, councils] of [
      ['wide', CODES],
      ['other', ['E08000001', 'E08000002']],
    ] as const) {
      const r = await call('PUT', `/regions/${id}`, {
        token: await asRegion(id, 'data-manager'),
        body: { name: id, councils },
      });
      expect(r.status).toBe(201);
      region[id] = await asRegion(id);
    }
    council.member = await asCouncil(CODES[3]!);
    council.outsider = await asCouncil('E09000001');
  });

  it("serves a region's users every council of the region, in rota order, in ⌈150/100⌉ calls", async () => {
    const first = await call('GET', '/councils?region=wide&limit=100', { token: region.wide });
    expect(first.status).toBe(200);
    const expected = (from: number, to: number) =>
      CODES.slice(from, to).map((code) => ({ code, name: nameOf(code), version: 1 }));
    expect(first.body.items).toHaveLength(100);
    expect(first.body.items).toEqual(expected(0, 100).map((e) => expect.objectContaining(e)));
    expect(typeof first.body.cursor).toBe('string');
    const second = await call('GET', `/councils?region=wide&limit=100&cursor=${first.body.cursor}`, {
      token: region.wide,
    });
    expect(second.status).toBe(200);
    expect(second.body.items).toEqual(expected(100, N).map((e) => expect.objectContaining(e)));
    expect(second.body.cursor).toBeUndefined();
    // the default page: 20 places of the list
    const small = await call('GET', '/councils?region=wide', { token: region.wide });
    expect(small.body.items.map((c: { code: string }) => c.code)).toEqual(CODES.slice(0, 20));
  });

  it("gives a member council's users their own council only, and a region the caller cannot see a 404", async () => {
    const mine = await call('GET', '/councils?region=wide&limit=100', { token: council.member });
    expect(mine.status).toBe(200);
    expect(mine.body.items.map((c: { code: string }) => c.code)).toEqual([CODES[3]]);
    expect((await call('GET', '/councils?region=wide', { token: council.outsider })).status).toBe(404);
    const other = await call('GET', '/councils?region=wide', { token: region.other });
    expect(other.status).toBe(404);
    expect(other.body.message).toBe('no region wide');
    expect((await call('GET', '/councils?region=nowhere', { token: region.wide })).status).toBe(404);
    // the other region's users: its own two councils
    const others = await call('GET', '/councils?region=other', { token: region.other });
    expect(others.status).toBe(200);
    expect(others.body.items.map((c: { code: string }) => c.code)).toEqual(['E08000001', 'E08000002']);
  });

  it('answers a bad region id or cursor with a 400 naming the parameter', async () => {
    const bad = await call('GET', '/councils?region=Bad_Id', { token: region.wide });
    expect(bad.status).toBe(400);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: 'region' })]);
    expect(bad.body.message).toMatch(/^the query parameters are not valid: region: /);
    const long = await call('GET', `/councils?region=${'a'.repeat(64)}`, { token: region.wide });
    expect(long.status).toBe(400);
    expect(long.body.issues[0].path).toBe('region');
    const cursor = (await call('GET', '/councils?region=wide&limit=5', { token: region.wide })).body.cursor;
    // a cursor is bound to its region and to its kind of list
    const elsewhere = await call('GET', `/councils?region=other&cursor=${cursor}`, { token: region.other });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.body.message).toBe('the cursor is not valid for this list');
    expect((await call('GET', `/councils?cursor=${cursor}`, { token: council.member })).status).toBe(400);
    const forged = `${Buffer.from(JSON.stringify({ list: 'region:wide', position: 140 })).toString('base64url')}.${'A'.repeat(22)}`;
    expect((await call('GET', `/councils?region=wide&cursor=${forged}`, { token: region.wide })).status).toBe(400);
    expect((await call('GET', '/councils?region=wide&limit=0', { token: region.wide })).status).toBe(400);
  });

  it('leaves the plain list as it was: the caller’s own council', async () => {
    const r = await call('GET', '/councils', { token: council.member });
    expect(r.status).toBe(200);
    expect(r.body.items.map((c: { code: string }) => c.code)).toEqual([CODES[3]]);
  });

  it('documents the parameter in the OpenAPI document from the route table', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const params = doc.paths['/councils'].get.parameters as {
      name: string;
      in: string;
      schema: { pattern?: string };
    }[];
    expect(params.map((p) => `${p.in}:${p.name}`)).toEqual(['query:limit', 'query:cursor', 'query:region']);
    expect(params.find((p) => p.name === 'region')?.schema.pattern).toBe('^[a-z0-9][a-z0-9-]{0,62}$');
  });
});
