/**
 * Every route over real HTTP against the local service (bin/serve.ts), once on dynalite and once on
 * Amazon's DynamoDB Local: success, 401, 403, 422 with the issue list, 404, idempotent retries, pagination, a result
 * over 400 KB read back whole, ten concurrent runs, strict/lenient uploads, the monthly job, and the store dying
 * mid-run. Runs use 200 Monte Carlo runs (the service, not the engine, is under test). Nothing waits on a clock:
 * polls end on a state, and the store-loss test waits for the job host's own events.
 */
import { readFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import type { ForecastResult } from '#models/result';
import { parseScenario } from '#models/scenario';
import { stockByMonth } from '#models/dataset';
import { ingestRecords } from '#models/ingest/records';
import { runMonthlyForecast } from '#functions/jobs/monthly-forecast';
import { ROUTES } from '#functions/routes';
import { scopedStore } from '#functions/tenancy';
import { startLocalService, type LocalService } from '../../bin/serve.js';
import { backends, type Emulator } from './emulators.js';
import { history, recordsAt } from './records-fixture.js';
import { client } from './client.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const small = (over: Record<string, unknown> = {}) => ({ ...BASE, runs: 200, ...over });

describe.each(backends())('the API on $name', ({ start }) => {
  let emulator: Emulator;
  let svc: LocalService;
  const fin = () => svc.tokens.finance;

  const { call, untilDone: poll, untilFinished } = client(() => svc.url);
  const untilDone = (id: string, token = fin(), query = '') => poll(id, token, query);

  beforeAll(async () => {
    emulator = await start();
    process.env.MAX_BODY_BYTES = String(2_000_000);
    svc = await startLocalService({
      dynamodbEndpoint: emulator.endpoint,
      dataDir: mkdtempSync(join(tmpdir(), 'svc-')),
      port: 0,
      loadDemo: false,
      quiet: true,
      workers: 2,
      drainSeconds: 0,
    });
  });
  afterAll(async () => {
    await svc?.close();
    await emulator?.stop();
    delete process.env.MAX_BODY_BYTES;
  });

  it('reports health and a valid OpenAPI document listing every route, without a token', async () => {
    const h = await call('GET', '/health');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ status: 'ok', store: 'reachable' });
    const doc = await call('GET', '/openapi.json');
    expect(doc.status).toBe(200);
    const { Validator } = await import('@seriousme/openapi-schema-validator');
    const result = await new Validator().validate(doc.body);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.body.openapi).toBe('3.1.0');
    for (const r of ROUTES)
      expect(doc.body.paths[r.path]?.[r.method.toLowerCase()]?.operationId, `${r.method} ${r.path}`).toBe(r.id);
    // the monthly forecast answers 202 when it queued the month's forecast and 200 when the month already had one
    expect(Object.keys(doc.body.paths['/forecasts/run'].post.responses)).toEqual(
      expect.arrayContaining(['200', '202']),
    );
    expect(doc.body.paths['/forecasts/run'].post.responses['200'].content['application/json'].schema).toEqual(
      doc.body.paths['/forecasts/run'].post.responses['202'].content['application/json'].schema,
    );
  });

  it('answers 401 without a token, with a token from another key, issuer or audience, and with an expired one', async () => {
    const claims = { sub: 'x', 'cognito:groups': ['viewer'] };
    expect((await call('GET', '/scenarios', { token: await svc.token(claims) })).status).toBe(200);
    expect(
      (await call('GET', '/scenarios', { token: await svc.token(claims, '1h', { issuer: 'https://elsewhere' }) }))
        .status,
    ).toBe(401);
    expect(
      (await call('GET', '/scenarios', { token: await svc.token(claims, '1h', { audience: 'another-app' }) })).status,
    ).toBe(401);
    expect((await call('GET', '/scenarios')).status).toBe(401);
    expect((await call('GET', '/scenarios', { token: 'not.a.jwt' })).status).toBe(401);
    const expired = await svc.token({ sub: 'x', 'cognito:groups': ['viewer'] }, Math.floor(Date.now() / 1000) - 60);
    expect((await call('GET', '/scenarios', { token: expired })).status).toBe(401);
    const wrongSignature = `${svc.tokens.viewer.slice(0, -6)}AAAAAA`;
    expect((await call('GET', '/scenarios', { token: wrongSignature })).status).toBe(401);
  });

  it('answers 403 when the role does not allow the route', async () => {
    const viewerPost = await call('POST', '/scenarios', { token: svc.tokens.viewer, body: small() });
    expect(viewerPost.status).toBe(403);
    expect(viewerPost.body).toMatchObject({ error: 'Forbidden' });
    expect(typeof viewerPost.body.requestId).toBe('string');
    expect((await call('POST', '/datasets', { token: fin(), body: { format: 'records', children: [] } })).status).toBe(
      403,
    );
    expect((await call('POST', '/forecasts/run', { token: svc.tokens.commissioner })).status).toBe(403);
    const noGroups = await svc.token({ sub: 'nobody' });
    expect((await call('GET', '/scenarios', { token: noGroups })).status).toBe(403);
  });

  it('runs a scenario: 202 queued, then complete with the engine’s own result', async () => {
    const body = small({ seed: 11 });
    const created = await call('POST', '/scenarios', { token: fin(), body });
    expect(created.status).toBe(202);
    expect(created.body).toEqual({ id: expect.stringMatching(/^sc_/), status: 'queued' });
    expect(created.headers.get('location')).toBe(`/scenarios/${created.body.id}`);
    const done = await untilDone(created.body.id, svc.tokens.viewer);
    expect(done.body.status).toBe('complete');
    expect(done.body.progress).toBe(100);
    expect(done.body.createdBy).toBe('dev-finance');
    const parsed = parseScenario(body);
    if (!parsed.ok) throw new Error('fixture scenario invalid');
    expect(done.body.scenario).toEqual(JSON.parse(JSON.stringify(parsed.value)));
    const expected = simulate(parsed.value);
    expect(done.body.result.population.total).toEqual(expected.population.total);
    expect(done.body.result.cost.financialYears.map((f: { mean: number }) => f.mean)).toEqual(
      expected.cost.financialYears.map((f) => f.mean),
    );
  });

  it('answers 400 for malformed JSON, 413 for a body over the limit, 422 with the list of issues', async () => {
    const bad = await call('POST', '/scenarios', {
      token: fin(),
      raw: '{"runs": ',
      headers: { 'content-type': 'application/json' },
    });
    expect(bad.status).toBe(400);
    expect(bad.body).toMatchObject({ error: 'BadRequest' });
    const big = await call('POST', '/scenarios', { token: fin(), body: { ...small(), name: 'x'.repeat(2_100_000) } });
    expect(big.status).toBe(413);
    const invalid = await call('POST', '/scenarios', { token: fin(), body: small({ runs: 0, start: '2018-13' }) });
    expect(invalid.status).toBe(422);
    expect(invalid.body.error).toBe('InvalidInput');
    const paths = invalid.body.issues.map((i: { path: string }) => i.path);
    expect(paths).toEqual(expect.arrayContaining(['runs', 'start']));
    for (const i of invalid.body.issues) expect(Object.keys(i).sort()).toEqual(['code', 'message', 'path']);
    // a misspelt field is named, not dropped (the forecast would otherwise run without it)
    const misspelt = await call('POST', '/scenarios', {
      token: fin(),
      body: { ...small(), costs: { ...(BASE.costs as object), annualInflaton: 0.05 } },
    });
    expect(misspelt.status).toBe(422);
    expect(misspelt.body.issues).toEqual([
      { path: 'costs.annualInflaton', code: 'unrecognized_keys', message: 'unknown field "annualInflaton"' },
    ]);
    const noDataset = await call('POST', '/scenarios', { token: fin(), body: { datasetId: 'ds_missing' } });
    expect(noDataset.status).toBe(422);
    expect(noDataset.body.issues).toEqual([
      { path: 'datasetId', code: 'not_found', message: 'no dataset with this id' },
    ]);
  });

  it('answers 404 for what does not exist', async () => {
    for (const path of ['/scenarios/sc_nope', '/datasets/ds_nope', '/forecasts/2001-01']) {
      const r = await call('GET', path, { token: svc.tokens.viewer });
      expect(r.status, path).toBe(404);
      expect(r.body.error).toBe('NotFound');
    }
    expect((await call('DELETE', '/scenarios/sc_nope', { token: fin() })).status).toBe(404);
    expect((await call('GET', '/forecasts/2001-1', { token: fin() })).status).toBe(400);
    expect((await call('GET', '/no/such/route', { token: fin() })).status).toBe(404);
  });

  it('replays a POST retried with the same Idempotency-Key and refuses the key with another body', async () => {
    const headers = { 'idempotency-key': 'retry-1' };
    const first = await call('POST', '/scenarios', { token: fin(), body: small({ seed: 21 }), headers });
    expect(first.status).toBe(202);
    const again = await call('POST', '/scenarios', { token: fin(), body: small({ seed: 21 }), headers });
    expect(again.status).toBe(202);
    expect(again.body).toEqual(first.body);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    const other = await call('POST', '/scenarios', { token: fin(), body: small({ seed: 22 }), headers });
    expect(other.status).toBe(409);
    expect(other.body.error).toBe('Conflict');
    // the same key from another user is another request
    const commissioner = await call('POST', '/scenarios', {
      token: svc.tokens.commissioner,
      body: small({ seed: 22 }),
      headers,
    });
    expect(commissioner.status).toBe(202);
    expect(commissioner.body.id).not.toBe(first.body.id);
    await untilDone(first.body.id);
    await untilDone(commissioner.body.id);
  });

  it('runs ten scenarios posted at once, each to its own correct result', async () => {
    const seeds = Array.from({ length: 10 }, (_, i) => 100 + i);
    const tenBody = (seed: number) => small({ seed, name: `seed ${seed}`, runs: 100 });
    const posted = await Promise.all(
      seeds.map((seed) => call('POST', '/scenarios', { token: fin(), body: tenBody(seed) })),
    );
    expect(posted.map((p) => p.status)).toEqual(seeds.map(() => 202));
    expect(new Set(posted.map((p) => p.body.id)).size).toBe(10);
    const done = await Promise.all(posted.map((p) => untilDone(p.body.id)));
    const totals = new Set<string>();
    done.forEach((d, i) => {
      expect(d.body.status).toBe('complete');
      expect(d.body.name).toBe(`seed ${seeds[i]}`);
      const parsed = parseScenario(tenBody(seeds[i] as number));
      if (!parsed.ok) throw new Error('fixture invalid');
      const result = d.body.result as ForecastResult;
      expect(result.seed).toBe(seeds[i]);
      expect(result.population.total.mean).toEqual(simulate(parsed.value).population.total.mean);
      totals.add(JSON.stringify(result.population.total.mean));
    });
    expect(totals.size).toBe(10);
  });

  it('pages through scenarios newest first and filters by creator', async () => {
    const mine = await call('POST', '/scenarios', {
      token: svc.tokens.commissioner,
      body: small({ seed: 5, runs: 1 }),
    });
    const ids: string[] = [];
    const created: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await call('GET', `/scenarios?limit=4${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: svc.tokens.viewer,
      });
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(4);
      ids.push(...page.body.items.map((s: { id: string }) => s.id));
      created.push(...page.body.items.map((s: { createdAt: string }) => s.createdAt));
      cursor = page.body.cursor;
    } while (cursor);
    expect(ids.length).toBeGreaterThanOrEqual(14);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...created].sort().reverse()).toEqual(created);
    expect(ids[0]).toBe(mine.body.id);
    const own = await call('GET', '/scenarios?createdBy=me', { token: svc.tokens.commissioner });
    expect(own.body.items.map((s: { createdBy: string }) => s.createdBy)).toEqual(
      own.body.items.map(() => 'dev-commissioner'),
    );
    expect(own.body.items.length).toBe(2);
    expect((await call('GET', '/scenarios?limit=0', { token: fin() })).status).toBe(400);
    expect((await call('GET', '/scenarios?cursor=garbage', { token: fin() })).status).toBe(400);
    await untilDone(mine.body.id);
  });

  it('stores a result larger than 400 KB in parts and reads it back whole', async () => {
    const body = small({ runs: 4000, seed: 8 });
    const created = await call('POST', '/scenarios', { token: fin(), body });
    const done = await untilDone(created.body.id, fin(), '?include=runTotals');
    expect(done.body.status).toBe('complete');
    const runTotals = done.body.result.runTotals;
    const bytes = Buffer.byteLength(JSON.stringify(runTotals));
    expect(bytes).toBeGreaterThan(400_000);
    const record = await svc.store.get('scenario', created.body.id);
    expect(record?.blobs.runTotals?.parts).toBe(Math.ceil(bytes / 350_000));
    expect(record?.blobs.runTotals?.bytes).toBe(bytes);
    const parsed = parseScenario(body);
    if (!parsed.ok) throw new Error('fixture invalid');
    expect(runTotals).toEqual(JSON.parse(JSON.stringify(simulate(parsed.value, { collectRunTotals: true }).runTotals)));
    // without the include the summary result comes alone
    const plain = await call('GET', `/scenarios/${created.body.id}`, { token: fin() });
    expect(plain.body.result.runTotals).toBeUndefined();
    expect(plain.body.result.population).toEqual(done.body.result.population);
  });

  it('lets only the creator delete a scenario, and removes it with its result', async () => {
    const created = await call('POST', '/scenarios', { token: fin(), body: small({ runs: 1 }) });
    await untilDone(created.body.id);
    expect((await call('DELETE', `/scenarios/${created.body.id}`, { token: svc.tokens.commissioner })).status).toBe(
      403,
    );
    const del = await call('DELETE', `/scenarios/${created.body.id}`, { token: fin() });
    expect(del.status).toBe(204);
    expect((await call('GET', `/scenarios/${created.body.id}`, { token: fin() })).status).toBe(404);
    expect(await svc.store.get('scenario', created.body.id)).toBeUndefined();
  });

  it('stores nothing from a strict upload with one bad row, and exactly the good rows from a lenient one', async () => {
    const dm = svc.tokens['data-manager'];
    const before = (await call('GET', '/datasets?limit=100', { token: dm })).body.items.length;
    const records = recordsAt(history(40, 3), '2016-03-31');
    const victim = records.children.findIndex((c) => c.episodes.length === 1);
    const bad = structuredClone(records);
    (bad.children[victim]!.episodes[0] as { end?: string }).end = '2000-01-01';
    const strict = await call('POST', '/datasets', { token: dm, body: { format: 'records', ...bad } });
    expect(strict.status).toBe(422);
    expect(strict.body.issues).toEqual([
      expect.objectContaining({
        file: 'records',
        row: victim + 1,
        column: `children[${victim}].episodes[0].end`,
        code: 'end-before-start',
      }),
    ]);
    expect((await call('GET', '/datasets?limit=100', { token: dm })).body.items.length).toBe(before);

    const lenient = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'records', mode: 'lenient', ...bad },
    });
    expect(lenient.status).toBe(201);
    const good = structuredClone(records);
    good.children.splice(victim, 1);
    const reference = await call('POST', '/datasets', { token: dm, body: { format: 'records', ...good } });
    expect(reference.status).toBe(201);
    expect(lenient.body.counts.episodes).toBe(reference.body.counts.episodes);
    expect(lenient.body.counts.children).toBe(reference.body.counts.children);
    expect(lenient.body.counts.rowsDropped).toBe(1);
    const again = await call('POST', '/datasets', { token: dm, body: { format: 'records', ...good } });
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(reference.body.id);
    const firstPage = await call('GET', '/datasets?limit=1', { token: svc.tokens.viewer });
    expect(firstPage.body.items.map((d: { id: string }) => d.id)).toEqual([reference.body.id]);
    const secondPage = await call('GET', `/datasets?limit=1&cursor=${encodeURIComponent(firstPage.body.cursor)}`, {
      token: svc.tokens.viewer,
    });
    expect(secondPage.body.items.map((d: { id: string }) => d.id)).toEqual([lenient.body.id]);
    const one = await call('GET', `/datasets/${lenient.body.id}`, { token: svc.tokens.viewer });
    expect(one.status).toBe(200);
    expect(one.body.period).toEqual({ start: expect.any(String), end: '2016-03-31' });
    expect(one.body.stock.date).toBe('2016-03-31');
    expect(one.body.qualityReport.errors).toBe(1);
    expect(one.body.estimate.parameters).toBeDefined();
    expect(one.body.stock.total).toBeGreaterThan(0);
  });

  it('ingests SSDA903 CSV tables: strict refuses a bad date naming file, row and column; lenient keeps the rest', async () => {
    const dm = svc.tokens['data-manager'];
    const read = (f: string) => readFileSync(new URL(`../../data/demo/${f}`, import.meta.url), 'utf8');
    const files = {
      'header.csv': read('header.csv'),
      'episodes.csv': read('episodes.csv'),
      'uasc.csv': read('uasc.csv'),
    };
    const lines = files['episodes.csv'].split('\n');
    // row numbers count data rows from 1 after the header line, as the ingest reports them
    const row = 5;
    const cells = (lines[row] as string).split(',');
    cells[2] = '31/02/2014';
    lines[row] = cells.join(',');
    const broken = { ...files, 'episodes.csv': lines.join('\n') };
    const before = (await call('GET', '/datasets?limit=100', { token: dm })).body.items.length;
    const strict = await call('POST', '/datasets', { token: dm, body: { format: 'ssda903', files: broken } });
    expect(strict.status).toBe(422);
    expect(strict.body.issues).toContainEqual(
      expect.objectContaining({ file: 'episodes.csv', column: 'DECOM', code: 'bad-date' }),
    );
    for (const i of strict.body.issues)
      expect(Object.keys(i).sort()).toEqual(['code', 'column', 'file', 'message', 'row']);
    expect((await call('GET', '/datasets?limit=100', { token: dm })).body.items.length).toBe(before);
    const lenient = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'ssda903', mode: 'lenient', files: broken },
    });
    expect(lenient.status).toBe(201);
    expect(lenient.body.format).toBe('ssda903');
    expect(lenient.body.counts.rowsDropped).toBeGreaterThanOrEqual(1);
    expect(lenient.body.counts.children).toBeGreaterThan(300);
  });

  it('runs a scenario from a dataset plus overrides', async () => {
    const dm = svc.tokens['data-manager'];
    const ds = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'records', ...recordsAt(history(30, 9), '2016-06-30') },
    });
    expect(ds.status).toBe(201);
    const created = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.body.id, overrides: { runs: 100, horizonMonths: 12 } },
    });
    expect(created.status).toBe(202);
    const done = await untilDone(created.body.id);
    expect(done.body).toMatchObject({
      status: 'complete',
      datasetId: ds.body.id,
      runs: 100,
      horizonMonths: 12,
      start: '2016-07',
    });
    const invalid = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.body.id, overrides: { runs: -3 } },
    });
    expect(invalid.status).toBe(422);
    expect(invalid.body.issues.map((i: { path: string }) => i.path)).toContain('overrides.runs');
    // the example's April 2018 price base is after June 2017, the last month: not typed here, it moved to the start
    expect(done.body.scenario.costs.priceBase).toBe('2016-07');
    // typed in the request, a price base after the last month is refused, never moved behind the caller's back
    const typed = await call('POST', '/scenarios', {
      token: fin(),
      body: { datasetId: ds.body.id, overrides: { runs: 100, horizonMonths: 12, costs: { priceBase: '2017-07' } } },
    });
    expect(typed.status).toBe(422);
    expect(typed.body.issues).toEqual([
      {
        path: 'overrides.costs.priceBase',
        code: 'custom',
        message: "must not be after the forecast's last month (2017-06)",
      },
    ]);
  });

  it('runs the monthly forecast once per month from the current dataset, makes it again when another becomes current, and scores earlier months', async () => {
    const dm = svc.tokens['data-manager'];
    const all = history(60, 5);
    const older = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'records', ...recordsAt(all, '2016-03-31') },
    });
    expect(older.status).toBe(201);
    expect(older.body.quality).toMatchObject({ errors: 0, problemsTotal: expect.any(Number) });
    const chosen = await call('POST', `/datasets/${older.body.id}/current`, { token: dm });
    expect(chosen.status).toBe(200);
    expect(chosen.body).toMatchObject({ id: older.body.id, current: true, council: 'E06000031' });
    expect((await call('POST', `/datasets/${older.body.id}/current`, { token: fin() })).status).toBe(403);
    expect((await call('POST', '/datasets/ds_nope/current', { token: dm })).status).toBe(404);
    const listed = await call('GET', '/datasets?limit=100', { token: svc.tokens.viewer });
    expect(listed.body.items.filter((d: { current: boolean }) => d.current).map((d: { id: string }) => d.id)).toEqual([
      older.body.id,
    ]);

    // last month's forecast, made then from the older data (the job called as the schedule would have called it)
    const now = new Date();
    const lastMonthDate = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1, 6));
    const quietLog = { info() {}, warn() {}, error() {}, debug() {} } as unknown as Parameters<
      typeof runMonthlyForecast
    >[2];
    // the first demo council's records: the tokens of this test are its users'
    const own = scopedStore(svc.store, { tenant: { council: 'E06000031' } });
    const earlier = await runMonthlyForecast(own, lastMonthDate, quietLog, 'E06000031');
    expect(earlier.forecast).toMatchObject({ status: 'complete', datasetId: older.body.id, start: '2016-04' });
    const lastMonth = earlier.forecast.month;

    // an earlier attempt this month that failed is replaced, not kept
    const thisMonth = now.toISOString().slice(0, 7);
    await own.create({
      kind: 'forecast',
      id: thisMonth,
      createdAt: new Date().toISOString(),
      summary: { month: thisMonth, status: 'failed', reason: 'test' },
    });
    // the request only opens the month's forecast and queues its job: 202 queued, then complete
    const first = await call('POST', '/forecasts/run', { token: dm });
    expect(first.status).toBe(202);
    expect(first.headers.get('location')).toBe(`/forecasts/${thisMonth}`);
    expect(first.body).toMatchObject({ created: true, forecast: { month: thisMonth, status: 'queued' } });
    const firstDone = await untilFinished(`/forecasts/${thisMonth}`, dm);
    expect(firstDone.body).toMatchObject({
      month: thisMonth,
      status: 'complete',
      progress: 100,
      datasetId: older.body.id,
      start: '2016-04',
      label: `data to 2016-03-31, made ${firstDone.body.createdAt.slice(0, 10)}`,
    });
    // while it is there, asking again changes nothing: 200 with the month's forecast as stored
    const second = await call('POST', '/forecasts/run', { token: dm });
    expect(second.status).toBe(200);
    expect(second.body.created).toBe(false);
    expect(second.body.forecast).toMatchObject({ month: thisMonth, status: 'complete', datasetId: older.body.id });
    expect(
      (await call('GET', '/forecasts', { token: svc.tokens.viewer })).body.items.map((f: { month: string }) => f.month),
    ).toEqual([thisMonth, lastMonth]);

    // newer data made current: this month's forecast is made again from it, last month's is scored against it
    const newer = await call('POST', '/datasets', {
      token: dm,
      body: { format: 'records', ...recordsAt(all, '2017-03-31') },
    });
    expect(newer.status).toBe(201);
    expect((await call('POST', `/datasets/${newer.body.id}/current`, { token: dm })).status).toBe(200);
    const third = await call('POST', '/forecasts/run', { token: dm });
    expect(third.status).toBe(202);
    expect(third.body).toMatchObject({ created: true, replaced: older.body.id });
    const thirdDone = await untilFinished(`/forecasts/${thisMonth}`, dm);
    expect(thirdDone.body).toMatchObject({
      month: thisMonth,
      status: 'complete',
      datasetId: newer.body.id,
      start: '2017-04',
      replaced: older.body.id,
    });
    expect(thirdDone.body.accuracyUpdated).toContain(lastMonth);
    const f = await call('GET', `/forecasts/${lastMonth}`, { token: svc.tokens.viewer });
    expect(f.status).toBe(200);
    expect(f.body.result.months[0]).toBe('2016-04');
    const acc = f.body.accuracy;
    expect(acc.datasetId).toBe(newer.body.id);
    // the months the newer data shows a full month-end stock for (ingest's own rule), from the forecast's start
    const newerData = ingestRecords(recordsAt(all, '2017-03-31'), {
      mode: 'strict',
      salt: 'test-salt-1',
      referenceYear: 2026,
    });
    if (!newerData.ok) throw new Error('fixture invalid');
    const actual = stockByMonth(newerData.dataset, '2016-04');
    expect(actual.length).toBeGreaterThanOrEqual(11);
    expect(acc.monthsCovered).toEqual(actual.map((m) => m.month));
    expect(acc.rows).toHaveLength(actual.length * 10);
    const totals = acc.rows
      .filter((r: { series: string }) => r.series === 'total')
      .map((r: { actual: number }) => r.actual);
    expect(totals).toEqual(actual.map((m) => m.total));
    const inside = acc.rows.filter((r: { inside: boolean }) => r.inside).length;
    expect(acc.coverage).toBeCloseTo(inside / acc.rows.length, 12);
    for (const r of acc.rows) expect(r.inside).toBe(r.actual >= r.p10 && r.actual <= r.p90);
    // the figures: over the rows of series with a mean of at least 3 children over the months covered (as npm run
    // calibrate), and the total at the furthest month covered
    type Row = { series: string; actual: number; inside: boolean; p25: number; p75: number };
    const rowsOf = (series: string) => (acc.rows as Row[]).filter((r) => r.series === series);
    const scored = (acc.rows as Row[]).filter(
      (r) => rowsOf(r.series).reduce((a, x) => a + x.actual, 0) / rowsOf(r.series).length >= 3,
    );
    expect(scored.length).toBeLessThan(acc.rows.length);
    expect(acc.points).toBe(scored.length);
    expect(acc.coverage80).toBeCloseTo(scored.filter((r) => r.inside).length / scored.length, 12);
    expect(acc.coverage50).toBeCloseTo(
      scored.filter((r) => r.actual >= r.p25 && r.actual <= r.p75).length / scored.length,
      12,
    );
    expect(acc.totalHeld).toBe((acc.rows as Row[]).filter((r) => r.series === 'total').at(-1)!.inside);
    // the newest forecast rolls up the last 12 assessed (here: last month's)
    const newest = await call('GET', `/forecasts/${thisMonth}`, { token: svc.tokens.viewer });
    expect(newest.body.calibration).toMatchObject({
      forecasts: 1,
      months: [lastMonth],
      totalHeld: acc.totalHeld ? 1 : 0,
    });
    expect(newest.body.calibration.coverage80).toBeCloseTo(acc.coverage80, 12);
    // nothing new: neither this month's forecast is made again nor last month's rescored
    const fourth = await call('POST', '/forecasts/run', { token: dm });
    expect(fourth.status).toBe(200);
    expect(fourth.body).toMatchObject({ created: false, forecast: { month: thisMonth, datasetId: newer.body.id } });
    const lastAgain = await call('GET', `/forecasts/${lastMonth}`, { token: svc.tokens.viewer });
    expect(lastAgain.body.accuracy.assessedAt).toBe(acc.assessedAt);
  });
});
