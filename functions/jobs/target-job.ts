/**
 * The "target" job kind: goal seeking. One job tries the values in turn (bisection needs each answer before the
 * next question), every one with the base's seed so the curve is as monotone as the model.
 */
import { EngineFailed, runEngine } from './engine-steps.js';
import * as lifecycle from './lifecycle.js';
import { defaultStep, goalMetric, goalSeekAsync, GoalNotMeasurable, type TargetSpec } from '#models/goalseek';
import { parseScenario, setPath, type Scenario } from '#models/scenario';
import { describeIssues } from '#functions/records/status';
import { JOB, KIND } from '#functions/records/kinds';
import type { TargetRecordSummary } from '#functions/records/target';
import { JobInterrupted, registerJob, type JobContext } from './registry.js';

const fail = (ctx: JobContext, id: string, reason: string): Promise<void> =>
  lifecycle.fail(ctx, KIND.target, id, reason);

/** Why a value cannot be tried: the scenario it makes is invalid (e.g. a negative recruitment). Not retryable. */
class InvalidValue extends Error {}

/** The most values goalSeek can try: 5 coarse points, then bisection inside a quarter of the range. */
export function maxEvaluations(spec: TargetSpec): number {
  const steps = Math.ceil((spec.search.max - spec.search.min) / defaultStep(spec.search));
  return 5 + Math.ceil(Math.log2(Math.max(2, Math.ceil(steps / 4))));
}

registerJob(JOB.target, {
  async run(message, ctx) {
    const { store } = ctx;
    const record = await store.get<TargetRecordSummary>(KIND.target, message.id);
    if (!record || record.summary.status === 'complete' || record.summary.status === 'failed') return;
    if (!(await lifecycle.claim(ctx, KIND.target, message.id, { attempts: ctx.receiveCount }))) return;
    const [rawScenario, spec] = await Promise.all([
      store.readBlob(record, 'scenario'),
      store.readBlob<TargetSpec>(record, 'spec'),
    ]);
    const parsed = parseScenario(rawScenario);
    if (!parsed.ok || !spec) {
      await fail(
        ctx,
        message.id,
        parsed.ok ? 'the target has no search' : `invalid scenario: ${describeIssues(parsed.issues)}`,
      );
      return;
    }
    const base: Scenario = parsed.value;
    const most = maxEvaluations(spec);
    let tried = 0;
    const evaluate = async (value: number): Promise<number> => {
      const v = parseScenario(setPath(base, spec.search.path, value));
      if (!v.ok)
        throw new InvalidValue(`${spec.search.path} = ${value} makes an invalid scenario: ${describeIssues(v.issues)}`);
      const result = await runEngine(
        v.value,
        {
          collectRunTotals: true,
          onProgress: (done, runs) =>
            ctx.progress(Math.min(99, Math.floor((100 * (tried + done / Math.max(1, runs))) / most))),
          shouldCancel: () => ctx.shouldCancel(),
        },
        ctx,
      );
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
