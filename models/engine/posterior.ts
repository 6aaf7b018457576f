/**
 * Parameter uncertainty (uncertainty.parameters with evidence): the posterior draws of the rates, and their tables.
 *
 * A draw of every rate (models/engine/rates.ts `drawRates`: ~300 gamma variates on the default scenario) and the
 * tables built from it cost about a third of a run, so beyond POSTERIOR_DRAWS runs, runs share draws: run r uses draw
 * ⌊r / k⌋ with k = ⌈runs / POSTERIOR_DRAWS⌉, a block of consecutive runs. Draw d comes from the parameter stream of
 * run d, so a forecast of up to POSTERIOR_DRAWS runs draws for each run as it always did (bit-identical), and any
 * shard of runs computes exactly the draws of its own runs. Within a block the runs differ in everything else, so the
 * result is the mixture over the draws of each draw's forecast — the usual nested design (parameter sets × stochastic
 * runs); with 1,000 draws the parameter part of the spread is itself known to about √(2/999) ≈ 4.5% of its size.
 * Blocks rather than r mod 1,000, so that one draw's tables are alive at a time (refilled in place): memory does not
 * grow with the draws, also in a region of 200 councils.
 */
import { Rng, streamSeed } from '../random.js';
import type { Scenario } from '../scenario.js';
import { RUN_STREAM_BASE, S_PARAMS } from './constants.js';
import { type FlatEvidence, type RateTables, type Rates, buildTables, drawRates, flatEvidence } from './rates.js';

/** The most posterior draws of the rates one forecast makes. */
export const POSTERIOR_DRAWS = 1000;

export class PosteriorDraws {
  /** runs per draw */
  readonly block: number;
  private draw = -1;
  private rates: Rates;
  private readonly evidence: FlatEvidence;
  /** the draw in hand's tables, refilled in place for each draw (hosts read them afresh at each run's start) */
  private built: RateTables | null = null;
  private fresh = false;

  constructor(
    private readonly s: Scenario,
    private readonly point: Rates,
  ) {
    const ev = flatEvidence(s);
    if (!ev) throw new Error('posterior draws need evidence');
    this.evidence = ev;
    this.block = Math.max(1, Math.ceil(s.runs / POSTERIOR_DRAWS));
    this.rates = point;
  }

  /** The index of the draw run r uses. */
  drawOf(r: number): number {
    return Math.floor(r / this.block);
  }

  /** The rates of run r (drawn when its draw is not the one in hand). */
  ratesFor(r: number): Rates {
    const d = this.drawOf(r);
    if (d !== this.draw) {
      this.draw = d;
      const stream = streamSeed(streamSeed(this.s.seed, d), RUN_STREAM_BASE + S_PARAMS);
      this.rates = drawRates(this.evidence, this.point, new Rng(stream));
      this.fresh = false;
    }
    return this.rates;
  }

  /** The tables of the rates last returned by `ratesFor` (built once per draw). */
  tables(): RateTables {
    if (!this.fresh) {
      this.built = buildTables(this.rates, this.built ?? undefined);
      this.fresh = true;
    }
    return this.built!;
  }
}
