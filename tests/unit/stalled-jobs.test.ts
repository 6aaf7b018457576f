/**
 * The stalled-job sweeper (functions/jobs/stalled.ts): a running record whose heartbeat is older than a live job's
 * could be is failed in the store with the reason the API already shows, and a sharded one loses its shard summaries;
 * a sharded job is given the shard state machine's whole timeout first; live, queued and finished records are left;
 * a shard summary no live job will merge is removed.
 */
import { describe, expect, it } from 'vitest';
import '#functions/jobs/kinds';
import { SHARD_JOB_TIMEOUT_SECONDS, SHARD_RECORD, shardRecordId } from '#functions/jobs/shard-records';
import { sweepStalledJobs } from '#functions/jobs/stalled';
import { requestLogger } from '#functions/http/logger';
import { KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { MemoryStore } from '#functions/store/memory';

const NOW = new Date('2026-12-07T12:00:00Z');
const STALE = 20 * 60;
const ago = (seconds: number) => new Date(NOW.getTime() - seconds * 1000).toISOString();

async function scenario(store: MemoryStore, id: string, summary: Partial<ScenarioSummary>): Promise<void> {
  await store.create<ScenarioSummary>(
    {
      kind: KIND.scenario,
      id,
      createdAt: ago(3 * 60 * 60),
      summary: {
        name: id,
        status: 'running',
        progress: 30,
        runs: 100,
        horizonMonths: 12,
        start: '2018-04',
        attempts: 1,
        ...summary,
      },
    },
    { scenario: {} },
  );
}

const statusOf = async (store: MemoryStore, id: string) =>
  (await store.get<ScenarioSummary>(KIND.scenario, id))!.summary;

describe('the stalled-job sweeper', () => {
  it('fails silent jobs with the reason the API shows, removes their shards, and leaves the rest', async () => {
    const store = new MemoryStore();
    await scenario(store, 'sc_silent', { heartbeatAt: ago(STALE + 60) });
    await scenario(store, 'sc_alive', { heartbeatAt: ago(STALE - 60) });
    await scenario(store, 'sc_queued', { status: 'queued', progress: 0, heartbeatAt: ago(10 * STALE) });
    await scenario(store, 'sc_done', { status: 'complete', progress: 100, heartbeatAt: ago(10 * STALE) });
    // sharded: quiet for longer than a job run whole may be, but within the state machine's timeout
    const plan = { of: 2, runs: 100 };
    await scenario(store, 'sc_waves', { shards: plan, heartbeatAt: ago(SHARD_JOB_TIMEOUT_SECONDS) });
    await scenario(store, 'sc_lost', { shards: plan, heartbeatAt: ago(SHARD_JOB_TIMEOUT_SECONDS + STALE + 60) });
    for (const job of ['sc_waves', 'sc_lost'])
      await store.create(
        {
          kind: SHARD_RECORD,
          id: shardRecordId('scenario', job, 1),
          createdAt: ago(60),
          summary: { job: 'scenario', jobId: job, index: 1, of: 2, from: 50, to: 100, elapsedMs: 1 },
        },
        { summary: {} },
      );

    // a deleted job's shard summary, left by a delete cut short
    await store.create(
      {
        kind: SHARD_RECORD,
        id: shardRecordId('scenario', 'sc_deleted', 0),
        createdAt: ago(60),
        summary: { job: 'scenario', jobId: 'sc_deleted', index: 0, of: 2, from: 0, to: 50, elapsedMs: 1 },
      },
      { summary: {} },
    );

    const out = await sweepStalledJobs(store, NOW, STALE, requestLogger({ requestId: 'test' }));
    // the stalled sharded job's shard is removed with it, so only the deleted job's counts as an orphan
    expect(out).toEqual({ running: 4, failed: 2, orphanShards: 1 });
    expect(await store.get(SHARD_RECORD, shardRecordId('scenario', 'sc_deleted', 0))).toBeUndefined();
    expect(await statusOf(store, 'sc_silent')).toMatchObject({
      status: 'failed',
      reason: `stalled: no sign of life from the worker since ${ago(STALE + 60)}`,
    });
    expect(await statusOf(store, 'sc_lost')).toMatchObject({ status: 'failed', reason: /^stalled: / });
    expect(await store.get(SHARD_RECORD, shardRecordId('scenario', 'sc_lost', 1))).toBeUndefined();
    expect(await statusOf(store, 'sc_waves')).toMatchObject({ status: 'running', progress: 30 });
    expect(await store.get(SHARD_RECORD, shardRecordId('scenario', 'sc_waves', 1))).toBeDefined();
    expect((await statusOf(store, 'sc_alive')).status).toBe('running');
    expect((await statusOf(store, 'sc_queued')).status).toBe('queued');
    expect((await statusOf(store, 'sc_done')).status).toBe('complete');

    // a second sweep finds nothing more to do
    expect(await sweepStalledJobs(store, NOW, STALE, requestLogger({ requestId: 'test' }))).toEqual({
      running: 2,
      failed: 0,
      orphanShards: 0,
    });
  });
});
