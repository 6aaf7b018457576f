/**
 * Deleting what a council or a region stores, through the local service on dynalite: datasets (and the council's
 * current pointer, the monthly schedule after it, a delete that stops midway and its retry), comparisons with their
 * variants, target searches and regional forecasts (and the shard summaries of sharded jobs).
 */
import { readFileSync } from 'node:fs';
import type { Context, ScheduledEvent } from 'aws-lambda';
import { beforeAll, describe, expect, it } from 'vitest';
import { handler as monthlySchedule } from '#functions/jobs/monthly-forecast';
import { SHARD_RECORD, shardRecordId } from '#functions/jobs/shard-records';
import type { Role } from '#functions/routes';
import type { StoredRecord } from '#functions/store/store';
import { useLocalService } from '../support/local-service.js';
import { useEmulator } from './emulators.js';
import { history, recordsAt } from './records-fixture.js';

const BASE = {
  ...(JSON.parse(
    readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
  ) as Record<string, unknown>),
  runs: 20,
  horizonMonths: 6,
};

describe('deleting datasets, comparisons, targets and regional forecasts', () => {
  const emulator = useEmulator();
  const { service, call, untilFinished } = useLocalService(() => ({
    dynamodbEndpoint: emulator().endpoint,
    workers: 1,
    drainSeconds: 0,
  }));
  let council: string;
  let other: Record<Role, string>;
  const dm = () => service().tokens['data-manager'];
  const upload = async (children: number, seed: number, end: string) => {
    const r = await call('POST', '/datasets', {
      token: dm(),
      body: { format: 'records', ...recordsAt(history(children, seed), end) },
    });
    expect(r.status).toBe(201);
    return r.body as { id: string; current: boolean; council: string };
  };
  const currentOf = async (): Promise<string[]> =>
    (await call('GET', '/datasets?limit=100', { token: dm() })).body.items
      .filter((d: { current: boolean }) => d.current)
      .map((d: { id: string }) => d.id);
  /** planted as a crash between a merge and its clean-up would leave them (docs/sharding.md) */
  const plantShards = async (job: string, id: string) => {
    for (const [index, from, to] of [
      [0, 0, 10],
      [1, 10, 20],
    ] as const)
      await service().store.create(
        {
          kind: SHARD_RECORD,
          id: shardRecordId(job, id, index),
          createdAt: new Date().toISOString(),
          summary: { job, jobId: id, index, of: 2, from, to, elapsedMs: 1 },
        },
        { summary: {} },
      );
  };
  const shardsLeft = async (job: string, id: string) =>
    (await Promise.all([0, 1].map((i) => service().store.get(SHARD_RECORD, shardRecordId(job, id, i))))).filter(Boolean)
      .length;

  beforeAll(() => {
    const codes = Object.keys(service().councilTokens);
    council = codes[0]!;
    other = service().councilTokens[codes[1]!]!;
  });

  it('lists the deletes in the OpenAPI document with their answers', async () => {
    const doc = (await call('GET', '/openapi.json')).body;
    const dataset = doc.paths['/datasets/{id}'].delete;
    expect(dataset.operationId).toBe('DeleteDataset');
    expect(dataset.description).toBe('Roles: data-manager');
    expect(dataset.responses['200'].content['application/json'].schema.$ref).toBe(
      '#/components/schemas/DatasetDeleted',
    );
    expect(doc.components.schemas.DatasetDeleted.required).toEqual(['id', 'council', 'deletedAt', 'currentCleared']);
    for (const [path, id] of [
      ['/comparisons/{id}', 'DeleteComparison'],
      ['/targets/{id}', 'DeleteTarget'],
      ['/regional-forecasts/{id}', 'DeleteRegionalForecast'],
    ]) {
      const op = doc.paths[path!].delete;
      expect(op.operationId).toBe(id);
      expect(op.description).toBe('Roles: finance, commissioner');
      expect(op.responses['204'].content).toBeUndefined();
      expect(Object.keys(op.responses)).toEqual(expect.arrayContaining(['401', '403', '404']));
    }
  });

  it('removes a dataset that is not current: only its council’s data managers may, then it answers 404', async () => {
    const current = await upload(40, 3, '2016-03-31');
    expect(current.current).toBe(true);
    const older = await upload(40, 8, '2015-12-31');
    expect(older.current).toBe(false);
    const stored = (await service().store.get('dataset', older.id)) as StoredRecord;
    expect(stored.blobs.children?.parts).toBeGreaterThan(0);

    // roles: only data managers; tenancy: another council's data manager is told there is no such dataset
    for (const role of ['viewer', 'finance', 'commissioner'] as const)
      expect((await call('DELETE', `/datasets/${older.id}`, { token: service().tokens[role] })).status).toBe(403);
    const theirs = await call('DELETE', `/datasets/${older.id}`, { token: other['data-manager'] });
    expect(theirs.status).toBe(404);
    expect(JSON.stringify(theirs.body)).not.toContain('children');
    expect((await call('GET', `/datasets/${older.id}`, { token: dm() })).status).toBe(200);

    const del = await call('DELETE', `/datasets/${older.id}`, { token: dm() });
    expect(del.status).toBe(200);
    expect(del.body).toEqual({ id: older.id, council, deletedAt: expect.any(String), currentCleared: false });
    expect((await call('GET', `/datasets/${older.id}`, { token: dm() })).status).toBe(404);
    const listed = (await call('GET', '/datasets?limit=100', { token: dm() })).body.items.map(
      (d: { id: string }) => d.id,
    );
    expect(listed).not.toContain(older.id);
    expect(listed).toContain(current.id);
    // the summary item and every part are gone: the children cannot be read back through the old reference
    expect(await service().store.get('dataset', older.id)).toBeUndefined();
    await expect(service().store.readBlob(stored, 'children')).rejects.toThrow(/0 of \d+ parts/);
    // a second delete is a plain 404; the current dataset is untouched
    expect((await call('DELETE', `/datasets/${older.id}`, { token: dm() })).status).toBe(404);
    expect(await currentOf()).toEqual([current.id]);
  });

  it('clears the current pointer when the current dataset goes: none is current, the schedule skips the council', async () => {
    const [currentId] = await currentOf();
    const kept = await upload(40, 9, '2015-12-31');
    expect(kept.current).toBe(false);

    const del = await call('DELETE', `/datasets/${currentId}`, { token: dm() });
    expect(del.status).toBe(200);
    expect(del.body.currentCleared).toBe(true);
    // the older upload does not become current unasked
    expect(await currentOf()).toEqual([]);
    const listed = (await call('GET', '/datasets?limit=100', { token: dm() })).body.items;
    expect(listed.map((d: { id: string }) => d.id)).toEqual([kept.id]);

    // on demand: a 422 that says why; on the schedule: skipped with the same reason, nothing queued
    const run = await call('POST', '/forecasts/run', { token: dm() });
    expect(run.status).toBe(422);
    expect(run.body.issues).toEqual([
      expect.objectContaining({
        path: 'datasets',
        code: 'no_current_dataset',
        message: expect.stringContaining('deleted'),
      }),
    ]);
    const outcome = (await monthlySchedule(
      { time: '2026-11-01T06:00:00Z' } as ScheduledEvent,
      {
        awsRequestId: 'test-schedule',
      } as Context,
    )) as { councils: Array<{ council: string; status: string; reason?: string }> };
    expect(outcome.councils).toEqual([
      {
        council,
        status: 'skipped',
        reason: expect.stringContaining('POST /datasets/{id}/current'),
      },
    ]);
    expect((await call('GET', '/forecasts', { token: dm() })).body.items).toEqual([]);

    // a data manager makes the older one current again
    expect((await call('POST', `/datasets/${kept.id}/current`, { token: dm() })).status).toBe(200);
    expect(await currentOf()).toEqual([kept.id]);
  });

  it('finishes on a retry a delete that stopped after the parts went, and never leaves the pointer on it', async () => {
    const [currentId] = await currentOf();
    const store = service().store as unknown as { deleteMeta: (...a: unknown[]) => Promise<boolean> };
    const deleteMeta = store.deleteMeta;
    let failed = 0;
    store.deleteMeta = async function (this: unknown, ...a: unknown[]) {
      if (a[0] === 'dataset' && failed++ === 0) throw new Error('connection reset by peer');
      return deleteMeta.apply(this, a);
    };
    try {
      const first = await call('DELETE', `/datasets/${currentId}`, { token: dm() });
      expect(first.status).toBe(500);
      expect(Object.keys(first.body).sort()).toEqual(['error', 'requestId']);
      expect(JSON.stringify(first.body)).not.toMatch(/at .*\.ts|connection reset/);
      // midway: the pointer was cleared first, the parts are gone, the summary item is still there
      expect(await currentOf()).toEqual([]);
      const half = (await service().store.get('dataset', currentId!)) as StoredRecord;
      await expect(service().store.readBlob(half, 'children')).rejects.toThrow(/parts/);
      const retry = await call('DELETE', `/datasets/${currentId}`, { token: dm() });
      expect(retry.status).toBe(200);
      expect(retry.body.currentCleared).toBe(true);
    } finally {
      store.deleteMeta = deleteMeta;
    }
    expect(failed).toBe(2);
    expect(await service().store.get('dataset', currentId!)).toBeUndefined();
    expect((await call('GET', `/datasets/${currentId}`, { token: dm() })).status).toBe(404);
    expect((await call('DELETE', `/datasets/${currentId}`, { token: dm() })).status).toBe(404);
  });

  it('deletes a comparison with its variants and their shard summaries (creator only)', async () => {
    const fin = service().tokens.finance;
    const created = await call('POST', '/comparisons', {
      token: fin,
      body: { base: BASE, sweep: { path: 'capacity.recruitmentPerYear', values: [6, 20] } },
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    expect((await untilFinished(`/comparisons/${id}`, fin)).body.status).toBe('complete');
    await service().store.update('comparison-variant', `${id}.2`, { summary: { shards: { of: 2, runs: 20 } } });
    await plantShards('comparison-variant', `${id}.2`);

    expect((await call('DELETE', `/comparisons/${id}`, { token: service().tokens.commissioner })).status).toBe(403);
    expect((await call('DELETE', `/comparisons/${id}`, { token: other.finance })).status).toBe(404);
    expect((await call('DELETE', `/comparisons/${id}`, { token: fin })).status).toBe(204);
    expect((await call('GET', `/comparisons/${id}`, { token: fin })).status).toBe(404);
    expect(await service().store.get('comparison', id)).toBeUndefined();
    for (const i of [0, 1, 2]) expect(await service().store.get('comparison-variant', `${id}.${i}`)).toBeUndefined();
    expect(await shardsLeft('comparison-variant', `${id}.2`)).toBe(0);
    expect((await call('DELETE', `/comparisons/${id}`, { token: fin })).status).toBe(404);
  });

  it('deletes a queued comparison and a queued target search: their jobs store nothing afterwards', async () => {
    const fin = service().tokens.finance;
    const cmp = await call('POST', '/comparisons', {
      token: fin,
      body: { base: BASE, sweep: { path: 'capacity.recruitmentPerYear', values: [8] } },
    });
    const tgt = await call('POST', '/targets', {
      token: fin,
      body: {
        base: BASE,
        search: { path: 'capacity.recruitmentPerYear', min: 0, max: 4 },
        goal: { metric: 'residential', atMost: 1000 },
      },
    });
    expect([cmp.status, tgt.status]).toEqual([202, 202]);
    expect((await call('DELETE', `/targets/${tgt.body.id}`, { token: service().tokens.commissioner })).status).toBe(
      403,
    );
    expect((await call('DELETE', `/targets/${tgt.body.id}`, { token: other.finance })).status).toBe(404);
    expect((await call('DELETE', `/comparisons/${cmp.body.id}`, { token: fin })).status).toBe(204);
    expect((await call('DELETE', `/targets/${tgt.body.id}`, { token: fin })).status).toBe(204);
    // a later scenario runs after the deleted jobs on the one worker: once it is done they have had their turn
    const after = await call('POST', '/scenarios', { token: fin, body: BASE });
    expect((await untilFinished(`/scenarios/${after.body.id}`, fin)).body.status).toBe('complete');
    expect(await service().store.get('comparison', cmp.body.id)).toBeUndefined();
    expect(await service().store.get('comparison-variant', `${cmp.body.id}.0`)).toBeUndefined();
    expect(await service().store.get('comparison-variant', `${cmp.body.id}.1`)).toBeUndefined();
    expect(await service().store.get('target', tgt.body.id)).toBeUndefined();
    expect((await call('GET', `/targets/${tgt.body.id}`, { token: fin })).status).toBe(404);
    expect((await call('DELETE', `/targets/${tgt.body.id}`, { token: fin })).status).toBe(404);
  });

  it('deletes a regional forecast and its shard summaries (its creator only; another region gets 404)', async () => {
    const svc = service();
    const mint = (claims: Parameters<typeof svc.token>[0]) => svc.token(claims);
    const code = 'E09000001';
    const councilDm = await mint({ sub: 'x-dm', 'cognito:groups': ['data-manager'], 'custom:council': code });
    const regionDm = await mint({ sub: 'r-dm', 'cognito:groups': ['data-manager'], 'custom:region': 'south' });
    const regionFin = await mint({ sub: 'r-fin', 'cognito:groups': ['finance'], 'custom:region': 'south' });
    const regionCom = await mint({ sub: 'r-com', 'cognito:groups': ['commissioner'], 'custom:region': 'south' });
    const elsewhere = await mint({ sub: 'w-fin', 'cognito:groups': ['finance'], 'custom:region': 'west' });
    expect(
      (await call('PUT', `/councils/${code}`, { token: councilDm, body: { name: 'X', region: 'south' } })).status,
    ).toBeLessThan(300);
    expect(
      (await call('PUT', '/regions/south', { token: regionDm, body: { name: 'South', councils: [code] } })).status,
    ).toBe(201);
    const created = await call('POST', '/regional-forecasts', {
      token: regionFin,
      body: { name: 'rf', start: '2018-04', horizonMonths: 6, runs: 20, councils: [{ code, scenario: BASE }] },
    });
    expect(created.status).toBe(202);
    const id = created.body.id as string;
    expect((await untilFinished(`/regional-forecasts/${id}`, regionFin)).body.status).toBe('complete');
    await svc.store.update('regional-forecast', id, { summary: { shards: { of: 2, runs: 20 } } });
    await plantShards('regional-forecast', id);

    expect((await call('DELETE', `/regional-forecasts/${id}`, { token: elsewhere })).status).toBe(404);
    expect((await call('DELETE', `/regional-forecasts/${id}`, { token: regionCom })).status).toBe(403);
    expect((await call('GET', `/regional-forecasts/${id}`, { token: regionFin })).status).toBe(200);
    expect((await call('DELETE', `/regional-forecasts/${id}`, { token: regionFin })).status).toBe(204);
    expect((await call('GET', `/regional-forecasts/${id}`, { token: regionFin })).status).toBe(404);
    expect(await svc.store.get('regional-forecast', id)).toBeUndefined();
    expect(await shardsLeft('regional-forecast', id)).toBe(0);
    expect((await call('DELETE', `/regional-forecasts/${id}`, { token: regionFin })).status).toBe(404);
  });
});
