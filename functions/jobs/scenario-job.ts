/** The "scenario" job kind: run one queued scenario through the engine and store its result. */
import { parseScenario } from '#models/scenario';
import type { ForecastResult } from '#models/result';
import { JOB, KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { describeIssues } from '#functions/records/status';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';
import { EngineFailed, runEngine } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';

const fail = (ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.scenario, id, reason);

registerJob(JOB.scenario, {
  async run(message, ctx) {
    const { store } = ctx;
    const record = await store.get<ScenarioSummary>(KIND.scenario, message.id);
    // deleted meanwhile, or a duplicate delivery of a finished run: nothing to do
    if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
    if (!(await lifecycle.claim(ctx, KIND.scenario, message.id, { attempts: ctx.receiveCount }))) return;
    const parsed = parseScenario(await store.readBlob(record, 'scenario'));
    if (!parsed.ok) {
      await fail(ctx, message.id, `invalid scenario: ${describeIssues(parsed.issues)}`);
      return;
    }
    let result: ForecastResult;
    try {
      result = await runEngine(
        parsed.value,
        {
          // per-run totals let two scenarios run with the same seed be paired run by run later (common random numbers)
          collectRunTotals: true,
          onProgress: (done, runs) => ctx.progress(Math.floor((100 * done) / Math.max(1, runs))),
          shouldCancel: () => ctx.shouldCancel(),
        },
        ctx,
      );
    } catch (e) {
      if (!(e instanceof EngineFailed)) throw e; // the store, while recording progress: a retry may cure it
      if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
      // the engine refuses what it cannot model: a property of the input, so no retry
      await fail(ctx, message.id, `the engine could not run this scenario: ${e.message.slice(0, 300)}`);
      return;
    }
    if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
    // Per-run totals are the bulk of a result (runs × series); kept apart so that reading the summary stays cheap.
    const { runTotals, ...summaryResult } = result;
    const done = await lifecycle.complete(
      ctx,
      KIND.scenario,
      message.id,
      { result: summaryResult, ...(runTotals ? { runTotals } : {}) },
      { elapsedMs: result.elapsedMs },
    );
    ctx.logger.info('scenario run finished', {
      id: message.id,
      stored: done,
      runs: result.runs,
      elapsedMs: result.elapsedMs,
    });
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.scenario, message.id, percent);
  },
});
