/**
 * A regional forecast in shards of runs, like a council's (models/engine/shards.ts): `simulateRegionShard` runs runs
 * [from, to) of the region — every council, coupled — and returns the summaries as plain data; `mergeRegionShards`
 * adds them and assembles the result. A region shards by runs, never by council: its councils are coupled within a
 * run. Run r draws from the streams of (seed, r) whichever shard runs it, so the merged result is the one-process
 * result (counts, quantiles, chances over budget and per-run totals identical; means of money to rounding).
 */
import { runWhole, type ShardSimulation } from '../engine/shards.js';
import { inRunOrder, workUnits } from '../shards.js';
import type { RegionalForecastResult } from './result.js';
import {
  createRegionalSimulation,
  type RegionalScenario,
  type RegionalSimulateOptions,
  type RegionSummaryState,
} from './simulate.js';

export interface RegionShardSummary {
  from: number;
  to: number;
  state: RegionSummaryState;
  elapsedMs: number;
}

export function simulateRegionShard(
  region: RegionalScenario,
  runs: { from: number; to: number },
  options: Omit<RegionalSimulateOptions, 'runs' | 'onCouncilMonthEnd'> = {},
): RegionShardSummary {
  return runWhole(createRegionShardSimulation(region, runs, options));
}

/** `simulateRegionShard` in steps (models/engine/shards.ts `ShardSimulation`): the same result whatever the steps. */
export function createRegionShardSimulation(
  region: RegionalScenario,
  runs: { from: number; to: number },
  options: Omit<RegionalSimulateOptions, 'runs' | 'onCouncilMonthEnd'> = {},
): ShardSimulation<RegionShardSummary> {
  const started = performance.now();
  const sim = createRegionalSimulation(region, { ...options, runs });
  return {
    step: (maxRuns) => sim.step(maxRuns),
    finish: () => ({ ...runs, state: sim.summaryState(), elapsedMs: Math.round(performance.now() - started) }),
  };
}

/** The result of all the region's runs from shards covering [0, runs) exactly once, in any order. */
export function mergeRegionShards(
  region: RegionalScenario,
  shards: readonly RegionShardSummary[],
  options: Pick<RegionalSimulateOptions, 'collectRunTotals'> = {},
): RegionalForecastResult {
  const started = performance.now();
  const sorted = inRunOrder(shards, region.runs);
  if (options.collectRunTotals && sorted.some((s) => s.state.runTotals === null))
    throw new Error('per-run totals were asked for but a shard did not keep them');
  const sim = createRegionalSimulation(region, { collectRunTotals: options.collectRunTotals === true });
  for (const s of sorted) sim.mergeSummary(s.state);
  const result = sim.finish();
  result.elapsedMs = Math.max(...sorted.map((s) => s.elapsedMs)) + Math.round(performance.now() - started);
  return result;
}

/**
 * A region's work units (models/shards.ts): its councils' together, each at the region's runs and horizon. Coupling
 * (the rota, shared places) costs more per run than the councils alone; the threshold is stated in these units.
 */
export function regionWorkUnits(region: Pick<RegionalScenario, 'councils'>): number {
  let work = 0;
  for (const c of region.councils) work += workUnits(c.scenario);
  return work;
}
