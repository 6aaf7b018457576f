/**
 * The "comparison-variant" job kind: run one variant of a comparison with the base's seed (common random numbers),
 * keep its compact outcome, and — when it is the last variant to finish — pair all variants with the base and complete
 * the comparison. The last finisher always sees every other variant's result: each variant writes its own record
 * before it reads the others, and reads are strongly consistent; two finishing together both compute the same summary
 * and the conditional update lets only one write it.
 */
import { EngineFailed, runEngine } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { outcomeOf, summariseComparison, type VariantOutcome } from '#models/compare';
import { parseScenario, type Scenario } from '#models/scenario';
import { mergeShards, simulateShard, type ShardSummary } from '#models/engine';
import type { ForecastResult } from '#models/result';
import { describeIssues } from '#functions/records/status';
import { JOB, KIND } from '#functions/records/kinds';
import type { JobMessage } from '#functions/queue/queue';
import { type ComparisonRecordSummary, type VariantRecordSummary, variantId } from '#functions/records/comparison';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';
import { registerShardedKind } from './shards.js';

interface VariantMessage extends JobMessage {
  comparisonId: string;
  index: number;
}

async function failVariant(ctx: JobContext, m: VariantMessage, reason: string): Promise<void> {
  await lifecycle.fail(ctx, KIND.variant, m.id, reason);
  // one failed variant leaves nothing to pair against: the comparison fails with the variant's reason
  await lifecycle.fail(ctx, KIND.comparison, m.comparisonId, `variant ${m.index} failed: ${reason}`);
}

/** Complete the comparison if every variant is done. */
export async function finishComparison(ctx: JobContext, comparisonId: string): Promise<void> {
  const { store } = ctx;
  const cmp = await store.get<ComparisonRecordSummary>(KIND.comparison, comparisonId);
  if (!cmp || cmp.summary.status === 'complete' || cmp.summary.status === 'failed') return;
  const records = await Promise.all(
    cmp.summary.variants.map((_, i) => store.get<VariantRecordSummary>(KIND.variant, variantId(comparisonId, i))),
  );
  if (records.some((r) => !r || r.summary.status !== 'complete')) return;
  const outcomes = await Promise.all(records.map((r) => store.readBlob<VariantOutcome>(r!, 'outcome')));
  if (outcomes.some((o) => o === undefined)) throw new Error('a complete variant has no outcome');
  const summary = summariseComparison(outcomes as VariantOutcome[]);
  const done = await store.update<ComparisonRecordSummary>(
    KIND.comparison,
    comparisonId,
    { summary: { status: 'complete', completedAt: ctx.now().toISOString() }, blobs: { summary } },
    { expectStatus: ['queued', 'running'] },
  );
  ctx.logger.info('comparison complete', { id: comparisonId, variants: outcomes.length, stored: done });
}

registerJob(JOB.variant, {
  async run(message, ctx) {
    const m = message as VariantMessage;
    const { store } = ctx;
    const record = await store.get<VariantRecordSummary>(KIND.variant, m.id);
    if (!record || record.summary.status === 'failed') return;
    if (record.summary.status === 'complete') {
      // a redelivery after the outcome was stored but before the comparison was finished
      await finishComparison(ctx, m.comparisonId);
      return;
    }
    if (!(await lifecycle.claim(ctx, KIND.variant, m.id, { attempts: ctx.receiveCount }))) return;
    await store.update<ComparisonRecordSummary>(
      KIND.comparison,
      m.comparisonId,
      { summary: { status: 'running' } },
      { expectStatus: ['queued'] },
    );
    const parsed = parseScenario(await store.readBlob(record, 'scenario'));
    if (!parsed.ok) {
      await failVariant(ctx, m, `invalid scenario: ${describeIssues(parsed.issues)}`);
      return;
    }
    let outcome: VariantOutcome;
    try {
      const result = await runEngine(
        parsed.value,
        {
          collectRunTotals: true,
          onProgress: (done, runs) => ctx.progress(Math.floor((100 * done) / Math.max(1, runs))),
          shouldCancel: () => ctx.shouldCancel(),
        },
        ctx,
      );
      const s = record.summary;
      outcome = outcomeOf(
        {
          name: s.name,
          isBase: s.index === 0,
          ...(s.path !== undefined ? { path: s.path } : {}),
          ...(s.value !== undefined ? { value: s.value } : {}),
        },
        result,
      );
    } catch (e) {
      if (!(e instanceof EngineFailed)) throw e; // the store, while recording progress: a retry may cure it
      if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
      await failVariant(ctx, m, `the engine could not run this variant: ${e.message.slice(0, 300)}`);
      return;
    }
    if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
    await lifecycle.complete(ctx, KIND.variant, m.id, { outcome });
    await finishComparison(ctx, m.comparisonId);
  },
  async giveUp(message, reason, ctx) {
    await failVariant(ctx, message as VariantMessage, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.variant, message.id, percent);
  },
});

// A large variant runs in shards (functions/jobs/shards.ts): the same claim, engine, outcome and pairing, by runs.
interface VariantInput {
  scenario: Scenario;
  summary: VariantRecordSummary;
}

async function failVariantById(ctx: Pick<JobContext, 'store' | 'now'>, id: string, reason: string): Promise<void> {
  const record = await ctx.store.get<VariantRecordSummary>(KIND.variant, id);
  await lifecycle.fail(ctx, KIND.variant, id, reason);
  if (record)
    await lifecycle.fail(
      ctx,
      KIND.comparison,
      record.summary.comparisonId,
      `variant ${record.summary.index} failed: ${reason}`,
    );
}

registerShardedKind<VariantInput, { input: VariantInput; result: ForecastResult }>(JOB.variant, {
  async load(ctx, id) {
    const { store } = ctx;
    const record = await store.get<VariantRecordSummary>(KIND.variant, id);
    if (!record || record.summary.status === 'failed' || record.summary.status === 'complete') return undefined;
    if (record.summary.status === 'queued') {
      if (!(await lifecycle.claim(ctx, KIND.variant, id, { attempts: ctx.receiveCount }))) return undefined;
      await store.update<ComparisonRecordSummary>(
        KIND.comparison,
        record.summary.comparisonId,
        { summary: { status: 'running' } },
        { expectStatus: ['queued'] },
      );
    }
    const parsed = parseScenario(await store.readBlob(record, 'scenario'));
    if (!parsed.ok) {
      await failVariantById(ctx, id, `invalid scenario: ${describeIssues(parsed.issues)}`);
      return undefined;
    }
    return { scenario: parsed.value, summary: record.summary };
  },
  runShard: (input, shard, ctx, onProgress) =>
    simulateShard(input.scenario, shard, {
      collectRunTotals: true,
      onProgress,
      shouldCancel: () => ctx.shouldCancel(),
    }),
  merge: (input, summaries) => ({
    input,
    result: mergeShards(input.scenario, summaries as ShardSummary[], { collectRunTotals: true }),
  }),
  async complete(ctx, id, { input, result }) {
    const s = input.summary;
    const outcome = outcomeOf(
      {
        name: s.name,
        isBase: s.index === 0,
        ...(s.path !== undefined ? { path: s.path } : {}),
        ...(s.value !== undefined ? { value: s.value } : {}),
      },
      result,
    );
    await lifecycle.complete(ctx, KIND.variant, id, { outcome });
    await finishComparison(ctx, s.comparisonId);
  },
  fail: failVariantById,
  reportProgress: (ctx, id, percent) => lifecycle.recordProgress(ctx, KIND.variant, id, percent),
});
