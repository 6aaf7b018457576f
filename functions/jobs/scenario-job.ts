/** The "scenario" job kind: run one queued scenario through the engine and store its result. */
import { parseScenario } from '#models/scenario';
import type { ForecastResult } from '#models/result';
import { KIND, describeIssues, type ScenarioSummary } from '#functions/store/records';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';
import { EngineFailed, runEngine } from './engine-steps.js';

export const SCENARIO_JOB = 'scenario';

async function fail(ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> {
  await ctx.store.update<ScenarioSummary>(
    KIND.scenario,
    id,
    { summary: { status: 'failed', reason, completedAt: ctx.now().toISOString() } },
    { expectStatus: ['queued', 'running'] },
  );
}

registerJob(SCENARIO_JOB, {
  async run(message, ctx) {
    const { store } = ctx;
    const record = await store.get<ScenarioSummary>(KIND.scenario, message.id);
    // deleted meanwhile, or a duplicate delivery of a finished run: nothing to do
    if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
    const startedAt = ctx.now().toISOString();
    const claimed = await store.update<ScenarioSummary>(
      KIND.scenario,
      message.id,
      { summary: { status: 'running', progress: 0, startedAt, heartbeatAt: startedAt, attempts: ctx.receiveCount } },
      { expectStatus: ['queued', 'running'] },
    );
    if (!claimed) return;
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
    const done = await store.update<ScenarioSummary>(
      KIND.scenario,
      message.id,
      {
        summary: { status: 'complete', progress: 100, completedAt: ctx.now().toISOString(), elapsedMs: result.elapsedMs },
        blobs: { result: summaryResult, ...(runTotals ? { runTotals } : {}) },
      },
      { expectStatus: ['running'] },
    );
    ctx.logger.info('scenario run finished', { id: message.id, stored: done, runs: result.runs, elapsedMs: result.elapsedMs });
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await ctx.store.update<ScenarioSummary>(
      KIND.scenario,
      message.id,
      { summary: { progress: Math.min(99, Math.max(0, Math.floor(percent))), heartbeatAt: ctx.now().toISOString() } },
      { expectStatus: ['running'] },
    );
  },
});
