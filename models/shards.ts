/**
 * Splitting a forecast's runs into shards. Run r always draws from the streams of (seed, r), so a shard that runs
 * [from, to) computes exactly those runs, and the shards' summaries merge into the result of one process running
 * them all (counts bit-identical, means to rounding: see models/summary.ts).
 *
 * How big a job must be to shard is measured in work units: runs × children × months, where children is the starting
 * stock plus the entrants expected over the horizon (the children a run simulates). On this project's machine one
 * core does about 400 million units a second on the default scenario (10,000 runs × 1,211 children × 60 months =
 * 727 M units in ~1.8 s).
 */
import { uncertainMean } from './uncertain.js';
import type { Scenario } from './scenario.js';

/** A shard: runs [from, to) of a job, the index-th of `of`. */
export interface Shard {
  index: number;
  of: number;
  from: number;
  to: number;
}

/**
 * How a job that fans out is split, as its record keeps it from the moment it is stored: runs [0, runs) in `of`
 * shards, i.e. exactly `splitRuns(runs, of)`. Whatever else changes (the number of job processes after a restart),
 * the job's shards stay these, so a stored shard summary is always one of them.
 */
export interface ShardPlan {
  of: number;
  runs: number;
}

/** The plan of these shards (as `splitRuns` makes them: contiguous from run 0). */
export function planOfShards(shards: readonly Shard[]): ShardPlan {
  return { of: shards.length, runs: shards.at(-1)?.to ?? 0 };
}

export interface ShardLimits {
  /** work units one shard should take at least (below twice this a job does not shard) */
  workPerShard: number;
  /** the most shards a job is split into (worker threads locally, concurrent functions on AWS) */
  maxShards: number;
  /** the fewest runs a shard takes */
  minRunsPerShard?: number;
}

/**
 * Locally (worker threads of one machine): shard above 2 × 100 M units, about half a second on one core — the
 * default scenario at 2,000 runs (145 M) runs whole, at 10,000 runs (727 M) over every worker.
 */
export const LOCAL_WORK_PER_SHARD = 100e6;
/**
 * On AWS (a Step Functions Map of Lambda functions): a shard should take a few seconds, so that the start of a
 * function and the write of its summary (~0.3 s together) stay small beside it: 2 G units (~5 s on one Lambda core).
 * Smaller jobs keep the SQS path: one message, one function.
 */
export const AWS_WORK_PER_SHARD = 2e9;
/** the Map state's concurrency on AWS, and so the most shards a job is split into there */
export const AWS_MAX_SHARDS = 200;
const MIN_RUNS_PER_SHARD = 50;

/** Children a run of this scenario simulates: the starting stock and the entrants expected over the horizon. */
export function childrenOf(s: Pick<Scenario, 'initial' | 'parameters' | 'entries' | 'uasc' | 'horizonMonths'>): number {
  let stock = 0;
  for (const c of s.initial) stock += c.count;
  let entriesPerMonth = 0;
  for (const byCat of Object.values(s.parameters.entriesPerMonth))
    for (const v of Object.values(byCat ?? {})) entriesPerMonth += v ?? 0;
  entriesPerMonth *= uncertainMean(s.entries.multiplier);
  if (s.uasc)
    entriesPerMonth += uncertainMean(s.uasc.spontaneousPerMonth) + uncertainMean(s.uasc.transfersPerMonthWhenOnRota);
  return Math.max(1, Math.round(stock + entriesPerMonth * s.horizonMonths));
}

/** runs × children × months */
export function workUnits(s: Parameters<typeof childrenOf>[0] & Pick<Scenario, 'runs'>): number {
  return s.runs * childrenOf(s) * s.horizonMonths;
}

/**
 * The shards of a job of `runs` runs and `work` units: as many as the work fills (one per `workPerShard`), at most
 * `maxShards`, each of at least `minRunsPerShard` runs; the runs spread evenly, the first shards one run longer.
 * One shard (the whole job) when the job is small.
 */
export function planShards(runs: number, work: number, limits: ShardLimits): Shard[] {
  const minRuns = Math.max(1, limits.minRunsPerShard ?? MIN_RUNS_PER_SHARD);
  const n = Math.max(
    1,
    Math.min(Math.floor(work / limits.workPerShard), Math.floor(runs / minRuns), Math.floor(limits.maxShards)),
  );
  return splitRuns(runs, n);
}

/** [0, runs) in n contiguous shards as even as they can be. */
export function splitRuns(runs: number, n: number): Shard[] {
  const of = Math.max(1, Math.min(n, runs));
  const base = Math.floor(runs / of);
  const extra = runs % of;
  const shards: Shard[] = [];
  let from = 0;
  for (let index = 0; index < of; index++) {
    const to = from + base + (index < extra ? 1 : 0);
    shards.push({ index, of, from, to });
    from = to;
  }
  return shards;
}

/**
 * Shard summaries in run order, checked to cover runs [0, runs) exactly once — the precondition of every merge.
 * Example: `inRunOrder([{ from: 50, to: 100 }, { from: 0, to: 50 }], 100)` → the two in order; a gap or overlap throws.
 */
export function inRunOrder<T extends { from: number; to: number }>(shards: readonly T[], runs: number): T[] {
  const sorted = [...shards].sort((a, b) => a.from - b.from);
  let next = 0;
  for (const s of sorted) {
    if (s.from !== next) throw new Error(`the shards do not cover runs ${next}–${s.from} exactly once`);
    next = s.to;
  }
  if (next !== runs) throw new Error(`the shards cover ${next} of ${runs} runs`);
  return sorted;
}
