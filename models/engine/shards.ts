/**
 * A forecast in shards: `simulateShard` runs runs [from, to) of a scenario and returns their summaries as plain data
 * (JSON-safe, to cross a thread or the store); `mergeShards` adds the shards' summaries and assembles the result.
 * Run r draws from the streams of (seed, r) whichever shard runs it, so the merged result is the one-process result:
 * every count, histogram quantile, sketch quantile, chance over budget and per-run total identical, and the means and
 * SDs of money equal to rounding (their sums are added in another order; tests/unit/engine-shards.test.ts pins both).
 */
import { inRunOrder } from '../shards.js';
import type { ForecastResult } from '../result.js';
import type { Scenario } from '../scenario.js';
import type { RecorderState } from './recorder.js';
import { createCouncilStepper, runRange } from './simulation.js';
import type { SimulateOptions } from './types.js';

/** One shard's summaries. */
export interface ShardSummary {
  from: number;
  to: number;
  recorder: RecorderState;
  elapsedMs: number;
}

/** A shard run in steps (a job's host checkpoints between them: functions/jobs/engine-steps.ts `runStepped`). */
export interface ShardSimulation<S> {
  /** runs up to maxRuns more of the shard's runs; true when all are done */
  step(maxRuns: number): boolean;
  /** the shard's summaries, once every run is done */
  finish(): S;
}

/** A shard simulation's summaries, every run at once. */
export function runWhole<S>(sim: ShardSimulation<S>): S {
  sim.step(Infinity);
  return sim.finish();
}

/** Runs runs [from, to) of the scenario (progress is reported over the shard's own runs). */
export function simulateShard(
  scenario: Scenario,
  runs: { from: number; to: number },
  options: Omit<SimulateOptions, 'onMonthEnd'> = {},
): ShardSummary {
  return runWhole(createShardSimulation(scenario, runs, options));
}

/** `simulateShard` in steps: the same runs, draws and summaries whatever the steps. */
export function createShardSimulation(
  scenario: Scenario,
  runs: { from: number; to: number },
  options: Omit<SimulateOptions, 'onMonthEnd'> = {},
): ShardSimulation<ShardSummary> {
  const started = performance.now();
  const { from, to } = runs;
  if (!(Number.isInteger(from) && Number.isInteger(to) && from >= 0 && from < to && to <= scenario.runs))
    throw new Error(`runs ${from}–${to} are not a shard of ${scenario.runs} runs`);
  const council = createCouncilStepper(scenario, options);
  const range = runRange(council, scenario.horizonMonths, { from, to }, options);
  return {
    step: range.step,
    finish() {
      if (range.next < to) throw new Error(`finish() after ${range.next - from} of ${to - from} runs`);
      return {
        from,
        to,
        recorder: council.summaryState({ from, to }),
        elapsedMs: Math.round(performance.now() - started),
      };
    },
  };
}

/**
 * The result of all the scenario's runs from its shards' summaries, which must cover runs [0, runs) exactly once
 * (in any order). `elapsedMs` is the slowest shard's time plus the merge's: the wall time when shards run at once.
 */
export function mergeShards(
  scenario: Scenario,
  shards: readonly ShardSummary[],
  options: Pick<SimulateOptions, 'collectRunTotals'> = {},
): ForecastResult {
  const started = performance.now();
  const sorted = inRunOrder(shards, scenario.runs);
  if (options.collectRunTotals && sorted.some((s) => s.recorder.runTotals === null))
    throw new Error('per-run totals were asked for but a shard did not keep them');
  const council = createCouncilStepper(scenario, { collectRunTotals: options.collectRunTotals === true });
  for (const s of sorted) council.mergeSummary(s.recorder);
  const result = council.finish();
  const slowest = Math.max(...sorted.map((s) => s.elapsedMs));
  result.elapsedMs = slowest + Math.round(performance.now() - started);
  return result;
}
