/**
 * The "regional-forecast" job kind: run one queued regional forecast (every member council simulated together, run
 * by run) and store its result. The stored `region` blob is the request with every council's scenario whole; it is
 * validated again here, as a scenario job validates its scenario.
 */
import { resolveRegion } from '#models/region/resolve';
import type { RegionalForecastResult } from '#models/region/result';
import { parseRegionalForecast } from '#models/region/schema';
import { createRegionalSimulation } from '#models/region/simulate';
import { JOB, KIND } from '#functions/records/kinds';
import type { RegionalForecastSummary } from '#functions/records/regional-forecast';
import { describeIssues } from '#functions/records/status';
import { EngineFailed, runStepped } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { type JobContext, JobInterrupted, registerJob } from './registry.js';

const fail = (ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.regionalForecast, id, reason);

registerJob(JOB.regionalForecast, {
  async run(message, ctx) {
    const { store } = ctx;
    const record = await store.get<RegionalForecastSummary>(KIND.regionalForecast, message.id);
    if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
    if (!(await lifecycle.claim(ctx, KIND.regionalForecast, message.id, { attempts: ctx.receiveCount }))) return;
    const parsed = parseRegionalForecast(await store.readBlob(record, 'region'));
    const resolved = parsed.ok ? resolveRegion(parsed.value) : parsed;
    if (!resolved.ok) {
      await fail(ctx, message.id, `invalid region: ${describeIssues(resolved.issues)}`);
      return;
    }
    const region = resolved.value;
    let result: RegionalForecastResult;
    try {
      result = await runStepped(
        region.runs,
        () =>
          createRegionalSimulation(region, {
            collectRunTotals: true,
            onProgress: (done, runs) => ctx.progress(Math.floor((100 * done) / Math.max(1, runs))),
            shouldCancel: () => ctx.shouldCancel(),
          }),
        ctx,
      );
    } catch (e) {
      if (!(e instanceof EngineFailed)) throw e;
      if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
      await fail(ctx, message.id, `the engine could not run this region: ${e.message.slice(0, 300)}`);
      return;
    }
    if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
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
      message.id,
      { result: { ...rest, councils }, ...(runTotals ? { runTotals } : {}) },
      { elapsedMs: result.elapsedMs },
    );
    ctx.logger.info('regional forecast finished', {
      id: message.id,
      stored: done,
      councils: region.councils.length,
      runs: result.runs,
      elapsedMs: result.elapsedMs,
    });
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.regionalForecast, message.id, percent);
  },
});
