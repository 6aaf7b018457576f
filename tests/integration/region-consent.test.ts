/**
 * A council is in a region only with its own consent (docs/regions.md), over real HTTP against the local service:
 * PUT /regions/{id} lists only councils whose current profile names the region (403 naming each one that has not
 * joined and how it joins, nothing stored); a council joins by its own data manager's PUT /councils/{code} with
 * `region`, and leaves by a profile that names another region or none — taken out of the list, after which the
 * region's users get 404 on its datasets; a council listed before that has left is refused, not dropped; another
 * council's (or the region's) users cannot join a council to a region.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { useLocalService } from '../support/local-service.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const JOINED = 'E06000101';
const NO_REGION = 'E06000102';
const NO_PROFILE = 'E06000103';
const OUTSIDER = 'E06000104';

describe('a council joins and leaves a region by its own profile', () => {
  const { service, call } = useLocalService();
  const asRegion = (id: string, role: string) =>
    service().token({ sub: `${id}-${role}`, 'cognito:groups': [role], 'custom:region': id });
  const asCouncil = (code: string, role: string) =>
    service().token({ sub: `${code}-${role}`, 'cognito:groups': [role], 'custom:council': code });
  const profile = async (code: string, body: Record<string, unknown>, token?: string) =>
    call('PUT', `/councils/${code}`, { token: token ?? (await asCouncil(code, 'data-manager')), body });
  const putRegion = async (councils: string[]) =>
    call('PUT', '/regions/north', {
      token: await asRegion('north', 'data-manager'),
      body: { name: 'North', councils },
    });
  const getRegion = async () => call('GET', '/regions/north', { token: await asRegion('north', 'viewer') });
  const how = (code: string) => `${code} (its data manager sets region: "north" on its profile: PUT /councils/${code})`;

  beforeAll(async () => {
    expect((await profile(JOINED, { name: 'Joined', region: 'north' })).status).toBe(201);
    expect((await profile(NO_REGION, { name: 'No region' })).status).toBe(201);
  });

  it('refuses a region listing councils that have not joined it, naming each and how it joins; nothing stored', async () => {
    const refused = await putRegion([JOINED, NO_REGION, NO_PROFILE]);
    expect(refused.status).toBe(403);
    expect(refused.body.message).toBe(
      `a council is in a region only with its own consent; not joined to region north: ${how(NO_REGION)}; ${how(NO_PROFILE)}. Nothing was stored`,
    );
    expect((await getRegion()).status).toBe(404);
    expect((await call('GET', '/regions', { token: await asRegion('north', 'viewer') })).body.items).toEqual([]);
  });

  it("stores the same list once each council's data manager has set region on its profile", async () => {
    const joined = await profile(NO_REGION, { name: 'No region', region: 'north' });
    expect(joined.status).toBe(200);
    expect(joined.body).toMatchObject({ code: NO_REGION, version: 2, profile: { region: 'north' } });
    expect(joined.body.leftRegions).toBeUndefined();
    expect((await profile(NO_PROFILE, { name: 'Was without', region: 'north' })).status).toBe(201);
    const put = await putRegion([JOINED, NO_REGION, NO_PROFILE]);
    expect(put.status).toBe(201);
    expect(put.body.councils).toEqual([JOINED, NO_REGION, NO_PROFILE]);
    expect((await getRegion()).body.councils).toEqual([JOINED, NO_REGION, NO_PROFILE]);
  });

  it("takes a council that names another region (or none) out of the list: the region's users then get 404 on its datasets", async () => {
    const upload = await call('POST', '/datasets', {
      token: await asCouncil(NO_REGION, 'data-manager'),
      body: { format: 'records', ...recordsAt(history(30, 4), '2016-03-31') },
    });
    expect(upload.status).toBe(201);
    const dataset = `/datasets/${upload.body.id}`;
    const regionViewer = await asRegion('north', 'viewer');
    const before = await call('GET', dataset, { token: regionViewer });
    expect(before.status).toBe(200);
    expect(before.body.id).toBe(upload.body.id);

    // it plans with another region now: the profile is stored, and the council has left north
    const moved = await profile(NO_REGION, { name: 'No region', region: 'south' });
    expect(moved.status).toBe(200);
    expect(moved.body).toMatchObject({ version: 3, profile: { region: 'south' }, leftRegions: ['north'] });
    expect((await getRegion()).body.councils).toEqual([JOINED, NO_PROFILE]);
    expect((await call('GET', dataset, { token: regionViewer })).status).toBe(404);
    const listed = await call('GET', `/councils?region=north&limit=100`, { token: regionViewer });
    expect(listed.body.items.map((c: { code: string }) => c.code)).toEqual([JOINED, NO_PROFILE]);
    // its own users still read it
    const own = await call('GET', dataset, { token: await asCouncil(NO_REGION, 'viewer') });
    expect(own.status).toBe(200);

    // a profile with no region leaves too; writing it again (a retry) changes nothing more
    const none = await profile(NO_PROFILE, { name: 'Was without' });
    expect(none.body).toMatchObject({ version: 2, leftRegions: ['north'] });
    expect(none.body.profile.region).toBeUndefined();
    const retry = await profile(NO_PROFILE, { name: 'Was without' });
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(3);
    expect(retry.body.leftRegions).toBeUndefined();
    expect((await getRegion()).body.councils).toEqual([JOINED]);

    // listing them again is refused the same way (never silently shortened), and the stored list is unchanged
    const again = await putRegion([JOINED, NO_REGION, NO_PROFILE]);
    expect(again.status).toBe(403);
    expect(again.body.message).toContain(`not joined to region north: ${how(NO_REGION)}; ${how(NO_PROFILE)}.`);
    expect((await getRegion()).body.councils).toEqual([JOINED]);
  });

  it('shows a region nothing of a council its stored list names without consent (a list from before consent, or a leave that raced its write)', async () => {
    const code = 'E06000105';
    expect((await profile(code, { name: 'Never joined' })).status).toBe(201);
    const upload = await call('POST', '/datasets', {
      token: await asCouncil(code, 'data-manager'),
      body: { format: 'records', ...recordsAt(history(30, 5), '2016-03-31') },
    });
    expect(upload.status).toBe(201);
    // written into the store as an old list was, past PUT /regions' check
    const region = await service().store.get<{ name: string; councils: string[] }>('region', 'north');
    expect(region).toBeDefined();
    await service().store.update('region', 'north', { summary: { ...region!.summary, councils: [JOINED, code] } });
    const regionViewer = await asRegion('north', 'viewer');
    expect((await call('GET', `/datasets/${upload.body.id}`, { token: regionViewer })).status).toBe(404);
    const councils = async () =>
      (await call('GET', '/councils?region=north&limit=100', { token: regionViewer })).body.items.map(
        (c: { code: string }) => c.code,
      );
    expect(await councils()).toEqual([JOINED]);
    // once it joins, the same list shows it
    expect((await profile(code, { name: 'Never joined', region: 'north' })).status).toBe(200);
    expect((await call('GET', `/datasets/${upload.body.id}`, { token: regionViewer })).status).toBe(200);
    expect(await councils()).toEqual([JOINED, code]);
    // put the list back as the earlier tests left it, and the council out of the region
    await service().store.update('region', 'north', { summary: region!.summary });
    expect((await profile(code, { name: 'Never joined' })).status).toBe(200);
  });

  it("cannot join a council to a region with another council's or the region's token", async () => {
    const byOther = await profile(
      OUTSIDER,
      { name: 'Taken', region: 'north' },
      await asCouncil(JOINED, 'data-manager'),
    );
    expect(byOther.status).toBe(403);
    expect(byOther.body.message).toBe(`only council ${OUTSIDER}'s own users may define its profile`);
    const byRegion = await profile(
      OUTSIDER,
      { name: 'Taken', region: 'north' },
      await asRegion('north', 'data-manager'),
    );
    expect(byRegion.status).toBe(403);
    // nothing was stored: the council has no profile, and the region cannot list it
    expect((await call('GET', `/councils/${OUTSIDER}`, { token: await asCouncil(OUTSIDER, 'viewer') })).status).toBe(
      404,
    );
    const listed = await putRegion([JOINED, OUTSIDER]);
    expect(listed.status).toBe(403);
    expect(listed.body.message).toContain(`not joined to region north: ${how(OUTSIDER)}.`);
    expect((await getRegion()).body.councils).toEqual([JOINED]);
  });

  it('refuses a profile naming a region id that is not one (422 naming the field), nothing stored', async () => {
    const bad = await profile(JOINED, { name: 'Joined', region: 'North_Region' });
    expect(bad.status).toBe(422);
    expect(bad.body.issues).toEqual([expect.objectContaining({ path: 'region' })]);
    const current = await call('GET', `/councils/${JOINED}`, { token: await asCouncil(JOINED, 'viewer') });
    expect(current.body).toMatchObject({ version: 1, profile: { region: 'north' } });
    expect((await getRegion()).body.councils).toEqual([JOINED]);
  });
  it('keeps a region whose last council left, with its forecasts; regional work on it is a 422 that says it has no councils', async () => {
    const code = 'E06000106';
    const asWest = (role: string) => asRegion('west', role);
    expect((await profile(code, { name: 'Last one', region: 'west' })).status).toBe(201);
    const put = await call('PUT', '/regions/west', {
      token: await asWest('data-manager'),
      body: { name: 'West', councils: [code] },
    });
    expect(put.status).toBe(201);
    const regional = (councils: unknown[]) => ({
      name: 'West together',
      start: '2018-04',
      horizonMonths: 12,
      runs: 10,
      councils,
    });
    const whole = [{ code, scenario: { ...BASE, name: 'last one' } }];
    const earlier = await call('POST', '/regional-forecasts', {
      token: await asWest('finance'),
      body: regional(whole),
    });
    expect(earlier.status).toBe(202);
    let done: { status: string };
    for (;;) {
      done = (await call('GET', `/regional-forecasts/${earlier.body.id}`, { token: await asWest('viewer') })).body;
      if (done.status === 'complete' || done.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(done.status).toBe('complete');

    // its last council leaves: the region stays, with its forecasts, and says it has no councils
    const left = await profile(code, { name: 'Last one' });
    expect(left.body.leftRegions).toEqual(['west']);
    const region = await call('GET', '/regions/west', { token: await asWest('viewer') });
    expect(region.status).toBe(200);
    expect(region.body).toMatchObject({ id: 'west', name: 'West', councils: [] });
    const listed = await call('GET', '/councils?region=west&limit=100', { token: await asWest('viewer') });
    expect(listed.status).toBe(200);
    expect(listed.body.items).toEqual([]);
    const kept = await call('GET', `/regional-forecasts/${earlier.body.id}`, { token: await asWest('viewer') });
    expect(kept.body.status).toBe('complete');

    // a regional forecast, comparison or target search on it: one 422 naming the problem, nothing stored
    const empty = {
      code: 'region_empty',
      message: `region west has no councils: every council on its list has left it. A council joins by naming the region on its profile (its data manager: PUT /councils/{code}); then the region's data manager lists it (PUT /regions/west)`,
    };
    const forecasts = (await call('GET', '/regional-forecasts', { token: await asWest('viewer') })).body.items.length;
    for (const councils of [whole, [{ code }]]) {
      const refused = await call('POST', '/regional-forecasts', {
        token: await asWest('finance'),
        body: regional(councils),
      });
      expect(refused.status).toBe(422);
      expect(refused.body.issues).toEqual([{ path: 'councils', ...empty }]);
    }
    const compared = await call('POST', '/comparisons', {
      token: await asWest('finance'),
      body: { regionalBase: regional(whole), variants: [{ name: 'no rota', overrides: { nts: null } }] },
    });
    expect(compared.status).toBe(422);
    expect(compared.body.issues).toEqual([{ path: 'regionalBase.councils', ...empty }]);
    const searched = await call('POST', '/targets', {
      token: await asWest('finance'),
      body: {
        regionalBase: regional(whole),
        search: { path: `councils.${code}.capacity.recruitmentPerYear`, min: 0, max: 20 },
        goal: { metric: 'agencyFoster', atMost: 40 },
      },
    });
    expect(searched.status).toBe(422);
    expect(searched.body.issues).toEqual([{ path: 'regionalBase.councils', ...empty }]);
    // the request that names no council at all is refused by its own shape, as before
    const none = await call('POST', '/regional-forecasts', { token: await asWest('finance'), body: regional([]) });
    expect(none.status).toBe(422);
    expect((await call('GET', '/regional-forecasts', { token: await asWest('viewer') })).body.items).toHaveLength(
      forecasts,
    );
    expect((await call('GET', '/comparisons', { token: await asWest('viewer') })).body.items).toEqual([]);
    expect((await call('GET', '/targets', { token: await asWest('viewer') })).body.items).toEqual([]);
  });
});
