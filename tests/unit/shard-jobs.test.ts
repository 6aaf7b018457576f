/**
 * The ends of a sharded job leave no shard summary behind (functions/jobs/shards.ts), on the in-memory store so that
 * the order of events is exact: a shard that finishes after its job was deleted, merged or failed stores nothing; a
 * shard or merge that fails for good fails the job and removes the summaries already stored; a merge message for a
 * finished or deleted job is a dropped duplicate, never a half-merged result. A shard stopped by a host that will
 * resume the job (the local Ctrl-C) fails nothing and puts the job back in the queue; the first shard still to run
 * reports the job's progress.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Context } from 'aws-lambda';
import { handler as shardMerge } from '#functions/jobs/shard-merge';
import '#functions/jobs/kinds';
import { suspendJob } from '#functions/jobs/recovery';
import { type JobContext, jobDefinition, processJob } from '#functions/jobs/registry';
import { SHARD_JOB, SHARD_MERGE_JOB, SHARD_RECORD, shardRecordId } from '#functions/jobs/shards';
import { requestLogger } from '#functions/http/logger';
import { KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { setStore } from '#functions/store/index';
import { MemoryStore } from '#functions/store/memory';
import { simulate } from '#models/engine';
import { parseScenario } from '#models/scenario';
import { splitRuns } from '#models/shards';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;
const RUNS = 40;
const SCENARIO = { ...BASE, runs: RUNS, horizonMonths: 24, seed: 5 };
const [SHARD0, SHARD1] = splitRuns(RUNS, 2);

function ctxOf(store: MemoryStore, over: Partial<JobContext> = {}): JobContext {
  return {
    store,
    logger: requestLogger({ requestId: 'test' }),
    receiveCount: 1,
    finalAttempt: false,
    progress: () => undefined,
    shouldCancel: () => false,
    cancelReason: () => 'interrupted',
    now: () => new Date(),
    ...over,
  };
}

/** a scenario record as submission writes one that fans out into two shards */
async function shardedScenario(
  store: MemoryStore,
  id: string,
  status: 'queued' | 'running' = 'running',
  scenario: Record<string, unknown> = SCENARIO,
) {
  await store.create<ScenarioSummary>(
    {
      kind: KIND.scenario,
      id,
      createdAt: new Date().toISOString(),
      summary: {
        name: id,
        status,
        progress: 0,
        runs: RUNS,
        horizonMonths: 24,
        start: '2018-04',
        attempts: 1,
        shards: { of: 2, runs: RUNS },
      },
    },
    { scenario },
  );
}

const shardMessage = (id: string, shard = SHARD0!) => ({ kind: SHARD_JOB, id, job: 'scenario', shard });
const shardOf = (store: MemoryStore, id: string, i: number) =>
  store.get(SHARD_RECORD, shardRecordId('scenario', id, i));
const status = async (store: MemoryStore, id: string) => (await store.get<ScenarioSummary>(KIND.scenario, id))?.summary;

describe('a shard that finishes after its job ended', () => {
  const ends: Record<string, (store: MemoryStore, id: string) => unknown> = {
    deleted: (store, id) => store.delete(KIND.scenario, id),
    'completed by its merge': (store, id) =>
      store.update(KIND.scenario, id, { summary: { status: 'complete' } }, { expectStatus: ['running'] }),
    failed: (store, id) =>
      store.update(KIND.scenario, id, { summary: { status: 'failed', reason: 'x' } }, { expectStatus: ['running'] }),
  };
  for (const [how, end] of Object.entries(ends))
    it(`drops its summary when the job was ${how} while it ran`, async () => {
      const store = new MemoryStore();
      await shardedScenario(store, 'sc_late');
      let ended = false;
      // the shard's first progress report: the job ends while the engine is still running the shard's runs
      const ctx = ctxOf(store, {
        progress: () => {
          if (!ended) {
            ended = true;
            void end(store, 'sc_late');
          }
        },
      });
      expect(await processJob(shardMessage('sc_late'), ctx)).toEqual({ ok: true });
      expect(ended).toBe(true);
      expect(await shardOf(store, 'sc_late', 0)).toBeUndefined();
    });

  it('stops at its next step when the job was deleted while it ran, without running to its end', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_gone');
    const seen: number[] = [];
    const ctx = ctxOf(store, {
      // a host that checkpoints between steps (the local worker, the Lambda runner): the shard runs in twentieths
      checkpoint: async () => undefined,
      progress: (p) => {
        seen.push(p);
        if (seen.length === 1) void store.delete(KIND.scenario, 'sc_gone');
      },
    });
    expect(await processJob(shardMessage('sc_gone'), ctx)).toEqual({ ok: true });
    expect(await shardOf(store, 'sc_gone', 0)).toBeUndefined();
    // stopped within the first twentieth after the delete: nowhere near the shard's end (99)
    expect(Math.max(...seen)).toBeLessThan(30);
  });

  it('so does a scenario run whole: deleted while it runs, it stops at its next step and stores nothing', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_whole_gone', 'queued');
    await store.update(KIND.scenario, 'sc_whole_gone', { summary: { shards: undefined } });
    const seen: number[] = [];
    const ctx = ctxOf(store, {
      checkpoint: async () => undefined,
      progress: (p) => {
        seen.push(p);
        if (seen.length === 1) void store.delete(KIND.scenario, 'sc_whole_gone');
      },
    });
    expect(await processJob({ kind: 'scenario', id: 'sc_whole_gone' }, ctx)).toEqual({ ok: true });
    expect(await store.get(KIND.scenario, 'sc_whole_gone')).toBeUndefined();
    expect(Math.max(...seen)).toBeLessThan(30);
  });

  it('keeps it while the job is running (its merge reads it)', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_live');
    expect(await processJob(shardMessage('sc_live'), ctxOf(store))).toEqual({ ok: true });
    expect((await shardOf(store, 'sc_live', 0))?.summary).toMatchObject({ from: 0, to: SHARD0!.to, of: 2 });
  });
});

describe('a sharded job that fails', () => {
  it('removes the shard summaries already stored when a shard fails for good (local dead letter)', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_dead');
    await processJob(shardMessage('sc_dead'), ctxOf(store));
    expect(await shardOf(store, 'sc_dead', 0)).toBeDefined();
    await jobDefinition(SHARD_JOB)!.giveUp(shardMessage('sc_dead', SHARD1), 'the run crashed (Error)', ctxOf(store));
    expect(await status(store, 'sc_dead')).toMatchObject({
      status: 'failed',
      reason: 'shard 1 failed: the run crashed (Error)',
    });
    expect(await shardOf(store, 'sc_dead', 0)).toBeUndefined();
    // the merge the failed shard held back, if it came anyway, merges nothing and completes nothing
    const merge = { kind: SHARD_MERGE_JOB, id: 'sc_dead', job: 'scenario', of: 2 };
    expect(await processJob(merge, ctxOf(store))).toEqual({ ok: true });
    expect(await status(store, 'sc_dead')).toMatchObject({ status: 'failed' });
  });

  it('removes them when the state machine marks it failed (AWS: MarkFailed), and again on a repeated call', async () => {
    const store = new MemoryStore();
    setStore(store);
    try {
      await shardedScenario(store, 'sc_sfn');
      await processJob(shardMessage('sc_sfn', SHARD1), ctxOf(store));
      expect(await shardOf(store, 'sc_sfn', 1)).toBeDefined();
      const context = { awsRequestId: 'test' } as Context;
      const event = { action: 'fail' as const, kind: 'scenario', id: 'sc_sfn', error: 'States.Timeout' };
      expect(await shardMerge(event, context)).toEqual({ ok: false });
      expect(await status(store, 'sc_sfn')).toMatchObject({ status: 'failed', reason: /timed out/ });
      expect(await shardOf(store, 'sc_sfn', 1)).toBeUndefined();
      // a shard that was still running stores its summary, finds the job failed and removes it
      expect(await processJob(shardMessage('sc_sfn'), ctxOf(store))).toEqual({ ok: true });
      expect(await shardOf(store, 'sc_sfn', 0)).toBeUndefined();
    } finally {
      setStore(undefined);
    }
  });

  it('fails a job whose execution ended without MarkFailed (EventBridge: timed out, stopped), and removes its shards', async () => {
    const store = new MemoryStore();
    setStore(store);
    try {
      const context = { awsRequestId: 'test' } as Context;
      const ended = (id: string, status: string, input?: unknown) => ({
        'detail-type': 'Step Functions Execution Status Change' as const,
        source: 'aws.states' as const,
        detail: { status, name: `scenario-${id}`, input: input === undefined ? null : JSON.stringify(input) },
      });
      const input = (id: string) => ({ kind: 'scenario', id, of: 2, shards: [SHARD0, SHARD1] });
      for (const [id, end, reason] of [
        ['sc_timeout', 'TIMED_OUT', /timed out/],
        ['sc_stopped', 'ABORTED', /was stopped/],
      ] as const) {
        await shardedScenario(store, id);
        await processJob(shardMessage(id), ctxOf(store));
        expect(await shardMerge(ended(id, end, input(id)), context)).toEqual({ ok: false });
        expect(await status(store, id)).toMatchObject({ status: 'failed', reason });
        expect(await shardOf(store, id, 0)).toBeUndefined();
      }
      // the FAILED that follows MarkFailed, or an execution whose job completed: the job is left as it is
      await shardedScenario(store, 'sc_complete');
      await store.update(KIND.scenario, 'sc_complete', { summary: { status: 'complete' } });
      expect(await shardMerge(ended('sc_complete', 'FAILED', input('sc_complete')), context)).toEqual({ ok: false });
      expect(await status(store, 'sc_complete')).toMatchObject({ status: 'complete' });
      // an event without the input (EventBridge leaves out a large one): nothing to act on, nothing thrown
      expect(await shardMerge(ended('sc_x', 'TIMED_OUT'), context)).toEqual({ ok: false });
    } finally {
      setStore(undefined);
    }
  });

  it('removes them when a merge fails for good', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_merge');
    await processJob(shardMessage('sc_merge'), ctxOf(store));
    await processJob(shardMessage('sc_merge', SHARD1), ctxOf(store));
    const merge = { kind: SHARD_MERGE_JOB, id: 'sc_merge', job: 'scenario', of: 2 };
    await jobDefinition(SHARD_MERGE_JOB)!.giveUp(merge, 'the data store was unreachable', ctxOf(store));
    expect(await status(store, 'sc_merge')).toMatchObject({ status: 'failed' });
    expect(await shardOf(store, 'sc_merge', 0)).toBeUndefined();
    expect(await shardOf(store, 'sc_merge', 1)).toBeUndefined();
  });
});

describe('a merge of shard summaries that do not fit the scenario', () => {
  it('fails the job at once, saying why, and removes the shards: a retry would read the same summaries', async () => {
    const store = new MemoryStore();
    // the scenario with the UASC grant, so each shard keeps the grant by month
    const withGrant = {
      ...SCENARIO,
      uascGrant: { rates: [{ from: '2016-04-01', dailyUnder16: 114, daily16to17: 91 }] },
    };
    await shardedScenario(store, 'sc_old', 'running', withGrant);
    await processJob(shardMessage('sc_old'), ctxOf(store));
    await processJob(shardMessage('sc_old', SHARD1), ctxOf(store));
    // shard 1's summary as an older version stored it, before the grant by month was kept
    const record = (await shardOf(store, 'sc_old', 1))!;
    const summary = (await store.readBlob<{ recorder: { money: Record<string, unknown> } }>(record, 'summary'))!;
    expect(summary.recorder.money.grantMonthly).not.toBeNull();
    delete summary.recorder.money.grantMonthly;
    await store.delete(SHARD_RECORD, record.id);
    await store.create(
      { kind: SHARD_RECORD, id: record.id, createdAt: record.createdAt, summary: record.summary as object },
      { summary },
    );
    const merge = { kind: SHARD_MERGE_JOB, id: 'sc_old', job: 'scenario', of: 2 };
    // not retried (finalAttempt is false: a retryable error would come back as { retry: true })
    expect(await processJob(merge, ctxOf(store))).toEqual({ ok: true });
    expect(await status(store, 'sc_old')).toMatchObject({
      status: 'failed',
      reason:
        'the shard summaries could not be merged: the shard summary has no UASC grant by month (a summary of an older shape, or of another scenario); run it again',
    });
    expect(await shardOf(store, 'sc_old', 0)).toBeUndefined();
    expect(await shardOf(store, 'sc_old', 1)).toBeUndefined();
  });
});

describe('a sharded job that completes', () => {
  it('merges into the one-process result and removes its shards; a late twin of a shard is dropped', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_ok');
    // in reverse order: the merge reads one summary per index whatever order they came in
    await processJob(shardMessage('sc_ok', SHARD1), ctxOf(store));
    await processJob(shardMessage('sc_ok'), ctxOf(store));
    const merge = { kind: SHARD_MERGE_JOB, id: 'sc_ok', job: 'scenario', of: 2 };
    expect(await processJob(merge, ctxOf(store))).toEqual({ ok: true });
    const record = (await store.get<ScenarioSummary>(KIND.scenario, 'sc_ok'))!;
    expect(record.summary.status).toBe('complete');
    const parsed = parseScenario(SCENARIO);
    if (!parsed.ok) throw new Error('invalid');
    const whole = simulate(parsed.value, { collectRunTotals: true });
    expect(await store.readBlob(record, 'runTotals')).toEqual(whole.runTotals);
    const stored = (await store.readBlob<typeof whole>(record, 'result'))!;
    expect(stored.population).toEqual(whole.population);
    for (const i of [0, 1]) expect(await shardOf(store, 'sc_ok', i)).toBeUndefined();
    // a second delivery of a shard and of the merge: dropped, nothing stored, the result as it was
    const before = record.updatedAt;
    expect(await processJob(shardMessage('sc_ok'), ctxOf(store))).toEqual({ ok: true });
    expect(await processJob(merge, ctxOf(store))).toEqual({ ok: true });
    expect(await shardOf(store, 'sc_ok', 0)).toBeUndefined();
    expect((await store.get(KIND.scenario, 'sc_ok'))!.updatedAt).toBe(before);
  });
});

describe('a shard stopped by a host that will resume its job', () => {
  it('fails nothing, stores nothing, and puts the job back in the queue without spending an attempt', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_stop');
    let stop = false;
    // the host's stop arrives while the shard's runs are under way (after its first progress report)
    const ctx = ctxOf(store, {
      progress: () => {
        stop = true;
      },
      shouldCancel: () => stop,
      cancelReason: () => 'interrupted: the local service was stopped',
      suspending: () => stop,
    });
    const outcome = await processJob(shardMessage('sc_stop'), ctx);
    expect(outcome).toEqual({
      ok: false,
      retry: false,
      reason: 'interrupted: the local service was stopped',
      suspended: true,
    });
    expect(await shardOf(store, 'sc_stop', 0)).toBeUndefined();
    expect(await status(store, 'sc_stop')).toMatchObject({ status: 'running', attempts: 1 });
    await suspendJob(store, shardMessage('sc_stop'), 1);
    expect(await status(store, 'sc_stop')).toMatchObject({ status: 'queued', progress: 0, attempts: 1 });
    // the same stop without a resume to follow (a Lambda out of time) is an interruption: the job is failed
    await shardedScenario(store, 'sc_timeout');
    stop = false;
    const timedOut = await processJob(shardMessage('sc_timeout'), { ...ctx, suspending: () => false });
    expect(timedOut).toMatchObject({ ok: false, retry: false });
    expect(await status(store, 'sc_timeout')).toMatchObject({
      status: 'failed',
      reason: /^shard 0 failed: interrupted/,
    });
  });

  it('puts a job run whole back in the queue at the attempt it was on', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_whole');
    await store.update(KIND.scenario, 'sc_whole', { summary: { attempts: 2, progress: 40 } });
    await suspendJob(store, { kind: 'scenario', id: 'sc_whole' }, 2);
    // recovery queues it again with receive count attempts + 1 = 2: the stop was not an attempt
    expect(await status(store, 'sc_whole')).toMatchObject({ status: 'queued', progress: 0, attempts: 1 });
    // a job no longer running (finished meanwhile) is left as it is
    await store.update(KIND.scenario, 'sc_whole', { summary: { status: 'complete', progress: 100 } });
    await suspendJob(store, { kind: 'scenario', id: 'sc_whole' }, 1);
    expect(await status(store, 'sc_whole')).toMatchObject({ status: 'complete', progress: 100, attempts: 1 });
  });
});

describe('the progress of a sharded job', () => {
  it('comes from shard 0, or on a resumed job from the first shard whose earlier shards are stored', async () => {
    const store = new MemoryStore();
    await shardedScenario(store, 'sc_progress');
    const reported = async (shard: typeof SHARD0) => {
      const seen: number[] = [];
      await processJob(shardMessage('sc_progress', shard), ctxOf(store, { progress: (p) => seen.push(p) }));
      return seen;
    };
    // shard 1 while shard 0 is still to run: silent
    expect(await reported(SHARD1)).toEqual([]);
    await store.delete(SHARD_RECORD, shardRecordId('scenario', 'sc_progress', 1));
    // shard 0 reports, up to 99 (the merge completes the job)
    const first = await reported(SHARD0);
    expect(first.length).toBeGreaterThan(5);
    expect(first.at(-1)).toBe(99);
    // resumed with shard 0 stored: shard 1 reports
    expect((await reported(SHARD1)).at(-1)).toBe(99);
  });
});
