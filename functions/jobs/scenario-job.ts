/** The "scenario" job kind: run one queued scenario through the engine and store its result. */
import { parseScenario, type Scenario } from '#models/scenario';
import type { ForecastResult } from '#models/result';
import { JOB, KIND } from '#functions/records/kinds';
import type { ScenarioSummary } from '#functions/records/scenario';
import { describeIssues } from '#functions/records/status';
import { registerJob, type JobContext } from './registry.js';
import { jobEngineOptions, recordIsLive, runEngine, runForJob, watchJob } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { registerShardedKind } from './shards.js';
import { createShardSimulation, mergeShards, type ShardSummary } from '#models/engine';

const fail = (ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.scenario, id, reason);

/**
 * The scenario of a queued or running job, claimed (queued → running); undefined when there is nothing to run: the
 * record is gone or finished (a duplicate delivery), or its scenario is invalid (then it is failed here).
 * `reclaim: false` leaves a running record as it is (the shards of one job: only the first claims it).
 */
export async function claimScenario(ctx: JobContext, id: string, reclaim = true): Promise<Scenario | undefined> {
  const { store } = ctx;
  const record = await store.get<ScenarioSummary>(KIND.scenario, id);
  // deleted meanwhile, or a duplicate delivery of a finished run: nothing to do
  if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return undefined;
  if (reclaim || record.summary.status === 'queued')
    if (!(await lifecycle.claim(ctx, KIND.scenario, id, { attempts: ctx.receiveCount }))) return undefined;
  const parsed = parseScenario(await store.readBlob(record, 'scenario'));
  if (!parsed.ok) {
    await fail(ctx, id, `invalid scenario: ${describeIssues(parsed.issues)}`);
    return undefined;
  }
  return parsed.value;
}

/** Store a scenario's result and complete it (whether it ran whole or in shards). */
export async function completeScenario(ctx: JobContext, id: string, result: ForecastResult): Promise<void> {
  // Per-run totals are the bulk of a result (runs × series); kept apart so that reading the summary stays cheap.
  const { runTotals, ...summaryResult } = result;
  const done = await lifecycle.complete(
    ctx,
    KIND.scenario,
    id,
    { result: summaryResult, ...(runTotals ? { runTotals } : {}) },
    { elapsedMs: result.elapsedMs },
  );
  ctx.logger.info('scenario run finished', { id, stored: done, runs: result.runs, elapsedMs: result.elapsedMs });
}

registerJob(JOB.scenario, {
  async run(message, ctx) {
    const scenario = await claimScenario(ctx, message.id);
    if (!scenario) return;
    // a scenario deleted while it runs stops at the engine's next step
    const watch = watchJob(ctx, () => recordIsLive(ctx.store, KIND.scenario, message.id));
    let result: ForecastResult | undefined;
    try {
      result = await runForJob(
        () =>
          runEngine(
            scenario,
            // per-run totals let two scenarios run with the same seed be paired run by run later (common random numbers)
            { collectRunTotals: true, ...jobEngineOptions(watch.ctx) },
            watch.ctx,
          ),
        watch.ctx,
        'this scenario',
        (reason) => fail(ctx, message.id, reason),
      );
    } catch (e) {
      if (!watch.ended()) throw e;
      ctx.logger.info('run of a deleted or finished scenario stopped', { id: message.id });
      return;
    }
    if (!result) return;
    await completeScenario(ctx, message.id, result);
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.scenario, message.id, percent);
  },
});

// A large scenario runs in shards (functions/jobs/shards.ts): the same claim, engine and completion, split by runs.
registerShardedKind<Scenario, ForecastResult>(JOB.scenario, {
  record: KIND.scenario,
  load: (ctx, id) => claimScenario(ctx, id, false),
  runShard: (scenario, shard, ctx, onProgress) =>
    createShardSimulation(scenario, shard, {
      collectRunTotals: true,
      onProgress,
      shouldCancel: () => ctx.shouldCancel(),
    }),
  merge: (scenario, summaries) => mergeShards(scenario, summaries as ShardSummary[], { collectRunTotals: true }),
  complete: completeScenario,
  fail,
  reportProgress: (ctx, id, percent) => lifecycle.recordProgress(ctx, KIND.scenario, id, percent),
});
