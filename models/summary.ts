/**
 * Summaries over Monte Carlo runs whose memory does not grow with the number of runs:
 * - counts (children, households, places) go into exact integer histograms, one per month;
 * - money goes into log-bucket sketches with 0.01% relative accuracy (DDSketch-style), plus exact running sums for
 *   the mean and standard deviation.
 * Quantiles use the nearest-rank definition: the smallest value v with at least ⌈p·N⌉ runs at or below v.
 */
import type { Quantiles, ScalarQuantiles } from './result.js';

export const QUANTILE_LEVELS = { p5: 0.05, p10: 0.1, p25: 0.25, p50: 0.5, p75: 0.75, p90: 0.9, p95: 0.95 } as const;
type Level = keyof typeof QUANTILE_LEVELS;
const LEVELS = Object.entries(QUANTILE_LEVELS) as [Level, number][];

const rank = (p: number, n: number): number => Math.max(1, Math.ceil(p * n - 1e-9));

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

  summary(scale?: (month: number) => number): Quantiles {
    const out = emptyQuantiles();
    for (let m = 0; m < this.months; m++) {
      const f = scale ? scale(m) : 1;
      out.mean.push(this.mean(m) * f);
      for (const [name, p] of LEVELS) out[name].push(this.n ? this.quantile(m, p) * f : 0);
    }
    return out;
  }
}

/**
 * Quantile sketch for non-negative reals with a guaranteed relative accuracy of 0.025% (e.g. ±£4,500 on £18m — well
 * inside the Monte Carlo error of a P10/P50/P90 at a few thousand runs). Means and SDs are exact running sums.
 * A value's bucket is its binary exponent and the top 11 bits of its mantissa (buckets 2^-11 wide in relative terms,
 * reported at their midpoint), read straight from the IEEE-754 bits: no logarithm per value.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word (little-endian: 1)
const LO = 1 - HI;
const SHIFT = 9; // keep 11 exponent bits + 11 mantissa bits of the high word (sign is 0 for v > 0)

/** keys a sketch holds before counting them into its bins (see LogSketch.fold) */
const PENDING = 1024;

export class LogSketch {
  private offset = 0;
  private bins = new Uint32Array(0);
  /**
   * Bucket keys not yet counted. A sketch of a widely spread value has thousands of bins (tens of kB) and each add
   * hit a cold cache line; appending the key costs a sequential write, and counting a thousand keys at a time in a
   * tight loop reuses lines and overlaps the misses. The buffer has a fixed size: memory still does not grow with runs.
   */
  private pending = new Int32Array(0);
  private nPending = 0;
  private zeros = 0;
  private n = 0;
  private sum = 0;
  private sumSq = 0;
  private minV = Infinity;
  private maxV = -Infinity;

  add(v: number): void {
    this.n++;
    this.sum += v;
    this.sumSq += v * v;
    if (v < this.minV) this.minV = v;
    if (v > this.maxV) this.maxV = v;
    if (!(v > 0)) {
      this.zeros++;
      return;
    }
    f64[0] = v;
    if (this.nPending === this.pending.length) this.fold();
    this.pending[this.nPending++] = u32[HI]! >>> SHIFT;
  }

  /** Count the pending keys into the bins (and make room for more). */
  private fold(): void {
    const keys = this.pending;
    for (let j = 0; j < this.nPending; j++) {
      const k = keys[j]!;
      let i = k - this.offset;
      if (i < 0 || i >= this.bins.length) {
        this.resize(k);
        i = k - this.offset;
      }
      this.bins[i]!++;
    }
    this.nPending = 0;
    if (keys.length === 0) this.pending = new Int32Array(PENDING);
  }

  /** add(values[start + i × stride]) for i < count, in that order (so sums are bit-identical to single adds). */
  addStrided(values: Float64Array, start: number, stride: number, count: number): void {
    for (let j = 0, i = start; j < count; j++, i += stride) this.add(values[i]!);
  }

  private resize(k: number): void {
    if (this.bins.length === 0) {
      this.offset = k - 256;
      this.bins = new Uint32Array(512);
      return;
    }
    // grow by at least half the current size each time, so wide-ranging sketches are not copied over and over
    const pad = Math.max(256, this.bins.length >> 1);
    const lo = Math.min(this.offset, k - pad);
    const hi = Math.max(this.offset + this.bins.length, k + pad);
    const next = new Uint32Array(hi - lo);
    next.set(this.bins, this.offset - lo);
    this.bins = next;
    this.offset = lo;
  }

  private static valueOf(k: number): number {
    u32[HI] = ((k << SHIFT) | (1 << (SHIFT - 1))) >>> 0; // the bucket's midpoint
    u32[LO] = 0;
    return f64[0]!;
  }

  get count(): number {
    return this.n;
  }
  get mean(): number {
    return this.n ? this.sum / this.n : 0;
  }
  get sd(): number {
    if (this.n < 2) return 0;
    const m = this.sum / this.n;
    return Math.sqrt(Math.max(0, (this.sumSq - this.n * m * m) / (this.n - 1)));
  }

  quantile(p: number): number {
    if (this.n === 0) return 0;
    if (this.nPending > 0) this.fold();
    const target = rank(p, this.n);
    if (target <= this.zeros) return 0;
    let cum = this.zeros;
    for (let i = 0; i < this.bins.length; i++) {
      cum += this.bins[i]!;
      if (cum >= target) return Math.min(this.maxV, Math.max(this.minV, LogSketch.valueOf(i + this.offset)));
    }
    return this.maxV;
  }

  scalar(): ScalarQuantiles {
    const out = { mean: this.mean, sd: this.sd } as ScalarQuantiles;
    for (const [name, p] of LEVELS) out[name] = this.quantile(p);
    return out;
  }
}

/** One sketch per month. */
export class SketchSeries {
  readonly sketches: LogSketch[];
  constructor(months: number) {
    this.sketches = Array.from({ length: months }, () => new LogSketch());
  }
  add(month: number, v: number): void {
    this.sketches[month]!.add(v);
  }
  /** A batch of runs: run b's value for month m is values[start + b × stride + m] (see CountSeries.addRuns). */
  addRuns(values: Float64Array, start: number, stride: number, runs: number): void {
    for (let m = 0; m < this.sketches.length; m++) this.sketches[m]!.addStrided(values, start + m, stride, runs);
  }
  summary(): Quantiles {
    const out = emptyQuantiles();
    for (const s of this.sketches) {
      out.mean.push(s.mean);
      for (const [name, p] of LEVELS) out[name].push(s.quantile(p));
    }
    return out;
  }
}

export function emptyQuantiles(): Quantiles {
  return { mean: [], p5: [], p10: [], p25: [], p50: [], p75: [], p90: [], p95: [] };
}
