/**
 * A local service that stopped mid-sharded-job (a crash, kill -9), simulated at the store level: the job's record as
 * the dead process left it (`running`, its plan, some shards' summaries stored) and shard records no live job will
 * merge. On the next start, recovery resumes the job with its own plan — the stored shards are reused, only the
 * missing ones run — and the merged result is the one-process result; every shard record is gone at the end. A job
 * whose attempts are spent is failed, and its shards removed. A Ctrl-C (the service closed while shards run) puts the
 * job back in the queue without spending an attempt, and the next start finishes it.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SHARD_JOB, SHARD_RECORD, type ShardRecordSummary, shardRecordId } from '#functions/jobs/shards';
import type { ScenarioSummary } from '#functions/records/scenario';
import type { Store } from '#functions/store/store';
import { simulate, simulateShard } from '#models/engine';
import type { ForecastResult } from '#models/result';
import { parseScenario, type Scenario } from '#models/scenario';
import { type Shard, splitRuns } from '#models/shards';
import { startLocalService } from '../../bin/serve.js';
import { expectSameResult } from '../fixtures/same-result.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const RUNS = 90;
const INPUT = { ...BASE, name: 'crashed', runs: RUNS, horizonMonths: 36, seed: 31 };
/** the time a reused shard says it took: the merged result's elapsedMs is the slowest shard's plus the merge's */
const KEPT_SHARD_MS = 987_654;

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function scenario(): Scenario {
  const parsed = parseScenario(INPUT);
  if (!parsed.ok) throw new Error('invalid scenario');
  return parsed.value;
}

async function jobRecord(store: Store, id: string, summary: Partial<ScenarioSummary>): Promise<void> {
  await store.create<ScenarioSummary>(
    {
      kind: 'scenario',
      id,
      createdAt: new Date().toISOString(),
      createdBy: 'finance-user',
      tenant: 'council:E06000031',
      summary: {
        name: id,
        status: 'running',
        progress: 40,
        runs: RUNS,
        horizonMonths: 36,
        start: '2018-04',
        attempts: 1,
        shards: { of: 3, runs: RUNS },
        ...summary,
      },
    },
    { scenario: INPUT },
  );
}

/** a shard's summary as the shard job stores it */
async function storedShard(store: Store, job: string, id: string, shard: Shard, summary: unknown): Promise<void> {
  await store.create<ShardRecordSummary>(
    {
      kind: SHARD_RECORD,
      id: shardRecordId(job, id, shard.index),
      createdAt: new Date().toISOString(),
      summary: { job, jobId: id, ...shard, elapsedMs: 1 },
    },
    { summary },
  );
}

async function shardRecords(store: Store): Promise<string[]> {
  return (await store.list(SHARD_RECORD, { limit: 100 })).items.map((r) => r.id);
}

describe('a restart after a crash mid-sharded-job', () => {
  it('resumes the job with its finished shards, runs only the missing one, and leaves no shard record', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-shard-recovery-'));
    dirs.push(dataDir);
    const s = scenario();
    const plan = splitRuns(RUNS, 3);
    // the store as the dead process left it (written through a service that runs nothing, then closed)
    let svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 1 });
    const store0 = svc.store;
    // 1. running, shards 0 and 2 finished and stored, shard 1 lost with the process
    await jobRecord(store0, 'sc_crashed', {});
    await storedShard(store0, 'scenario', 'sc_crashed', plan[0]!, {
      ...simulateShard(s, plan[0]!, { collectRunTotals: true }),
      elapsedMs: KEPT_SHARD_MS,
    });
    await storedShard(
      store0,
      'scenario',
      'sc_crashed',
      plan[2]!,
      simulateShard(s, plan[2]!, { collectRunTotals: true }),
    );
    // 2. its attempts spent (the dead process was already its second): failed, its stored shard removed
    await jobRecord(store0, 'sc_spent', { attempts: 2 });
    await storedShard(store0, 'scenario', 'sc_spent', plan[1]!, { stale: true });
    // 3. shard records no live job will merge: a deleted job's, a finished job's, one that does not fit its job's plan
    await storedShard(store0, 'scenario', 'sc_deleted', plan[0]!, { stale: true });
    await jobRecord(store0, 'sc_done', { status: 'complete', progress: 100 });
    await storedShard(store0, 'scenario', 'sc_done', plan[1]!, { stale: true });
    await jobRecord(store0, 'sc_replanned', { status: 'queued', progress: 0, attempts: 0 });
    await storedShard(store0, 'scenario', 'sc_replanned', { index: 1, of: 2, from: 45, to: 90 }, { stale: true });
    await svc.close();

    // the next start, with another number of job processes than the plan's shards: the plan stays the record's
    svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 2 });
    try {
      expect(svc.recovered).toEqual({ requeued: 2, failed: 1 });
      const store = svc.store;
      const finished = async (id: string) => {
        for (;;) {
          const r = await store.get<ScenarioSummary>('scenario', id);
          if (r && (r.summary.status === 'complete' || r.summary.status === 'failed')) return r;
          await new Promise((res) => setTimeout(res, 50));
        }
      };
      const [crashed, replanned] = await Promise.all([finished('sc_crashed'), finished('sc_replanned')]);
      const whole = simulate(s, { collectRunTotals: true });

      expect(crashed.summary).toMatchObject({ status: 'complete', progress: 100, attempts: 2 });
      const result = (await store.readBlob<ForecastResult>(crashed, 'result'))!;
      expectSameResult(result, whole);
      expect(await store.readBlob(crashed, 'runTotals')).toEqual(whole.runTotals);
      // shard 0 was not run again: the merge took its stored summary (and the time it said it took)
      expect(result.elapsedMs).toBeGreaterThanOrEqual(KEPT_SHARD_MS);

      // the queued job's shard from another plan was removed, not merged: it ran in its own three shards
      expect(replanned.summary.status).toBe('complete');
      expectSameResult((await store.readBlob<ForecastResult>(replanned, 'result'))!, whole);

      const spent = (await store.get<ScenarioSummary>('scenario', 'sc_spent'))!.summary;
      expect(spent).toMatchObject({ status: 'failed' });
      expect(spent.reason).toMatch(/stopped its runner 2 time\(s\)/);
      expect((await store.get<ScenarioSummary>('scenario', 'sc_done'))!.summary.status).toBe('complete');

      // nothing left behind (the merges remove their shards just after completing the jobs)
      for (;;) {
        const left = await shardRecords(store);
        if (left.length === 0) break;
        expect(
          left.every((id) => id.startsWith('scenario.sc_crashed.') || id.startsWith('scenario.sc_replanned.')),
        ).toBe(true);
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await svc.close();
    }
  });
});

describe('a Ctrl-C mid-sharded-job', () => {
  it('puts the job back in the queue, and the next start finishes it as one process would', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-shard-stop-'));
    dirs.push(dataDir);
    const input = { ...BASE, name: 'stopped', runs: 6000, seed: 43 };
    const parsed = parseScenario(input);
    if (!parsed.ok) throw new Error('invalid scenario');
    let svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 2, drainSeconds: 0 });
    const posted = await fetch(`${svc.url}/scenarios`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.tokens.finance}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    for (;;) {
      const r = (await svc.store.get<ScenarioSummary>('scenario', id))!.summary;
      if (r.status === 'running' && r.progress >= 5) break;
      expect(['queued', 'running']).toContain(r.status);
      await new Promise((res) => setTimeout(res, 20));
    }
    await svc.close();
    // stopped, not failed: queued again at 0%, its plan and its one attempt kept
    const stopped = (await (async () => {
      svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 0 });
      const r = await svc.store.get<ScenarioSummary>('scenario', id);
      await svc.close();
      return r;
    })())!.summary;
    expect(stopped).toMatchObject({ status: 'queued', progress: 0, attempts: 1, shards: { of: 2, runs: 6000 } });
    expect(stopped.reason).toBeUndefined();

    svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 2 });
    try {
      expect(svc.recovered).toEqual({ requeued: 1, failed: 0 });
      let done = (await svc.store.get<ScenarioSummary>('scenario', id))!;
      while (done.summary.status !== 'complete' && done.summary.status !== 'failed') {
        await new Promise((res) => setTimeout(res, 50));
        done = (await svc.store.get<ScenarioSummary>('scenario', id))!;
      }
      expect(done.summary).toMatchObject({ status: 'complete', attempts: 1 });
      expectSameResult((await svc.store.readBlob<ForecastResult>(done, 'result'))!, simulate(parsed.value));
      for (;;) {
        if ((await shardRecords(svc.store)).length === 0) break;
        await new Promise((res) => setTimeout(res, 50));
      }
    } finally {
      await svc.close();
    }
  });
});

describe('a stop whose drain lets every shard finish before the merge', () => {
  it('puts the job back without spending an attempt, and the next start merges the stored shards', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'pf-shard-drain-'));
    dirs.push(dataDir);
    const input = { ...BASE, name: 'drained', runs: 4000, seed: 47 };
    const parsed = parseScenario(input);
    if (!parsed.ok) throw new Error('invalid scenario');
    // a drain long enough for both shards: the queue closes at the stop, so the merge that follows them cannot be sent
    let svc = await startLocalService({
      port: 0,
      dataDir,
      quiet: true,
      loadDemo: false,
      workers: 2,
      drainSeconds: 120,
    });
    const bothShardsStarted = new Promise<void>((resolve) => {
      let started = 0;
      svc.events.on('started', (d: { kind: string }) => {
        if (d.kind === SHARD_JOB && ++started === 2) resolve();
      });
    });
    const posted = await fetch(`${svc.url}/scenarios`, {
      method: 'POST',
      headers: { authorization: `Bearer ${svc.tokens.finance}`, 'content-type': 'application/json' },
      body: JSON.stringify(input),
    });
    expect(posted.status).toBe(202);
    const { id } = (await posted.json()) as { id: string };
    await bothShardsStarted;
    await svc.close();
    svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 0 });
    const stopped = (await svc.store.get<ScenarioSummary>('scenario', id))!.summary;
    const stored = await shardRecords(svc.store);
    await svc.close();
    // both shards ran to their end and stored their summaries; the job waits for its merge, its one attempt kept
    expect(stored.filter((r) => r.startsWith(`scenario.${id}.`))).toHaveLength(2);
    expect(stopped).toMatchObject({ status: 'queued', progress: 0, attempts: 1, shards: { of: 2, runs: 4000 } });

    svc = await startLocalService({ port: 0, dataDir, quiet: true, loadDemo: false, workers: 2 });
    try {
      expect(svc.recovered).toEqual({ requeued: 1, failed: 0 });
      let done = (await svc.store.get<ScenarioSummary>('scenario', id))!;
      while (done.summary.status !== 'complete' && done.summary.status !== 'failed') {
        await new Promise((res) => setTimeout(res, 50));
        done = (await svc.store.get<ScenarioSummary>('scenario', id))!;
      }
      expect(done.summary).toMatchObject({ status: 'complete', attempts: 1 });
      expectSameResult((await svc.store.readBlob<ForecastResult>(done, 'result'))!, simulate(parsed.value));
    } finally {
      await svc.close();
    }
  });
});
