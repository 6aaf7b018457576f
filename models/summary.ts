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
const LEVEL_PS = LEVELS.map(([, p]) => p);

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

/**
 * Quantile sketch for non-negative reals with a guaranteed relative accuracy of 0.025% (e.g. ±£4,500 on £18m — well
 * inside the Monte Carlo error of a P10/P50/P90 at a few thousand runs). Means and SDs are exact running sums.
 * A value's bucket is its binary exponent and the top 11 bits of its mantissa (buckets 2^-11 wide in relative terms,
 * reported at their midpoint), read straight from the IEEE-754 bits: no logarithm per value.
 *
 * `new LogSketch(SKETCH_COARSE)` keeps 9 mantissa bits instead (0.1% relative accuracy, a quarter of the bins): for the
 * hundreds of sketches of one category's cost in one month, where the finer bins of 540 sketches no longer fit the
 * cache and cost a run more than the whole uncertain-inputs feature (measured: bench/features.ts). 0.1% of a
 * category's monthly cost is far inside the Monte Carlo error of its P10 or P90 (about 0.2% at 10,000 runs for a
 * spread of 10%). Means and SDs stay exact; totals by month and by financial year keep the fine bins.
 */
const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word (little-endian: 1)
const LO = 1 - HI;
/** keep 11 exponent bits + 11 mantissa bits of the high word (sign is 0 for v > 0): 0.025% */
export const SKETCH_FINE = 9;
/** 11 exponent bits + 9 mantissa bits: 0.1% */
export const SKETCH_COARSE = 11;

/** keys a sketch holds before counting them into its bins (see LogSketch.fold), and its first buffer's size */
const PENDING = 1024;
const PENDING_FIRST = 64;

export class LogSketch {
  /** bits of the high word dropped from a value's key: SKETCH_FINE or SKETCH_COARSE */
  readonly shift: number;
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
  /** Neumaier compensations of sum and sumSq: the sums are then exact to rounding whatever the order of the adds,
   *  so shards merged in any grouping give the mean of one sketch of all the values (to a unit in the last place) */
  private sumC = 0;
  private sumSqC = 0;
  private minV = Infinity;
  private maxV = -Infinity;

  constructor(shift: number = SKETCH_FINE) {
    if (shift !== SKETCH_FINE && shift !== SKETCH_COARSE) throw new Error(`unknown sketch accuracy ${shift}`);
    this.shift = shift;
  }

  add(v: number): void {
    this.n++;
    // Neumaier's compensated sums (written out: this is the engine's inner loop for money)
    const a = this.sum;
    const t = a + v;
    this.sumC += Math.abs(a) >= Math.abs(v) ? a - t + v : v - t + a;
    this.sum = t;
    const v2 = v * v;
    const b = this.sumSq;
    const u = b + v2;
    this.sumSqC += b >= v2 ? b - u + v2 : v2 - u + b;
    this.sumSq = u;
    if (v < this.minV) this.minV = v;
    if (v > this.maxV) this.maxV = v;
    if (!(v > 0)) {
      this.zeros++;
      return;
    }
    f64[0] = v;
    if (this.nPending === this.pending.length) this.makeRoom();
    this.pending[this.nPending++] = u32[HI]! >>> this.shift;
  }

  /**
   * The pending buffer is full: it doubles, from PENDING_FIRST up to PENDING keys (a sketch of a few runs does not take
   * a full buffer, and the first fold sees the range of many values), then is folded each time it fills.
   */
  private makeRoom(): void {
    if (this.pending.length >= PENDING) return this.fold();
    const next = new Int32Array(Math.max(PENDING_FIRST, this.pending.length * 2));
    next.set(this.pending);
    this.pending = next;
  }

  /** Count the pending keys into the bins: the bins first grow once to the keys' range. */
  private fold(): void {
    const keys = this.pending;
    const n = this.nPending;
    if (n > 0) {
      let lo = keys[0]!;
      let hi = lo;
      for (let j = 1; j < n; j++) {
        const k = keys[j]!;
        if (k < lo) lo = k;
        else if (k > hi) hi = k;
      }
      this.resize(lo, hi);
      const bins = this.bins;
      const offset = this.offset;
      for (let j = 0; j < n; j++) bins[keys[j]! - offset]!++;
    }
    this.nPending = 0;
  }

  /** add(values[start + i × stride]) for i < count, in that order (so sums are bit-identical to single adds). */
  addStrided(values: Float64Array, start: number, stride: number, count: number): void {
    // add() written out over the batch, its fields held in locals (one store of each at the end)
    let n = this.n;
    let sum = this.sum;
    let sumC = this.sumC;
    let sumSq = this.sumSq;
    let sumSqC = this.sumSqC;
    let minV = this.minV;
    let maxV = this.maxV;
    let zeros = this.zeros;
    const shift = this.shift;
    // room for the whole batch's keys first, so the loop writes to a local buffer at a local index
    while (this.nPending + count > this.pending.length) {
      if (this.pending.length >= PENDING && this.nPending === 0) break; // a batch larger than the buffer: folds below
      this.makeRoom();
    }
    let pending = this.pending;
    let nPending = this.nPending;
    for (let j = 0, i = start; j < count; j++, i += stride) {
      const v = values[i]!;
      n++;
      const t = sum + v;
      sumC += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
      sum = t;
      const v2 = v * v;
      const u = sumSq + v2;
      sumSqC += sumSq >= v2 ? sumSq - u + v2 : v2 - u + sumSq;
      sumSq = u;
      if (v < minV) minV = v;
      if (v > maxV) maxV = v;
      if (!(v > 0)) {
        zeros++;
        continue;
      }
      f64[0] = v;
      if (nPending === pending.length) {
        this.nPending = nPending;
        this.makeRoom();
        pending = this.pending;
        nPending = this.nPending;
      }
      pending[nPending++] = u32[HI]! >>> shift;
    }
    this.nPending = nPending;
    this.n = n;
    this.sum = sum;
    this.sumC = sumC;
    this.sumSq = sumSq;
    this.sumSqC = sumSqC;
    this.minV = minV;
    this.maxV = maxV;
    this.zeros = zeros;
  }

  /** make room for keys lo..hi (nothing to do when they already have bins) */
  private resize(lo: number, hi: number): void {
    const len = this.bins.length;
    if (len > 0 && lo >= this.offset && hi < this.offset + len) return;
    // room on each side for values not yet seen: a quarter of the range at first (and at least 64 bins); then at least
    // half the current size each time, so wide-ranging sketches are not copied over and over
    const pad = len === 0 ? Math.max(64, (hi - lo) >> 2) : Math.max(256, len >> 1);
    const from = len === 0 ? lo - pad : Math.min(this.offset, lo < this.offset ? lo - pad : lo);
    const to = len === 0 ? hi + pad + 1 : Math.max(this.offset + len, hi >= this.offset + len ? hi + pad + 1 : hi + 1);
    const next = new Uint32Array(to - from);
    if (len > 0) next.set(this.bins, this.offset - from);
    this.bins = next;
    this.offset = from;
  }

  private valueOf(k: number): number {
    const shift = this.shift;
    u32[HI] = ((k << shift) | (1 << (shift - 1))) >>> 0; // the bucket's midpoint
    u32[LO] = 0;
    return f64[0]!;
  }

  get count(): number {
    return this.n;
  }
  get mean(): number {
    return this.n ? (this.sum + this.sumC) / this.n : 0;
  }
  get sd(): number {
    if (this.n < 2) return 0;
    const m = (this.sum + this.sumC) / this.n;
    return Math.sqrt(Math.max(0, (this.sumSq + this.sumSqC - this.n * m * m) / (this.n - 1)));
  }

  quantile(p: number): number {
    return this.quantiles([p])[0]!;
  }

  /** The quantiles at levels `ps` (ascending), in one pass over the bins. */
  quantiles(ps: readonly number[]): number[] {
    const out = ps.map(() => 0);
    if (this.n === 0) return out;
    if (this.nPending > 0) this.fold();
    let level = 0;
    while (level < ps.length && rank(ps[level]!, this.n) <= this.zeros) level++;
    let cum = this.zeros;
    for (let i = 0; i < this.bins.length && level < ps.length; i++) {
      const c = this.bins[i]!;
      if (c === 0) continue;
      cum += c;
      if (cum < rank(ps[level]!, this.n)) continue;
      const v = Math.min(this.maxV, Math.max(this.minV, this.valueOf(i + this.offset)));
      while (level < ps.length && cum >= rank(ps[level]!, this.n)) out[level++] = v;
    }
    while (level < ps.length) out[level++] = this.maxV;
    return out;
  }

  /** The sketch as plain data (JSON-safe: bins from the lowest to the highest non-empty one; no infinities). */
  toState(): LogSketchState {
    if (this.nPending > 0) this.fold();
    let lo = 0;
    let hi = this.bins.length - 1;
    while (lo <= hi && this.bins[lo] === 0) lo++;
    while (hi >= lo && this.bins[hi] === 0) hi--;
    return {
      n: this.n,
      sum: this.sum,
      sumC: this.sumC,
      sumSq: this.sumSq,
      sumSqC: this.sumSqC,
      min: this.n ? this.minV : null,
      max: this.n ? this.maxV : null,
      zeros: this.zeros,
      ...(this.shift === SKETCH_FINE ? {} : { shift: this.shift }),
      offset: this.offset + lo,
      bins: lo > hi ? [] : packCounts(this.bins, lo, hi + 1),
    };
  }

  /**
   * Add another sketch's values (a shard's). Bins, counts, zeros, minimum and maximum add exactly, so every quantile
   * is the one a single sketch of all the values gives; the sums are compensated, so the mean agrees to a unit or two in
   * the last place (and the SD to rounding), not always bit for bit.
   */
  merge(other: LogSketchState | LogSketch): void {
    const s = other instanceof LogSketch ? other.toState() : other;
    if ((s.shift ?? SKETCH_FINE) !== this.shift)
      throw new Error(`cannot merge a sketch of accuracy ${s.shift ?? SKETCH_FINE} into one of ${this.shift}`);
    if (s.n === 0) return;
    if (this.nPending > 0) this.fold();
    this.n += s.n;
    const a = this.sum;
    const t = a + s.sum;
    this.sumC += (Math.abs(a) >= Math.abs(s.sum) ? a - t + s.sum : s.sum - t + a) + s.sumC;
    this.sum = t;
    const b = this.sumSq;
    const u = b + s.sumSq;
    this.sumSqC += (b >= s.sumSq ? b - u + s.sumSq : s.sumSq - u + b) + s.sumSqC;
    this.sumSq = u;
    this.zeros += s.zeros;
    if (s.min !== null && s.min < this.minV) this.minV = s.min;
    if (s.max !== null && s.max > this.maxV) this.maxV = s.max;
    if (s.bins.length === 0) return;
    this.resize(s.offset, s.offset + packedLength(s.bins, 0) - 1);
    addPacked(this.bins, s.offset - this.offset, s.bins, 0);
  }

  scalar(): ScalarQuantiles {
    const out = { mean: this.mean, sd: this.sd } as ScalarQuantiles;
    const q = this.quantiles(LEVEL_PS);
    LEVELS.forEach(([name], i) => (out[name] = q[i]!));
    return out;
  }
}

/** One sketch per month. */
export class SketchSeries {
  readonly sketches: LogSketch[];
  constructor(months: number, shift: number = SKETCH_FINE) {
    this.sketches = Array.from({ length: months }, () => new LogSketch(shift));
  }
  add(month: number, v: number): void {
    this.sketches[month]!.add(v);
  }
  /** A batch of runs: run b's value for month m is values[start + b × stride + m] (see CountSeries.addRuns). */
  addRuns(values: Float64Array, start: number, stride: number, runs: number): void {
    for (let m = 0; m < this.sketches.length; m++) this.sketches[m]!.addStrided(values, start + m, stride, runs);
  }
  toState(): LogSketchState[] {
    return this.sketches.map((s) => s.toState());
  }
  /** Add another series' values month by month (see LogSketch.merge). */
  merge(other: readonly LogSketchState[] | SketchSeries): void {
    const states = other instanceof SketchSeries ? other.toState() : other;
    if (states.length !== this.sketches.length)
      throw new Error(`cannot merge a ${states.length}-month series into a ${this.sketches.length}-month one`);
    states.forEach((s, m) => this.sketches[m]!.merge(s));
  }
  summary(): Quantiles {
    const out = emptyQuantiles();
    for (const s of this.sketches) {
      out.mean.push(s.mean);
      const q = s.quantiles(LEVEL_PS);
      LEVELS.forEach(([name], i) => out[name].push(q[i]!));
    }
    return out;
  }
}

/**
 * Counts as plain data, packed: a count as itself, a run of k empty bins as −k. A shard of a few runs fills a few of
 * the bins its histograms and sketches span, so this keeps a shard's summary small (it travels through the store).
 */
function packCounts(counts: Uint32Array, from: number, to: number): number[] {
  const out: number[] = [];
  for (let i = from; i < to; i++) {
    const c = counts[i]!;
    if (c !== 0) out.push(c);
    else if (out.length > 0 && out[out.length - 1]! < 0) out[out.length - 1]!--;
    else out.push(-1);
  }
  return out;
}

/** How many bins packed[start…] stands for. */
function packedLength(packed: readonly number[], start: number): number {
  let n = 0;
  for (let i = start; i < packed.length; i++) n += packed[i]! < 0 ? -packed[i]! : 1;
  return n;
}

/** counts[at + j] += the j-th bin of packed[start…]. */
function addPacked(counts: Uint32Array, at: number, packed: readonly number[], start: number): void {
  let j = at;
  for (let i = start; i < packed.length; i++) {
    const v = packed[i]!;
    if (v < 0) j -= v;
    else counts[j++]! += v;
  }
}

/** A CountSeries as plain data (see CountSeries.toState). */
export interface CountSeriesState {
  months: number;
  runs: number;
  /** per month: [lowest value, then the counts from it up, packed (a run of k zeros as −k)]; [] with no runs */
  rows: number[][];
}

/** A LogSketch as plain data (see LogSketch.toState). */
export interface LogSketchState {
  n: number;
  sum: number;
  sumSq: number;
  /** the compensations of sum and sumSq (Neumaier) */
  sumC: number;
  sumSqC: number;
  /** null when empty */
  min: number | null;
  max: number | null;
  zeros: number;
  /** the sketch's accuracy (LogSketch.shift) when it is not SKETCH_FINE */
  shift?: number;
  /** the key of the first bin */
  offset: number;
  /** the counts from the first to the last non-empty bin, packed (a run of k empty bins as −k) */
  bins: number[];
}

export function emptyQuantiles(): Quantiles {
  return { mean: [], p5: [], p10: [], p25: [], p50: [], p75: [], p90: [], p95: [] };
}
