/**
 * A quantile sketch for values of either sign (a saving that can be negative): two LogSketches, one for the positive
 * values and one for the magnitudes of the negative ones, read together by rank. Same accuracy as LogSketch (0.025%
 * relative), same memory bound, and it merges like its two halves.
 */
import type { ScalarQuantiles } from '../result.js';
import { LogSketch, QUANTILE_LEVELS } from '../summary.js';

const rank = (p: number, n: number): number => Math.max(1, Math.ceil(p * n - 1e-9));

export class SignedSketch {
  readonly pos = new LogSketch();
  readonly neg = new LogSketch();

  add(v: number): void {
    if (v < 0) this.neg.add(-v);
    else this.pos.add(v);
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
