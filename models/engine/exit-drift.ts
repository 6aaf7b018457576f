/**
 * Exit-rate drift (parameters.exitDrift, unless uncertainty.exitDrift is false): in each run one multiplier g_t of
 * every exit rate takes a random walk on its log over the horizon — a step of sd σ/√12 a month and a starting offset
 * of sd σ·√(W/3) (W the years of data the rates came from), centred, exp(x − var(x)/2), as the entry drift
 * (entries.ts) — so each month's mean exit rate is the estimated one and the bands widen with the horizon.
 *
 * How the engine keeps its one-draw-per-event waiting times with a hazard that changes month by month: by thinning.
 * The run's tables are built with every exit rate × a level G ≥ max_t g_t, so a child's waiting time is drawn at a
 * hazard at least the true one; when its event comes in month t and its outcome draw u falls in the exit share,
 * it leaves only if u < (exit share) × g_t / G, and otherwise nothing happens that month and it waits again from
 * t + 1. Per month a child then leaves with probability exit × g_t and moves with the moves' own probabilities:
 * exactly the monthly chain with the drifting rate. Levels are steps of 5% on the log scale (G = e^(0.05·k)), so
 * runs share tables (built once per level) and at most 5% of the exit events drawn are let go.
 */
import { normalQuantile, uniform } from '../random.js';
import type { Scenario } from '../scenario.js';
import { NB, NC, S_EXIT_DRIFT } from './constants.js';
import { type RateTables, type Rates, buildTables } from './rates.js';

const LEVEL_STEP = 0.05;

export class ExitDrift {
  readonly sdPerYear: number;
  readonly startSd: number;
  readonly basis: string | undefined;
  /** this run's g_t / G by month: the share of drawn exits that happen */
  readonly accept: Float64Array;
  /** this run's level index k (G = e^(0.05·k)) */
  level = 0;
  /** tables by level, for the rates in `cachedFor` (the scenario's own, or the posterior draw in hand) */
  private readonly cache = new Map<number, RateTables>();
  private cachedFor: Rates | null = null;

  constructor(s: Scenario, horizon: number) {
    const d = s.uncertainty.exitDrift !== false ? s.parameters.exitDrift : undefined;
    this.sdPerYear = d?.sdPerYear ?? 0;
    this.basis = s.parameters.exitDrift?.basis;
    const years = (s.parameters.evidence?.entryMonths ?? 24) / 12;
    this.startSd = this.sdPerYear * Math.sqrt(years / 3);
    this.accept = new Float64Array(horizon).fill(1);
  }

  get on(): boolean {
    return this.sdPerYear > 0;
  }

  /** Draws the run's walk; sets `accept` and `level`. */
  startRun(streams: Int32Array): void {
    const step = this.sdPerYear / Math.sqrt(12);
    let x = this.startSd * normalQuantile(uniform(streams, S_EXIT_DRIFT));
    let v = this.startSd * this.startSd;
    let maxLog = -Infinity;
    for (let t = 0; t < this.accept.length; t++) {
      x += step * normalQuantile(uniform(streams, S_EXIT_DRIFT));
      v += step * step;
      const logG = x - v / 2;
      this.accept[t] = logG;
      if (logG > maxLog) maxLog = logG;
    }
    this.level = Math.ceil(maxLog / LEVEL_STEP);
    const logLevel = this.level * LEVEL_STEP;
    for (let t = 0; t < this.accept.length; t++) this.accept[t] = Math.exp(this.accept[t]! - logLevel);
  }

  /**
   * The tables of `rates` with exits × this run's level, cached per level while the rates are the same object (the
   * scenario's own for every run, or one posterior draw for its block of runs: models/engine/posterior.ts).
   */
  tables(rates: Rates): RateTables {
    if (rates !== this.cachedFor) {
      this.cache.clear();
      this.cachedFor = rates;
    }
    const hit = this.cache.get(this.level);
    if (hit) return hit;
    const t = buildTables(scaleExits(rates, Math.exp(this.level * LEVEL_STEP)));
    this.cache.set(this.level, t);
    return t;
  }
}

/** Rates with every exit probability × g, each capped so that exit + moves ≤ 1 (a far-tail level). */
function scaleExits(r: Rates, g: number): Rates {
  const exit = new Float64Array(r.exit.length);
  for (let cell = 0; cell < NB * NC; cell++) {
    let moves = 0;
    for (let j = 0; j < NC; j++) moves += r.move[cell * NC + j]!;
    exit[cell] = Math.min(r.exit[cell]! * g, Math.max(0, 1 - moves));
  }
  return { exit, move: r.move, entry: r.entry };
}
