import { describe, expect, it } from 'vitest';
import { finalCacheSize, forgetFinal, readFinal } from '#functions/store/final-cache';
import type { StoredRecord } from '#functions/store/store';

const record = (id: string, status: string, tenant = 'council:E06000031'): StoredRecord<{ status: string }> => ({
  kind: 'scenario',
  id,
  createdAt: '2026-12-07T00:00:00.000Z',
  updatedAt: '2026-12-07T00:00:00.000Z',
  tenant,
  summary: { status },
  blobs: {},
});
const isFinal = (r: StoredRecord<{ status: string }>) => r.summary.status === 'complete';

describe('final-record cache', () => {
  it('reads a final record once for concurrent and later readers, until its time is up', async () => {
    let reads = 0;
    const read = async () => {
      reads++;
      await new Promise((r) => setTimeout(r, 5));
      return record('fc-1', 'complete');
    };
    const t = 1_000_000;
    const got = await Promise.all(
      Array.from({ length: 20 }, () => readFinal('council:A', 'scenario', 'fc-1', read, isFinal, t)),
    );
    expect(reads).toBe(1);
    expect(got.every((r) => r?.id === 'fc-1')).toBe(true);
    await readFinal('council:A', 'scenario', 'fc-1', read, isFinal, t + 1000);
    expect(reads).toBe(1);
    // after the time-to-live (2 s) another process's change is seen: read again
    await readFinal('council:A', 'scenario', 'fc-1', read, isFinal, t + 2500);
    expect(reads).toBe(2);
  });

  it('never keeps a record that is not final, and keeps each tenant apart', async () => {
    let reads = 0;
    const running = async () => (reads++, record('fc-2', 'running'));
    await readFinal('council:A', 'scenario', 'fc-2', running, isFinal, 5);
    await readFinal('council:A', 'scenario', 'fc-2', running, isFinal, 6);
    expect(reads).toBe(2);
    // a record another tenant may not see (its scoped read answers undefined) is not handed over from A's copy
    const a = async () => record('fc-3', 'complete', 'council:A');
    await readFinal('council:A', 'scenario', 'fc-3', a, isFinal, 10);
    const b = await readFinal('council:B', 'scenario', 'fc-3', async () => undefined, isFinal, 11);
    expect(b).toBeUndefined();
  });

  it('forgets a record deleted or changed through this process at once, for every tenant', async () => {
    let status = 'complete';
    const read = async () => (status === 'gone' ? undefined : record('fc-4', status));
    const before = finalCacheSize();
    await readFinal('council:A', 'scenario', 'fc-4', read, isFinal, 20);
    await readFinal('region:R', 'scenario', 'fc-4', read, isFinal, 20);
    expect(finalCacheSize()).toBe(before + 2);
    status = 'gone';
    expect(await readFinal('council:A', 'scenario', 'fc-4', read, isFinal, 21)).toBeDefined();
    forgetFinal('scenario', 'fc-4');
    expect(finalCacheSize()).toBe(before);
    expect(await readFinal('council:A', 'scenario', 'fc-4', read, isFinal, 22)).toBeUndefined();
    expect(await readFinal('region:R', 'scenario', 'fc-4', read, isFinal, 22)).toBeUndefined();
  });

  it('does not keep a read that overlapped a change of the record, and forgets per-council ids by their id part', async () => {
    let release: () => void = () => undefined;
    let reads = 0;
    const slow = async () => {
      reads++;
      await new Promise<void>((r) => (release = r));
      return record('fc-5', 'complete');
    };
    const first = readFinal('council:A', 'scenario', 'fc-5', slow, isFinal, 30);
    forgetFinal('scenario', 'fc-5'); // deleted or updated while the read was in flight
    release();
    await first;
    const again = async () => (reads++, record('fc-5', 'complete'));
    await readFinal('council:A', 'scenario', 'fc-5', again, isFinal, 31);
    expect(reads).toBe(2); // the overlapped read was not kept
    await readFinal('council:A', 'scenario', 'fc-5', again, isFinal, 32);
    expect(reads).toBe(2); // the clean one was
    // a monthly forecast is stored as "<council>~<month>": forgetting the stored id forgets the caller's copy
    const forecast = async () => (reads++, { ...record('2026-12', 'complete'), kind: 'forecast' });
    await readFinal('council:A', 'forecast', '2026-12', forecast, isFinal, 40);
    forgetFinal('forecast', 'E06000031~2026-12');
    await readFinal('council:A', 'forecast', '2026-12', forecast, isFinal, 41);
    expect(reads).toBe(4);
  });
});
