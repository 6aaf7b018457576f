/**
 * The "target" job kind: goal seeking. One job tries the values in turn (bisection needs each answer before the
 * next question), every one with the base's seed so the curve is as monotone as the model.
 */
import { EngineFailed, runEngine, runStepped } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { goalMetric, goalSeekAsync, GoalNotMeasurable, maxEvaluations, type TargetSpec } from '#models/goalseek';
import { applyRegionalOverrides, type RegionalInputs, regionAsForecast } from '#models/region/compare';
import { parseRegionalForecast } from '#models/region/schema';
import { createRegionalSimulation } from '#models/region/simulate';
import { parseScenario, setPath, type Scenario } from '#models/scenario';
import type { SimulateOptions } from '#models/engine';
import { describeIssues } from '#functions/records/status';
import { JOB, KIND } from '#functions/records/kinds';
import type { TargetRecordSummary } from '#functions/records/target';
import type { ForecastResult } from '#models/result';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';

const fail = (ctx: JobContext, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.target, id, reason);

/** Why a value cannot be tried: the scenario it makes is invalid (e.g. a negative recruitment). Not retryable. */
class InvalidValue extends Error {}

registerJob(JOB.target, {
  async run(message, ctx) {
    const { store } = ctx;
    const record = await store.get<TargetRecordSummary>(KIND.target, message.id);
    if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
    if (!(await lifecycle.claim(ctx, KIND.target, message.id, { attempts: ctx.receiveCount }))) return;
    const regional = record.summary.regional !== undefined;
    const [rawBase, spec] = await Promise.all([
      store.readBlob(record, regional ? 'region' : 'scenario'),
      store.readBlob<TargetSpec>(record, 'spec'),
    ]);
    // the forecast of one value: a council's scenario, or (a regional base) the region's totals
    let forecastAt: (value: number, options: SimulateOptions) => Promise<ForecastResult>;
    if (regional) {
      const parsed = parseRegionalForecast(rawBase);
      if (!parsed.ok || !spec) {
        await fail(
          ctx,
          message.id,
          parsed.ok ? 'the target has no search' : `invalid region: ${describeIssues(parsed.issues)}`,
        );
        return;
      }
      const inputs: RegionalInputs = parsed.value;
      forecastAt = async (value, options) => {
        const v = applyRegionalOverrides(inputs, setPath({}, spec.search.path, value), 'search');
        if (!v.ok)
          throw new InvalidValue(`${spec.search.path} = ${value} makes an invalid region: ${describeIssues(v.issues)}`);
        const region = v.value.region;
        return regionAsForecast(await runStepped(region.runs, () => createRegionalSimulation(region, options), ctx));
      };
    } else {
      const parsed = parseScenario(rawBase);
      if (!parsed.ok || !spec) {
        await fail(
          ctx,
          message.id,
          parsed.ok ? 'the target has no search' : `invalid scenario: ${describeIssues(parsed.issues)}`,
        );
        return;
      }
      const base: Scenario = parsed.value;
      forecastAt = (value, options) => {
        const v = parseScenario(setPath(base, spec.search.path, value));
        if (!v.ok)
          throw new InvalidValue(
            `${spec.search.path} = ${value} makes an invalid scenario: ${describeIssues(v.issues)}`,
          );
        return runEngine(v.value, options, ctx);
      };
    }
    const most = maxEvaluations(spec);
    let tried = 0;
    const evaluate = async (value: number): Promise<number> => {
      const result = await forecastAt(value, {
        collectRunTotals: true,
        onProgress: (done, runs) =>
          ctx.progress(Math.min(99, Math.floor((100 * (tried + done / Math.max(1, runs))) / most))),
        shouldCancel: () => ctx.shouldCancel(),
      });
      tried++;
      return goalMetric(result, spec.goal);
    };
    let answer;
    try {
      answer = await goalSeekAsync(spec.search, spec.goal.atMost, evaluate);
    } catch (e) {
      if (!(e instanceof EngineFailed || e instanceof InvalidValue || e instanceof GoalNotMeasurable)) throw e; // the store: retry
      if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
      const known = e instanceof InvalidValue || e instanceof GoalNotMeasurable;
      await fail(
        ctx,
        message.id,
        known
          ? (e as Error).message
          : `the engine could not run this search: ${String((e as Error)?.message ?? e).slice(0, 300)}`,
      );
      return;
    }
    if (ctx.shouldCancel()) throw new JobInterrupted(ctx.cancelReason());
    await lifecycle.complete(ctx, KIND.target, message.id, { answer });
    ctx.logger.info('target search finished', {
      id: message.id,
      evaluations: answer.curve.length,
      reachable: answer.reachable,
    });
  },
  async giveUp(message, reason, ctx) {
    await fail(ctx, message.id, reason);
  },
  async reportProgress(message, percent, ctx) {
    await lifecycle.recordProgress(ctx, KIND.target, message.id, percent);
  },
});
