/**
 * Step 3's arrivals: how many non-UASC children enter in a month, and in what groups.
 *
 * - Fixed rate, no groups (the default): Poisson(entry rate × multiplier), each child alone (World.enter).
 * - Entries multiplier given as a range: each run scales the month's Poisson mean by its own draw.
 * - Drift (parameters.entryDrift, unless uncertainty.drift is false): the log of each run's entry rate takes a random
 *   walk over the horizon — a step of sd σ/√12 each month, σ = sdPerYear — plus a starting offset of sd σ·√(W/3) for
 *   the gap between the rate at the forecast start and the average over the W years of data it was estimated from
 *   (for a random walk the current level differs from a W-year mean by that much). The walk is centred,
 *   exp(x − var(x)/2), so each month's mean rate is the estimated one and bands widen with the horizon.
 * - Sibling groups (parameters.entryGroups): groups arrive Poisson(mean / mean group size), each of a size drawn from
 *   the group-size shares; a group enters one category and lands or overflows together (World.enterGroup).
 * The drift and group sizes have run-level streams of their own, so the count draws stay aligned across variants.
 */
import { AliasTable, normalQuantile, poissonInverse, uniform } from '../random.js';
import type { Scenario } from '../scenario.js';
import { cumulative, pick } from './categorical.js';
import { NB, NC, S_DRIFT, S_ENTRIES, S_GROUPS, UASC_OFFSET } from './constants.js';
import type { RateTables, Rates } from './rates.js';
import type { World } from './world.js';

export class Entries {
  /** overflow of the month's entrants (set by `month`) */
  overflow = 0;
  readonly driftSd: number;
  readonly startSd: number;
  readonly groupSizes: number[];
  readonly meanGroupSize: number;
  /** true when the plain path (fixed rate, children alone) is not enough */
  readonly varies: boolean;
  private readonly groupCum: Float64Array;
  private readonly factor: Float64Array;
  private scale = 1;
  private bandAlias: AliasTable[] = [];
  private bandAliasOf: Rates | null = null;

  constructor(
    s: Scenario,
    horizon: number,
    private readonly multiplierDrawn: boolean,
  ) {
    const drift = s.uncertainty.drift !== false ? s.parameters.entryDrift : undefined;
    this.driftSd = drift?.sdPerYear ?? 0;
    const years = (s.parameters.evidence?.entryMonths ?? 24) / 12;
    this.startSd = this.driftSd * Math.sqrt(years / 3);
    const sizes = (s.uncertainty.groups !== false ? s.parameters.entryGroups?.sizes : undefined) ?? {};
    const pairs = Object.entries(sizes)
      .map(([k, v]) => [Number(k), v ?? 0] as const)
      .filter(([, v]) => v > 0)
      .sort((a, b) => a[0] - b[0]);
    this.groupSizes = pairs.map(([k]) => k);
    const total = pairs.reduce((a, [, v]) => a + v, 0);
    this.meanGroupSize = total > 0 ? pairs.reduce((a, [k, v]) => a + k * v, 0) / total : 1;
    this.groupCum = cumulative(pairs.map(([, v]) => v));
    if (this.meanGroupSize === 1) this.groupSizes = [];
    this.factor = new Float64Array(horizon).fill(1);
    this.varies = this.driftSd > 0 || this.groupSizes.length > 0 || multiplierDrawn;
  }

  /** The run's drift path and multiplier scale (only when `varies`). */
  startRun(streams: Int32Array, multiplierScale: number): void {
    this.scale = this.multiplierDrawn ? multiplierScale : 1;
    const sd = this.driftSd;
    if (sd <= 0) return;
    const step = sd / Math.sqrt(12);
    let x = this.startSd * normalQuantile(uniform(streams, S_DRIFT));
    let v = this.startSd * this.startSd;
    for (let t = 0; t < this.factor.length; t++) {
      x += step * normalQuantile(uniform(streams, S_DRIFT));
      v += step * step;
      this.factor[t] = Math.exp(x - v / 2);
    }
  }

  /** The entry-rate multiplier of month t in this run (drift × multiplier draw), for diagnostics and tests. */
  factorAt(t: number): number {
    return this.factor[t]! * this.scale;
  }

  /** true when entries arrive in sibling groups (then `month` places them; else `count` says how many arrive alone) */
  get grouped(): boolean {
    return this.groupSizes.length > 0;
  }

  /** Step 3's count in month t when children arrive alone: Poisson at this run's rate for the month (drift × draw). */
  count(t: number, tables: RateTables, streams: Int32Array): number {
    return Math.min(poissonInverse(this.meanAt(t, tables), uniform(streams, S_ENTRIES)), UASC_OFFSET);
  }

  /** the month's mean entries at this run's rate (the tables' rate × the multiplier's draw × the drift) */
  private meanAt(t: number, tables: RateTables): number {
    return tables.entryTable.mean * this.scale * this.factor[t]!;
  }

  /** Step 3 in month t when entries arrive in sibling groups; returns the number of entrants (overflow in `this.overflow`). */
  month(
    world: World,
    t: number,
    tables: RateTables,
    rates: Rates,
    runMix: number,
    streams: Int32Array,
    places: number,
    agencyAvailability: number,
  ): number {
    const mean = this.meanAt(t, tables);
    const u = uniform(streams, S_ENTRIES);
    if (this.bandAliasOf !== rates) this.buildBandAlias(rates);
    const groups = poissonInverse(mean / this.meanGroupSize, u);
    let n = 0;
    let overflow = 0;
    for (let g = 0; g < groups; g++) {
      let size = this.groupSizes[pick(this.groupCum, uniform(streams, S_GROUPS))]!;
      if (n + size > UASC_OFFSET) size = UASC_OFFSET - n;
      if (size <= 0) break;
      overflow += world.enterGroup(t, n, size, tables.entryAlias, this.bandAlias, runMix, places, agencyAvailability);
      n += size;
    }
    this.overflow = overflow;
    return n;
  }

  /** Per category, the entry rates by band (for the bands of a group's other children). */
  private buildBandAlias(rates: Rates): void {
    this.bandAlias = Array.from(
      { length: NC },
      (_, c) => new AliasTable(Float64Array.from({ length: NB }, (_, b) => rates.entry[b * NC + c]!)),
    );
    this.bandAliasOf = rates;
  }
}
