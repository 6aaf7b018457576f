/**
 * The "regional-forecast" job kind: run one queued regional forecast (every member council simulated together, run
 * by run) and store its result — whole, or, when it is large (the message's size: functions/jobs/dispatch.ts), in
 * shards of runs that are merged into the same result (functions/jobs/shards.ts, models/region/shards.ts). The stored
 * `region` blob is the request with every council's scenario whole; it is validated again here, as a scenario job
 * validates its scenario.
 */
import { resolveRegion } from '#models/region/resolve';
import type { RegionalForecastResult } from '#models/region/result';
import { parseRegionalForecast } from '#models/region/schema';
import { createRegionShardSimulation, mergeRegionShards, type RegionShardSummary } from '#models/region/shards';
import { createRegionalSimulation, type RegionalScenario } from '#models/region/simulate';
import { JOB, KIND } from '#functions/records/kinds';
import type { RegionalForecastSummary } from '#functions/records/regional-forecast';
import { describeIssues } from '#functions/records/status';
import { jobEngineOptions, runForJob, runStepped } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { type JobContext, registerJob } from './registry.js';
import { registerShardedKind } from './shards.js';

const fail = (ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.regionalForecast, id, reason);

/**
 * The region of a queued or running job, claimed (queued → running); undefined when there is nothing to run (gone,
 * finished, or invalid — then failed here). `reclaim: false` leaves a running record as it is (a sharded job's shards).
 */
async function claimRegion(ctx: JobContext, id: string, reclaim = true): Promise<RegionalScenario | undefined> {
  const { store } = ctx;
  const record = await store.get<RegionalForecastSummary>(KIND.regionalForecast, id);
  if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return undefined;
  if (reclaim || record.summary.status === 'queued')
    if (!(await lifecycle.claim(ctx, KIND.regionalForecast, id, { attempts: ctx.receiveCount }))) return undefined;
  const parsed = parseRegionalForecast(await store.readBlob(record, 'region'));
  const resolved = parsed.ok ? resolveRegion(parsed.value) : parsed;
  if (!resolved.ok) {
    await fail(ctx, id, `invalid region: ${describeIssues(resolved.issues)}`);
    return undefined;
  }
  return resolved.value;
}

/** Store a region's result and complete it (whether it ran whole or in shards). */
async function completeRegion(ctx: JobContext, id: string, result: RegionalForecastResult): Promise<void> {
  // the councils' per-run totals are left out (they are for pairing a council's own variants); the region's are kept
  const { runTotals, ...rest } = result;
  const councils = Object.fromEntries(
    Object.entries(rest.councils).map(([code, r]) => {
      const { runTotals: _r, ...council } = r;
      return [code, council];
    }),
  );
  const done = await lifecycle.complete(
    ctx,
    KIND.regionalForecast,
    id,
    { result: { ...rest, councils }, ...(runTotals ? { runTotals } : {}) },
    { elapsedMs: result.elapsedMs },
  );
  ctx.logger.info('regional forecast finished', {
    id,
    stored: done,
    councils: Object.keys(councils).length,
    runs: result.runs,
    elapsedMs: result.elapsedMs,
  });
}

registerJob(JOB.regionalForecast, {
  async run(message, ctx) {
    const region = await claimRegion(ctx, message.id);
    if (!region) return;
    const result = await runForJob(
      () =>
        runStepped(
          region.runs,
          () => createRegionalSimulation(region, { collectRunTotals: true, ...jobEngineOptions(ctx) }),
          ctx,
        ),
      ctx,
      'this region',
      (reason) => fail(ctx, message.id, reason),
    );
    if (!result) return;
    await completeRegion(ctx, message.id, result);
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.regionalForecast, message.id, percent);
  },
});

// A large region runs in shards of runs (never of councils: they are coupled within a run), merged into one result.
registerShardedKind<RegionalScenario, RegionalForecastResult>(JOB.regionalForecast, {
  record: KIND.regionalForecast,
  load: (ctx, id) => claimRegion(ctx, id, false),
  runShard: (region, shard, ctx, onProgress) =>
    createRegionShardSimulation(region, shard, {
      collectRunTotals: true,
      onProgress,
      shouldCancel: () => ctx.shouldCancel(),
    }),
  merge: (region, summaries) =>
    mergeRegionShards(region, summaries as RegionShardSummary[], { collectRunTotals: true }),
  complete: completeRegion,
  fail,
  reportProgress: (ctx, id, percent) => lifecycle.recordProgress(ctx, KIND.regionalForecast, id, percent),
});
