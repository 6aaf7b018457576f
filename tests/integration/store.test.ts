/**
 * The Store contract on both emulators: parts-first records, blobs over 400 KB read back whole, conditional status
 * updates, newest-first pages with opaque cursors, deletes that leave no part behind, idempotency claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { DynamoStore, makeDynamoClient } from '#functions/store/dynamo';
import { createTableInput } from '#functions/store/table';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { backends, type Emulator } from './emulators.js';

describe.each(backends())('Store on $name', ({ start }) => {
  let emulator: Emulator;
  let store: DynamoStore;
  const table = 'store-test';

  beforeAll(async () => {
    emulator = await start();
    const client = makeDynamoClient({ endpoint: emulator.endpoint });
    await client.send(new CreateTableCommand(createTableInput(table)));
    client.destroy();
    store = new DynamoStore({ tableName: table, endpoint: emulator.endpoint });
  });
  afterAll(async () => {
    await emulator?.stop();
  });

  async function itemCount(pk: string): Promise<number> {
    const client = makeDynamoClient({ endpoint: emulator.endpoint });
    const r = await client.send(
      new QueryCommand({
        TableName: table,
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': { S: pk } },
        Select: 'COUNT',
      }),
    );
    client.destroy();
    return r.Count ?? -1;
  }

  it('reads back whole a blob larger than one 400 KB item, stored in several parts', async () => {
    // 30,000 numbers with 16 significant digits: about 560 KB of JSON
    const big = { values: Array.from({ length: 30_000 }, (_, i) => Math.sin(i) * 1e6), label: 'é£✓' };
    const bytes = Buffer.byteLength(JSON.stringify(big));
    expect(bytes).toBeGreaterThan(400_000);
    const rec = await store.create(
      { kind: 'test', id: 'big', createdAt: '2026-01-01T00:00:00.000Z', summary: { status: 'done' } },
      { big },
    );
    expect(rec.blobs.big?.parts).toBe(Math.ceil(bytes / 350_000));
    const again = await store.get('test', 'big');
    expect(again?.summary).toEqual({ status: 'done' });
    expect(await store.readBlob(again!, 'big')).toEqual(big);
  });

  it('answers a read of a record whose parts went meanwhile (a delete under way) with a conflict, not a crash', async () => {
    await store.create(
      { kind: 'test', id: 'going', createdAt: '2026-01-01T00:00:00.500Z', summary: {} },
      { b: [1, 2] },
    );
    const read = await store.get('test', 'going');
    // parts first, as DELETE /datasets/{id} does: the summary item is still there
    const deleting = new DynamoStore({ tableName: table, endpoint: emulator.endpoint, cacheBytes: 0 });
    await deleting.delete('test', 'going', { partsFirst: true });
    await expect(store.readBlob(read!, 'b')).rejects.toThrow(
      expect.objectContaining({
        statusCode: 409,
        message: 'the test going was changed or deleted while it was read (0 of 1 parts found): try again',
      }),
    );
  });

  it('refuses to create a record twice and leaves the first intact', async () => {
    await store.create(
      { kind: 'test', id: 'once', createdAt: '2026-01-01T00:00:01.000Z', summary: { n: 1 } },
      { b: [1] },
    );
    await expect(
      store.create({ kind: 'test', id: 'once', createdAt: '2026-01-01T00:00:02.000Z', summary: { n: 2 } }, { b: [2] }),
    ).rejects.toThrow(/already exists/);
    const rec = await store.get('test', 'once');
    expect(rec?.summary).toEqual({ n: 1 });
    expect(await store.readBlob(rec!, 'b')).toEqual([1]);
    // the losing attempt's parts were removed: the META item and one part remain
    expect(await itemCount('TEST#once')).toBe(2);
  });

  it('updates only from an expected status, replacing blobs and removing their old parts', async () => {
    await store.create(
      { kind: 'run', id: 'r1', createdAt: '2026-01-01T00:00:00.000Z', summary: { status: 'queued', progress: 0 } },
      { input: { a: 1 } },
    );
    expect(await store.update('run', 'r1', { summary: { status: 'complete' } }, { expectStatus: ['running'] })).toBe(
      false,
    );
    expect(
      await store.update(
        'run',
        'r1',
        { summary: { status: 'running', progress: 40 } },
        { expectStatus: ['queued', 'running'] },
      ),
    ).toBe(true);
    expect(
      await store.update(
        'run',
        'r1',
        { summary: { status: 'complete', progress: 100 }, blobs: { input: { a: 2 }, result: { x: 1 } } },
        { expectStatus: ['running'] },
      ),
    ).toBe(true);
    const rec = await store.get('run', 'r1');
    expect(rec?.summary).toEqual({ status: 'complete', progress: 100 });
    expect(await store.readBlob(rec!, 'input')).toEqual({ a: 2 });
    expect(await store.readBlob(rec!, 'result')).toEqual({ x: 1 });
    expect(await itemCount('RUN#r1')).toBe(3);
    expect(await store.update('run', 'missing', { summary: { status: 'x' } })).toBe(false);
  });

  it('lists newest first in pages joined by an opaque cursor, and filters by creator', async () => {
    for (let i = 0; i < 7; i++) {
      await store.create({
        kind: 'page',
        id: `p${i}`,
        createdAt: `2026-02-0${i + 1}T00:00:00.000Z`,
        createdBy: i % 2 === 0 ? 'alice' : 'bob',
        summary: { i },
      });
    }
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await store.list('page', { limit: 3, ...(cursor ? { cursor } : {}) });
      seen.push(...page.items.map((r) => r.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    expect(seen).toEqual(['p6', 'p5', 'p4', 'p3', 'p2', 'p1', 'p0']);
    const alice = await store.list('page', { limit: 10, createdBy: 'alice' });
    expect(alice.items.map((r) => r.id)).toEqual(['p6', 'p4', 'p2', 'p0']);
    const firstTwoOfBob = await store.list('page', { limit: 2, createdBy: 'bob' });
    expect(firstTwoOfBob.items.map((r) => r.id)).toEqual(['p5', 'p3']);
    await expect(store.list('page', { limit: 3, cursor: 'not-a-cursor' })).rejects.toThrow(/cursor/);
  });

  it('deletes the summary and every part', async () => {
    await store.create(
      { kind: 'gone', id: 'g', createdAt: '2026-01-01T00:00:00.000Z', summary: {} },
      { a: 'x'.repeat(800_000) },
    );
    expect(await itemCount('GONE#g')).toBe(4);
    expect(await store.delete('gone', 'g')).toBe(true);
    expect(await itemCount('GONE#g')).toBe(0);
    expect(await store.get('gone', 'g')).toBeUndefined();
    expect(await store.delete('gone', 'g')).toBe(false);
  });

  it('claims an idempotency key once, replays its response, and rejects another body', async () => {
    const now = 1_800_000_000_000;
    expect(await store.claimIdempotency('k1', 'hash-a', now, 60_000)).toEqual({ state: 'claimed' });
    expect(await store.claimIdempotency('k1', 'hash-a', now + 1, 60_000)).toEqual({ state: 'in-progress' });
    await store.completeIdempotency('k1', { statusCode: 202, body: { id: 'sc_1' } }, now + 60_000);
    expect(await store.claimIdempotency('k1', 'hash-a', now + 2, 60_000)).toEqual({
      state: 'replay',
      response: { statusCode: 202, body: { id: 'sc_1' } },
    });
    expect(await store.claimIdempotency('k1', 'hash-b', now + 3, 60_000)).toEqual({ state: 'mismatch' });
    // expired: dynalite has no TTL, so expiry is part of the claim's condition
    expect(await store.claimIdempotency('k1', 'hash-b', now + 60_001, 60_000)).toEqual({ state: 'claimed' });
    await store.releaseIdempotency('k1');
    expect(await store.claimIdempotency('k1', 'hash-c', now + 60_002, 60_000)).toEqual({ state: 'claimed' });
  });

  it('reads many records at once in the order asked, across batches of 100, with gaps and repeats', async () => {
    const ids = Array.from({ length: 130 }, (_, i) => `m${i}`);
    for (const id of ids)
      await store.create({
        kind: 'many',
        id,
        createdAt: '2026-01-01T00:00:00.000Z',
        summary: { n: Number(id.slice(1)) },
      });
    const asked = ['m129', 'nobody', ...ids.slice(0, 120), 'm5', 'm100'];
    const got = await store.getMany<{ n: number }>('many', asked);
    expect(got).toHaveLength(asked.length);
    expect(got[0]?.summary.n).toBe(129);
    expect(got[1]).toBeUndefined();
    expect(got.slice(2, 122).map((r) => r?.summary.n)).toEqual(Array.from({ length: 120 }, (_, i) => i));
    expect(got.slice(122).map((r) => r?.id)).toEqual(['m5', 'm100']);
    // the same records as one read each gives
    expect(got[50]).toEqual(await store.get('many', asked[50]!));
    expect(await store.getMany('many', [])).toEqual([]);
    await expect(
      store.getMany(
        'many',
        Array.from({ length: 1001 }, (_, i) => `x${i}`),
      ),
    ).rejects.toThrow(/at most 1000 ids, not 1001/);
  });
});
