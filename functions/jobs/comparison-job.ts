/**
 * The "comparison-variant" job kind: run one variant of a comparison with the base's seed (common random numbers),
 * keep its compact outcome, and — when it is the last variant to finish — pair all variants with the base and complete
 * the comparison. The last finisher always sees every other variant's result: each variant writes its own record
 * before it reads the others, and reads are strongly consistent; two finishing together both compute the same summary
 * and the conditional update lets only one write it.
 */
import { EngineFailed, runEngine, runStepped } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { outcomeOf, summariseComparison, type VariantOutcome } from '#models/compare';
import { parseScenario, type Scenario } from '#models/scenario';
import { createShardSimulation, mergeShards, type ShardSummary } from '#models/engine';
import type { ForecastResult } from '#models/result';
import {
  applyRegionalOverrides,
  type RegionalVariantOutcome,
  regionalOutcomeOf,
  summariseRegionalComparison,
} from '#models/region/compare';
import type { RegionalForecastResult } from '#models/region/result';
import { parseRegionalForecast } from '#models/region/schema';
import { createRegionShardSimulation, mergeRegionShards, type RegionShardSummary } from '#models/region/shards';
import { createRegionalSimulation, type RegionalScenario } from '#models/region/simulate';
import { describeIssues } from '#functions/records/status';
import type { StoredRecord, Store } from '#functions/store/store';
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
  const summary = cmp.summary.regional
    ? summariseRegionalComparison(outcomes as RegionalVariantOutcome[])
    : summariseComparison(outcomes as VariantOutcome[]);
  const done = await store.update<ComparisonRecordSummary>(
    KIND.comparison,
    comparisonId,
    { summary: { status: 'complete', completedAt: ctx.now().toISOString() }, blobs: { summary } },
    { expectStatus: ['queued', 'running'] },
  );
  ctx.logger.info('comparison complete', { id: comparisonId, variants: outcomes.length, stored: done });
}

/** What a variant runs: a council's scenario, or (a regional base) a region; a string when its blob is invalid. */
type VariantWork = { scenario: Scenario; region?: undefined } | { region: RegionalScenario; scenario?: undefined };

async function loadVariant(store: Store, record: StoredRecord<VariantRecordSummary>): Promise<VariantWork | string> {
  if (record.summary.regional) {
    // a regional variant is stored as its overrides of the comparison's base, applied as when it was planned
    const cmp = await store.get<ComparisonRecordSummary>(KIND.comparison, record.summary.comparisonId);
    if (!cmp) return 'its comparison is gone';
    const [base, overrides] = await Promise.all([
      store.readBlob(cmp, 'base'),
      store.readBlob<Record<string, unknown>>(record, 'overrides'),
    ]);
    const parsed = parseRegionalForecast(base);
    if (!parsed.ok) return `invalid regional base: ${describeIssues(parsed.issues)}`;
    const applied = applyRegionalOverrides(parsed.value, overrides ?? {}, `variants.${record.summary.index}`);
    return applied.ok ? { region: applied.value.region } : `invalid region: ${describeIssues(applied.issues)}`;
  }
  const parsed = parseScenario(await store.readBlob(record, 'scenario'));
  return parsed.ok ? { scenario: parsed.value } : `invalid scenario: ${describeIssues(parsed.issues)}`;
}

/** The variant's outcome from its result (a council's forecast or a region's). */
function variantOutcome(
  s: VariantRecordSummary,
  result: { forecast: ForecastResult; region?: undefined } | { region: RegionalForecastResult; forecast?: undefined },
): VariantOutcome {
  const plan = {
    name: s.name,
    isBase: s.index === 0,
    ...(s.path !== undefined ? { path: s.path } : {}),
    ...(s.value !== undefined ? { value: s.value } : {}),
  };
  return result.region ? regionalOutcomeOf(plan, result.region) : outcomeOf(plan, result.forecast!);
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
    const work = await loadVariant(store, record);
    if (typeof work === 'string') {
      await failVariant(ctx, m, work);
      return;
    }
    let outcome: VariantOutcome;
    try {
      const options = {
        collectRunTotals: true,
        onProgress: (done: number, runs: number) => ctx.progress(Math.floor((100 * done) / Math.max(1, runs))),
        shouldCancel: () => ctx.shouldCancel(),
      };
      const region = work.region;
      outcome = region
        ? variantOutcome(record.summary, {
            region: await runStepped(region.runs, () => createRegionalSimulation(region, options), ctx),
          })
        : variantOutcome(record.summary, { forecast: await runEngine(work.scenario, options, ctx) });
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
type VariantInput = VariantWork & { summary: VariantRecordSummary };
type VariantResult =
  | { input: VariantInput; forecast: ForecastResult; region?: undefined }
  | { input: VariantInput; region: RegionalForecastResult; forecast?: undefined };

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

registerShardedKind<VariantInput, VariantResult>(JOB.variant, {
  record: KIND.variant,
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
    const work = await loadVariant(store, record);
    if (typeof work === 'string') {
      await failVariantById(ctx, id, work);
      return undefined;
    }
    return { ...work, summary: record.summary };
  },
  runShard: (input, shard, ctx, onProgress) => {
    const options = { collectRunTotals: true, onProgress, shouldCancel: () => ctx.shouldCancel() };
    return input.region
      ? createRegionShardSimulation(input.region, shard, options)
      : createShardSimulation(input.scenario!, shard, options);
  },
  merge: (input, summaries): VariantResult =>
    input.region
      ? {
          input,
          region: mergeRegionShards(input.region, summaries as RegionShardSummary[], { collectRunTotals: true }),
        }
      : {
          input,
          forecast: mergeShards(input.scenario!, summaries as ShardSummary[], { collectRunTotals: true }),
        },
  async complete(ctx, id, result) {
    const s = result.input.summary;
    const outcome = variantOutcome(s, result.region ? { region: result.region } : { forecast: result.forecast! });
    await lifecycle.complete(ctx, KIND.variant, id, { outcome });
    await finishComparison(ctx, s.comparisonId);
  },
  fail: failVariantById,
  reportProgress: (ctx, id, percent) => lifecycle.recordProgress(ctx, KIND.variant, id, percent),
});
