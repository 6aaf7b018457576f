/**
 * A quantile sketch for values of either sign (a saving that can be negative; a year's cost net of the UASC grant,
 * which is below zero when the grant is more than the placements cost): two LogSketches, one for the positive values
 * and one for the magnitudes of the negative ones, read together by rank. Same accuracy as LogSketch (0.025%
 * relative), same memory bound, and it merges like its two halves. (A LogSketch alone reads every negative value as
 * 0: a net cost of −£27,339 would show a median of £0.)
 */
import type { ScalarQuantiles } from './result.js';
import { LogSketch, type LogSketchState, QUANTILE_LEVELS } from './summary.js';

/** A SignedSketch as plain data: its two halves. */
export interface SignedSketchState {
  pos: LogSketchState;
  neg: LogSketchState;
}

const rank = (p: number, n: number): number => Math.max(1, Math.ceil(p * n - 1e-9));

export class SignedSketch {
  readonly pos = new LogSketch();
  readonly neg = new LogSketch();

  add(v: number): void {
    if (v < 0) this.neg.add(-v);
    else this.pos.add(v);
  }

  /** add(values[start + i × stride]) for i < count, in that order */
  addStrided(values: Float64Array, start: number, stride: number, count: number): void {
    for (let i = 0, at = start; i < count; i++, at += stride) this.add(values[at]!);
  }

  toState(): SignedSketchState {
    return { pos: this.pos.toState(), neg: this.neg.toState() };
  }

  /** Add another sketch's values (a shard's). */
  merge(other: SignedSketchState): void {
    this.pos.merge(other.pos);
    this.neg.merge(other.neg);
  }

  get count(): number {
    return this.pos.count + this.neg.count;
  }

  get mean(): number {
    const n = this.count;
    return n ? (this.pos.mean * this.pos.count - this.neg.mean * this.neg.count) / n : 0;
  }

  get sd(): number {
    const n = this.count;
    if (n < 2) return 0;
    // Σv² of each half from its mean and SD, then the pooled variance about the overall mean
    const sumSq = (s: LogSketch): number => (s.count > 1 ? s.sd ** 2 * (s.count - 1) : 0) + s.count * s.mean ** 2;
    const m = this.mean;
    return Math.sqrt(Math.max(0, (sumSq(this.pos) + sumSq(this.neg) - n * m * m) / (n - 1)));
  }

  quantile(p: number): number {
    const n = this.count;
    if (n === 0) return 0;
    const target = rank(p, n);
    const nNeg = this.neg.count;
    if (target <= nNeg) {
      // the target-th smallest value is minus the (nNeg − target + 1)-th smallest magnitude
      const k = nNeg - target + 1;
      return -this.neg.quantile((k - 0.5) / nNeg);
    }
    const k = target - nNeg;
    return this.pos.quantile((k - 0.5) / this.pos.count);
  }

  scalar(): ScalarQuantiles {
    const out = { mean: this.mean, sd: this.sd } as ScalarQuantiles;
    for (const [name, p] of Object.entries(QUANTILE_LEVELS) as [keyof typeof QUANTILE_LEVELS, number][])
      out[name] = this.quantile(p);
    return out;
  }
}
