/**
 * Quantile sketches for non-negative reals (money), whose memory does not grow with the number of values.
 *
 * A value's bucket is its binary exponent and the top mantissa bits of its IEEE-754 high word, read straight from the
 * bits (no logarithm per value), reported at the bucket's midpoint: SKETCH_FINE keeps 11 mantissa bits (buckets 2^-11
 * wide, 0.025% relative accuracy: ±£4,500 on £18m, well inside the Monte Carlo error of a P10/P50/P90 at a few thousand
 * runs); SKETCH_COARSE keeps 9 (0.1%, a quarter of the bins) for the hundreds of sketches of one category's cost in one
 * month — 0.1% of a category's monthly cost is far inside the Monte Carlo error of its P10 or P90 (about 0.2% at
 * 10,000 runs for a spread of 10%). Means and SDs are exact running sums (Neumaier-compensated, so shards merged in
 * any grouping give the mean of one sketch of all the values to a unit in the last place).
 *
 * A SketchBank holds many sketches as columns of a few arrays (struct of arrays): the engine adds a batch of runs to
 * every sketch of a series at each flush, and between flushes the run loop evicts them from the cache. Kept as objects,
 * each sketch cost several scattered cache misses a flush (its fields, its sums, its key buffer); as columns, the
 * sums of consecutive sketches are neighbours and the batch's keys go into one buffer row by row, which the processor
 * streams. Keys wait in that buffer (slot-major: slot j of sketch i at j × size + i, −1 for a zero) and are counted
 * into each sketch's bins PENDING slots at a time, so the bins of widely spread sketches (thousands of bins) are
 * touched in a tight loop rather than one cold line per value.
 *
 * LogSketch (one sketch) and SketchSeries (one per month) are banks.
 */
import type { Quantiles, ScalarQuantiles } from './result.js';
import { LEVELS, LEVEL_PS, addPacked, emptyQuantiles, packCounts, packedLength, rank } from './summary-core.js';

const f64 = new Float64Array(1);
const u32 = new Uint32Array(f64.buffer);
const HI = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0; // index of the high word (little-endian: 1)
const LO = 1 - HI;
/** keep 11 exponent bits + 11 mantissa bits of the high word (sign is 0 for v > 0): 0.025% */
export const SKETCH_FINE = 9;
/** 11 exponent bits + 9 mantissa bits: 0.1% */
export const SKETCH_COARSE = 11;

/** slots of keys a bank holds before counting them into the bins, and its first buffer's slots */
const PENDING = 1024;
const PENDING_FIRST = 64;

/** A sketch as plain data (JSON-safe: bins from the lowest to the highest non-empty one; no infinities). */
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
  /** the sketch's accuracy (its shift) when it is not SKETCH_FINE */
  shift?: number;
  /** the key of the first bin */
  offset: number;
  /** the counts from the first to the last non-empty bin, packed (a run of k empty bins as −k) */
  bins: number[];
}

/** `size` sketches of one accuracy, as columns (see the file's note). */
export class SketchBank {
  /** bits of the high word dropped from a value's key: SKETCH_FINE or SKETCH_COARSE */
  readonly shift: number;
  readonly size: number;
  private readonly n: Float64Array;
  private readonly zeros: Float64Array;
  private readonly sum: Float64Array;
  private readonly sumC: Float64Array;
  private readonly sumSq: Float64Array;
  private readonly sumSqC: Float64Array;
  private readonly minV: Float64Array;
  private readonly maxV: Float64Array;
  private readonly offset: Int32Array;
  private readonly bins: Uint32Array[];
  /** keys not yet counted, slot-major (slot j of sketch i at j × size + i); −1: the value was not positive */
  private pending = new Int32Array(0);
  private slots = 0;
  private nPending = 0;

  constructor(size: number, shift: number = SKETCH_FINE) {
    if (shift !== SKETCH_FINE && shift !== SKETCH_COARSE) throw new Error(`unknown sketch accuracy ${shift}`);
    this.shift = shift;
    this.size = size;
    this.n = new Float64Array(size);
    this.zeros = new Float64Array(size);
    this.sum = new Float64Array(size);
    this.sumC = new Float64Array(size);
    this.sumSq = new Float64Array(size);
    this.sumSqC = new Float64Array(size);
    this.minV = new Float64Array(size).fill(Infinity);
    this.maxV = new Float64Array(size).fill(-Infinity);
    this.offset = new Int32Array(size);
    this.bins = Array.from({ length: size }, () => new Uint32Array(0));
  }

  /**
   * Add v to sketch i. In a bank of one the key waits in the buffer like a batch's; in a bank of many it is counted at
   * once (the buffer's rows are whole batches).
   */
  add(i: number, v: number): void {
    this.n[i]!++;
    // Neumaier's compensated sums
    const a = this.sum[i]!;
    const t = a + v;
    this.sumC[i]! += Math.abs(a) >= Math.abs(v) ? a - t + v : v - t + a;
    this.sum[i] = t;
    const v2 = v * v;
    const b = this.sumSq[i]!;
    const u = b + v2;
    this.sumSqC[i]! += b >= v2 ? b - u + v2 : v2 - u + b;
    this.sumSq[i] = u;
    if (v < this.minV[i]!) this.minV[i] = v;
    if (v > this.maxV[i]!) this.maxV[i] = v;
    const positive = v > 0;
    if (!positive) this.zeros[i]!++;
    f64[0] = v;
    const key = positive ? u32[HI]! >>> this.shift : -1;
    if (this.size === 1) {
      this.room(1);
      this.pending[this.nPending++] = key;
    } else if (positive) {
      this.resize(i, key, key);
      this.bins[i]![key - this.offset[i]!]!++;
    }
  }

  /**
   * A batch of runs: sketch i gets values[start + i + b × stride] for b < runs, in that order (so sums are
   * bit-identical to single adds).
   */
  addRuns(values: Float64Array, start: number, stride: number, runs: number): void {
    for (let done = 0; done < runs; ) {
      const count = Math.min(runs - done, PENDING);
      this.room(count);
      this.addChunk(values, start + done * stride, stride, count);
      done += count;
    }
  }

  private addChunk(values: Float64Array, start: number, stride: number, count: number): void {
    const size = this.size;
    const shift = this.shift;
    const pending = this.pending;
    const row0 = this.nPending * size;
    for (let i = 0; i < size; i++) {
      // one sketch's fields in locals over the batch (one store of each at the end)
      let sum = this.sum[i]!;
      let sumC = this.sumC[i]!;
      let sumSq = this.sumSq[i]!;
      let sumSqC = this.sumSqC[i]!;
      let minV = this.minV[i]!;
      let maxV = this.maxV[i]!;
      let zeros = 0;
      for (let b = 0, at = start + i, slot = row0 + i; b < count; b++, at += stride, slot += size) {
        const v = values[at]!;
        const t = sum + v;
        sumC += Math.abs(sum) >= Math.abs(v) ? sum - t + v : v - t + sum;
        sum = t;
        const v2 = v * v;
        const u = sumSq + v2;
        sumSqC += sumSq >= v2 ? sumSq - u + v2 : v2 - u + sumSq;
        sumSq = u;
        if (v < minV) minV = v;
        if (v > maxV) maxV = v;
        if (v > 0) {
          f64[0] = v;
          pending[slot] = u32[HI]! >>> shift;
        } else {
          zeros++;
          pending[slot] = -1;
        }
      }
      this.n[i]! += count;
      this.zeros[i]! += zeros;
      this.sum[i] = sum;
      this.sumC[i] = sumC;
      this.sumSq[i] = sumSq;
      this.sumSqC[i] = sumSqC;
      this.minV[i] = minV;
      this.maxV[i] = maxV;
    }
    this.nPending += count;
  }

  /**
   * Room for `count` (≤ PENDING) more slots: the buffer doubles from PENDING_FIRST until it holds PENDING slots (a
   * little more if a batch needs it), after which a full buffer is folded.
   */
  private room(count: number): void {
    if (this.nPending + count <= this.slots) return;
    if (this.slots >= PENDING) return this.fold();
    let slots = Math.max(PENDING_FIRST, this.slots * 2);
    while (slots < this.nPending + count) slots *= 2;
    const next = new Int32Array(slots * this.size);
    next.set(this.pending.subarray(0, this.nPending * this.size));
    this.pending = next;
    this.slots = slots;
  }

  /** Count the pending keys into the bins: each sketch's bins first grow once to its keys' range. */
  private fold(): void {
    const np = this.nPending;
    if (np === 0) return;
    const size = this.size;
    const keys = this.pending;
    const lo = new Int32Array(size).fill(0x7fffffff);
    const hi = new Int32Array(size).fill(-1);
    for (let j = 0, row = 0; j < np; j++, row += size) {
      for (let i = 0; i < size; i++) {
        const k = keys[row + i]!;
        if (k < 0) continue;
        if (k < lo[i]!) lo[i] = k;
        if (k > hi[i]!) hi[i] = k;
      }
    }
    for (let i = 0; i < size; i++) if (hi[i]! >= 0) this.resize(i, lo[i]!, hi[i]!);
    const bins = this.bins;
    const offset = this.offset;
    for (let j = 0, row = 0; j < np; j++, row += size) {
      for (let i = 0; i < size; i++) {
        const k = keys[row + i]!;
        if (k >= 0) bins[i]![k - offset[i]!]!++;
      }
    }
    this.nPending = 0;
  }

  /** make room in sketch i for keys lo..hi (nothing to do when they already have bins) */
  private resize(i: number, lo: number, hi: number): void {
    const bins = this.bins[i]!;
    const len = bins.length;
    const offset = this.offset[i]!;
    if (len > 0 && lo >= offset && hi < offset + len) return;
    // room on each side for values not yet seen: a quarter of the range at first (and at least 64 bins); then at least
    // half the current size each time, so wide-ranging sketches are not copied over and over
    const pad = len === 0 ? Math.max(64, (hi - lo) >> 2) : Math.max(256, len >> 1);
    const from = len === 0 ? lo - pad : Math.min(offset, lo < offset ? lo - pad : lo);
    const to = len === 0 ? hi + pad + 1 : Math.max(offset + len, hi >= offset + len ? hi + pad + 1 : hi + 1);
    const next = new Uint32Array(to - from);
    if (len > 0) next.set(bins, offset - from);
    this.bins[i] = next;
    this.offset[i] = from;
  }

  private valueOf(k: number): number {
    const shift = this.shift;
    u32[HI] = ((k << shift) | (1 << (shift - 1))) >>> 0; // the bucket's midpoint
    u32[LO] = 0;
    return f64[0]!;
  }

  count(i: number): number {
    return this.n[i]!;
  }

  mean(i: number): number {
    const n = this.n[i]!;
    return n ? (this.sum[i]! + this.sumC[i]!) / n : 0;
  }

  sd(i: number): number {
    const n = this.n[i]!;
    if (n < 2) return 0;
    const m = (this.sum[i]! + this.sumC[i]!) / n;
    return Math.sqrt(Math.max(0, (this.sumSq[i]! + this.sumSqC[i]! - n * m * m) / (n - 1)));
  }

  /** Sketch i's quantiles at levels `ps` (ascending), in one pass over its bins. */
  quantiles(i: number, ps: readonly number[]): number[] {
    const out = ps.map(() => 0);
    const n = this.n[i]!;
    if (n === 0) return out;
    if (this.nPending > 0) this.fold();
    const zeros = this.zeros[i]!;
    const bins = this.bins[i]!;
    const offset = this.offset[i]!;
    const minV = this.minV[i]!;
    const maxV = this.maxV[i]!;
    let level = 0;
    while (level < ps.length && rank(ps[level]!, n) <= zeros) level++;
    let cum = zeros;
    for (let b = 0; b < bins.length && level < ps.length; b++) {
      const c = bins[b]!;
      if (c === 0) continue;
      cum += c;
      if (cum < rank(ps[level]!, n)) continue;
      const v = Math.min(maxV, Math.max(minV, this.valueOf(b + offset)));
      while (level < ps.length && cum >= rank(ps[level]!, n)) out[level++] = v;
    }
    while (level < ps.length) out[level++] = maxV;
    return out;
  }

  scalar(i: number): ScalarQuantiles {
    const out = { mean: this.mean(i), sd: this.sd(i) } as ScalarQuantiles;
    const q = this.quantiles(i, LEVEL_PS);
    LEVELS.forEach(([name], j) => (out[name] = q[j]!));
    return out;
  }

  /** Sketch i as plain data. */
  toState(i: number): LogSketchState {
    if (this.nPending > 0) this.fold();
    const bins = this.bins[i]!;
    const n = this.n[i]!;
    let lo = 0;
    let hi = bins.length - 1;
    while (lo <= hi && bins[lo] === 0) lo++;
    while (hi >= lo && bins[hi] === 0) hi--;
    return {
      n,
      sum: this.sum[i]!,
      sumC: this.sumC[i]!,
      sumSq: this.sumSq[i]!,
      sumSqC: this.sumSqC[i]!,
      min: n ? this.minV[i]! : null,
      max: n ? this.maxV[i]! : null,
      zeros: this.zeros[i]!,
      ...(this.shift === SKETCH_FINE ? {} : { shift: this.shift }),
      offset: this.offset[i]! + lo,
      bins: lo > hi ? [] : packCounts(bins, lo, hi + 1),
    };
  }

  /**
   * Add another sketch's values (a shard's) to sketch i. Bins, counts, zeros, minimum and maximum add exactly, so
   * every quantile is the one a single sketch of all the values gives; the sums are compensated, so the mean agrees to
   * a unit or two in the last place (and the SD to rounding), not always bit for bit.
   */
  merge(i: number, s: LogSketchState): void {
    if ((s.shift ?? SKETCH_FINE) !== this.shift)
      throw new Error(`cannot merge a sketch of accuracy ${s.shift ?? SKETCH_FINE} into one of ${this.shift}`);
    if (s.n === 0) return;
    if (this.nPending > 0) this.fold();
    this.n[i]! += s.n;
    const a = this.sum[i]!;
    const t = a + s.sum;
    this.sumC[i]! += (Math.abs(a) >= Math.abs(s.sum) ? a - t + s.sum : s.sum - t + a) + s.sumC;
    this.sum[i] = t;
    const b = this.sumSq[i]!;
    const u = b + s.sumSq;
    this.sumSqC[i]! += (b >= s.sumSq ? b - u + s.sumSq : s.sumSq - u + b) + s.sumSqC;
    this.sumSq[i] = u;
    this.zeros[i]! += s.zeros;
    if (s.min !== null && s.min < this.minV[i]!) this.minV[i] = s.min;
    if (s.max !== null && s.max > this.maxV[i]!) this.maxV[i] = s.max;
    if (s.bins.length === 0) return;
    this.resize(i, s.offset, s.offset + packedLength(s.bins, 0) - 1);
    addPacked(this.bins[i]!, s.offset - this.offset[i]!, s.bins, 0);
  }
}

/** One sketch (a bank of one). */
export class LogSketch {
  private readonly bank: SketchBank;

  constructor(shift: number = SKETCH_FINE) {
    this.bank = new SketchBank(1, shift);
  }

  get shift(): number {
    return this.bank.shift;
  }
  add(v: number): void {
    this.bank.add(0, v);
  }
  /** add(values[start + i × stride]) for i < count, in that order (so sums are bit-identical to single adds). */
  addStrided(values: Float64Array, start: number, stride: number, count: number): void {
    this.bank.addRuns(values, start, stride, count);
  }
  get count(): number {
    return this.bank.count(0);
  }
  get mean(): number {
    return this.bank.mean(0);
  }
  get sd(): number {
    return this.bank.sd(0);
  }
  quantile(p: number): number {
    return this.bank.quantiles(0, [p])[0]!;
  }
  /** The quantiles at levels `ps` (ascending), in one pass over the bins. */
  quantiles(ps: readonly number[]): number[] {
    return this.bank.quantiles(0, ps);
  }
  scalar(): ScalarQuantiles {
    return this.bank.scalar(0);
  }
  /** The sketch as plain data (JSON-safe: bins from the lowest to the highest non-empty one; no infinities). */
  toState(): LogSketchState {
    return this.bank.toState(0);
  }
  /** Add another sketch's values (a shard's): see SketchBank.merge. */
  merge(other: LogSketchState | LogSketch): void {
    this.bank.merge(0, other instanceof LogSketch ? other.toState() : other);
  }
}

/** One sketch per month (a bank of `months`). */
export class SketchSeries {
  private readonly bank: SketchBank;

  constructor(months: number, shift: number = SKETCH_FINE) {
    this.bank = new SketchBank(months, shift);
  }
  get months(): number {
    return this.bank.size;
  }
  add(month: number, v: number): void {
    this.bank.add(month, v);
  }
  /** A batch of runs: run b's value for month m is values[start + b × stride + m] (see CountSeries.addRuns). */
  addRuns(values: Float64Array, start: number, stride: number, runs: number): void {
    this.bank.addRuns(values, start, stride, runs);
  }
  toState(): LogSketchState[] {
    return Array.from({ length: this.bank.size }, (_, m) => this.bank.toState(m));
  }
  /** Add another series' values month by month (see SketchBank.merge). */
  merge(other: readonly LogSketchState[] | SketchSeries): void {
    const states = other instanceof SketchSeries ? other.toState() : other;
    if (states.length !== this.bank.size)
      throw new Error(`cannot merge a ${states.length}-month series into a ${this.bank.size}-month one`);
    states.forEach((s, m) => this.bank.merge(m, s));
  }
  summary(): Quantiles {
    const out = emptyQuantiles();
    for (let m = 0; m < this.bank.size; m++) {
      out.mean.push(this.bank.mean(m));
      const q = this.bank.quantiles(m, LEVEL_PS);
      LEVELS.forEach(([name], j) => out[name].push(q[j]!));
    }
    return out;
  }
}
