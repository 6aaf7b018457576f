/**
 * Submitting work (functions/jobs/submit.ts): a record whose job fans out keeps its shard plan from the moment it is
 * stored, and a submission whose messages cannot all be queued leaves nothing `queued` with no message behind it —
 * neither the record the client polls nor its dependants (a comparison's variants).
 */
import { afterEach, describe, expect, it } from 'vitest';
import { submitJob } from '#functions/jobs/submit';
import { type FanOut, type FanOutJob, setFanOut } from '#functions/queue/fanout';
import type { JobMessage, JobQueue } from '#functions/queue/queue';
import { MemoryStore } from '#functions/store/memory';

const at = '2024-01-01T00:00:00Z';
const variant = (i: number) => ({
  record: {
    kind: 'comparison-variant',
    id: `cmp_x.${i}`,
    createdAt: at,
    summary: { comparisonId: 'cmp_x', index: i, name: `v${i}`, status: 'queued' },
  },
});
const comparison = {
  record: {
    kind: 'comparison',
    id: 'cmp_x',
    createdAt: at,
    summary: { status: 'queued', runs: 10, seed: 1, variants: [] },
  },
};
const message = (i: number, size?: { runs: number; work: number }) => ({
  kind: 'comparison-variant',
  id: `cmp_x.${i}`,
  comparisonId: 'cmp_x',
  index: i,
  ...(size ? { size } : {}),
});

afterEach(() => setFanOut(undefined));

describe('submitting a job', () => {
  it('fails the polled record and every dependant still queued when a message cannot be queued', async () => {
    const store = new MemoryStore();
    const sent: JobMessage[] = [];
    const queue: JobQueue = {
      async send(m) {
        if (m.id === 'cmp_x.1') throw new Error('queue unavailable');
        sent.push(m);
      },
    };
    setFanOut(null);
    await expect(
      submitJob(store, queue, {
        dependants: [variant(0), variant(1)],
        main: comparison,
        messages: [message(0), message(1)],
      }),
    ).rejects.toThrow('queue unavailable');
    expect(sent.map((m) => m.id)).toEqual(['cmp_x.0']);
    for (const [kind, id] of [
      ['comparison', 'cmp_x'],
      ['comparison-variant', 'cmp_x.0'],
      ['comparison-variant', 'cmp_x.1'],
    ] as const)
      expect((await store.get(kind, id))?.summary, `${kind} ${id}`).toMatchObject({
        status: 'failed',
        reason: 'could not be queued',
      });
  });

  it('keeps the plan of a job that fans out on its record, and none on one that runs whole', async () => {
    const store = new MemoryStore();
    const started: FanOutJob[] = [];
    const fanOut: FanOut = { maxShards: 4, workPerShard: 100, start: async (j) => void started.push(j) };
    setFanOut(fanOut);
    const sent: JobMessage[] = [];
    await submitJob(
      store,
      { send: async (m) => void sent.push(m) },
      {
        dependants: [variant(0), variant(1)],
        main: comparison,
        messages: [message(0, { runs: 300, work: 1000 }), message(1, { runs: 300, work: 150 })],
      },
    );
    expect(started).toEqual([
      {
        kind: 'comparison-variant',
        id: 'cmp_x.0',
        shards: [
          { index: 0, of: 4, from: 0, to: 75 },
          { index: 1, of: 4, from: 75, to: 150 },
          { index: 2, of: 4, from: 150, to: 225 },
          { index: 3, of: 4, from: 225, to: 300 },
        ],
      },
    ]);
    // the small one is one message, without its size
    expect(sent).toEqual([{ kind: 'comparison-variant', id: 'cmp_x.1', comparisonId: 'cmp_x', index: 1 }]);
    expect((await store.get('comparison-variant', 'cmp_x.0'))?.summary).toMatchObject({
      status: 'queued',
      shards: { of: 4, runs: 300 },
    });
    expect((await store.get<{ shards?: unknown }>('comparison-variant', 'cmp_x.1'))?.summary.shards).toBeUndefined();
    expect((await store.get<{ shards?: unknown }>('comparison', 'cmp_x'))?.summary.shards).toBeUndefined();
  });
});
