/**
 * Summaries over Monte Carlo runs whose memory does not grow with the number of runs:
 * - counts (children, households, places) go into exact integer histograms, one per month;
 * - money goes into log-bucket sketches of 0.025% or 0.1% relative accuracy (DDSketch-style, models/sketch.ts), plus
 *   exact running sums for the mean and standard deviation.
 * Quantiles use the nearest-rank definition: the smallest value v with at least ⌈p·N⌉ runs at or below v.
 */
import type { Quantiles, ScalarQuantiles } from './result.js';
import { LEVELS, addPacked, emptyQuantiles, packCounts, packedLength, rank } from './summary-core.js';

export { QUANTILE_LEVELS, emptyQuantiles } from './summary-core.js';
export { LogSketch, type LogSketchState, SKETCH_COARSE, SKETCH_FINE, SketchBank, SketchSeries } from './sketch.js';

/** Exact histograms of a non-negative integer series: one per month. */
export class CountSeries {
  private width = 64;
  private counts: Uint32Array;
  private n = 0;

  constructor(private readonly months: number) {
    this.counts = new Uint32Array(months * this.width);
  }

  add(month: number, value: number): void {
    if (value >= this.width) this.grow(value);
    this.counts[month * this.width + value]!++;
  }

  /** Exact mean over runs in a month (from the histogram). */
  mean(month: number): number {
    if (this.n === 0) return 0;
    let sum = 0;
    const base = month * this.width;
    for (let v = 1; v < this.width; v++) sum += v * this.counts[base + v]!;
    return sum / this.n;
  }

  /** Sample standard deviation over runs in a month. */
  sd(month: number): number {
    if (this.n < 2) return 0;
    const m = this.mean(month);
    let ss = 0;
    const base = month * this.width;
    for (let v = 0; v < this.width; v++) ss += this.counts[base + v]! * (v - m) ** 2;
    return Math.sqrt(ss / (this.n - 1));
  }

  /** The quantiles, mean and SD of a one-month series (a total over the horizon), as a sketch's scalar() gives them. */
  scalar(): ScalarQuantiles {
    const q = this.summary();
    return {
      mean: q.mean[0]!,
      sd: this.sd(0),
      p5: q.p5[0]!,
      p10: q.p10[0]!,
      p25: q.p25[0]!,
      p50: q.p50[0]!,
      p75: q.p75[0]!,
      p90: q.p90[0]!,
      p95: q.p95[0]!,
    };
  }

  /** Call once per run after its months are added (the number of runs is the denominator). */
  endRun(): void {
    this.n++;
  }

  /**
   * Add a batch of runs at once: run b's value for month m is values[start + b × stride + m]. Month by month, so
   * the batch's increments land in one month's histogram while it is in cache (the order of adds cannot change a
   * histogram). Counts the runs, like `endRun` per run.
   */
  addRuns(values: Int32Array, start: number, stride: number, runs: number): void {
    for (let m = 0; m < this.months; m++) {
      for (let b = 0, i = start + m; b < runs; b++, i += stride) {
        const v = values[i]!;
        if (v >= this.width) this.grow(v);
        this.counts[m * this.width + v]!++;
      }
    }
    this.n += runs;
  }

  /** Count runs that added nothing (a series not in use still counts its runs). */
  endRuns(runs: number): void {
    this.n += runs;
  }

  get runs(): number {
    return this.n;
  }

  private grow(value: number): void {
    let w = this.width;
    while (value >= w) w *= 2;
    const next = new Uint32Array(this.months * w);
    for (let m = 0; m < this.months; m++) next.set(this.counts.subarray(m * this.width, (m + 1) * this.width), m * w);
    this.counts = next;
    this.width = w;
  }

  quantile(month: number, p: number): number {
    const target = rank(p, this.n);
    let cum = 0;
    const base = month * this.width;
    for (let v = 0; v < this.width; v++) {
      cum += this.counts[base + v]!;
      if (cum >= target) return v;
    }
    return this.width - 1;
  }

  /** Share of runs with value > threshold in this month. */
  shareAbove(month: number, threshold: number): number {
    let cum = 0;
    const base = month * this.width;
    for (let v = Math.max(0, Math.floor(threshold) + 1); v < this.width; v++) cum += this.counts[base + v]!;
    return this.n ? cum / this.n : 0;
  }

  /**
   * The histograms as plain data, to send to another thread or store (JSON-safe and compact): per month, the lowest
   * value seen and the counts from it to the highest (an empty row for a month with no runs, e.g. a series not in use).
   */
  toState(): CountSeriesState {
    const rows: number[][] = [];
    for (let m = 0; m < this.months; m++) {
      const base = m * this.width;
      let lo = 0;
      let hi = this.width - 1;
      while (lo <= hi && this.counts[base + lo] === 0) lo++;
      while (hi >= lo && this.counts[base + hi] === 0) hi--;
      rows.push(lo > hi ? [] : [lo, ...packCounts(this.counts, base + lo, base + hi + 1)]);
    }
    return { months: this.months, runs: this.n, rows };
  }

  /** Add another series' runs (a shard's): histograms add, so the result is exactly that of adding every run here. */
  merge(other: CountSeriesState | CountSeries): void {
    const s = other instanceof CountSeries ? other.toState() : other;
    if (s.months !== this.months || s.rows.length !== this.months)
      throw new Error(`cannot merge a ${s.months}-month series into a ${this.months}-month one`);
    for (let m = 0; m < this.months; m++) {
      const row = s.rows[m]!;
      if (row.length < 2) continue;
      const lo = row[0]!;
      const hi = lo + packedLength(row, 1) - 1;
      if (hi >= this.width) this.grow(hi);
      addPacked(this.counts, m * this.width + lo, row, 1);
    }
    this.n += s.runs;
  }

  summary(scale?: (month: number) => number): Quantiles {
    const out = emptyQuantiles();
    const targets = LEVELS.map(([, p]) => rank(p, this.n));
    const at = new Float64Array(LEVELS.length);
    for (let m = 0; m < this.months; m++) {
      const f = scale ? scale(m) : 1;
      // the mean and every level in one pass over the month's histogram (as mean() and quantile() one by one)
      const base = m * this.width;
      let sum = 0;
      let cum = 0;
      let level = 0;
      at.fill(this.width - 1);
      for (let v = 0; v < this.width; v++) {
        const c = this.counts[base + v]!;
        if (c === 0) continue;
        sum += v * c;
        cum += c;
        while (level < targets.length && cum >= targets[level]!) at[level++] = v;
      }
      out.mean.push((this.n === 0 ? 0 : sum / this.n) * f);
      LEVELS.forEach(([name], i) => out[name].push(this.n ? at[i]! * f : 0));
    }
    return out;
  }
}

/** A CountSeries as plain data (see CountSeries.toState). */
export interface CountSeriesState {
  months: number;
  runs: number;
  /** per month: [lowest value, then the counts from it up, packed (a run of k zeros as −k)]; [] with no runs */
  rows: number[][];
}
