/**
 * Seeded randomness. The engine never calls Math.random: every draw comes from a small counter-based generator
 * (mulberry32) whose 32-bit state lives in a typed array, one state per child and one per run-level purpose.
 * Keying each child's stream by (seed, run, child serial) is what gives common random numbers across variants:
 * the same child meets the same uniforms in every variant until the variants make its path differ.
 */

/** 32-bit avalanche hash (murmur3 finaliser). */
export function mix32(x: number): number {
  x = x | 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x | 0;
}

/** A stream seed from a parent seed and an index (different indices give unrelated streams). */
export function streamSeed(parent: number, index: number): number {
  return mix32(mix32(parent) ^ Math.imul(index + 1, 0x9e3779b9));
}

/** streamSeed(parent, index) given mix32(parent): for many children under one parent, the parent is mixed once. */
export function childSeed(mixedParent: number, index: number): number {
  return mix32(mixedParent ^ Math.imul(index + 1, 0x9e3779b9));
}

/** Uniform in the open interval (0, 1) from the stream at `states[i]`, advancing it (mulberry32). */
export function uniform(states: Int32Array, i: number): number {
  const s = (states[i]! + 0x6d2b79f5) | 0;
  states[i] = s;
  let t = Math.imul(s ^ (s >>> 15), 1 | s);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return (((t ^ (t >>> 14)) >>> 0) + 0.5) / 4294967296;
}

/** A single generator object, for code outside the hot loop (tests, demo data, parameter draws). */
export class Rng {
  private readonly state = new Int32Array(1);
  constructor(seed: number) {
    this.state[0] = mix32(seed);
  }
  next(): number {
    return uniform(this.state, 0);
  }
  int(n: number): number {
    return Math.min(n - 1, Math.floor(this.next() * n));
  }
  normal(): number {
    // Box–Muller; one of the pair is discarded to keep the stream simple
    const u1 = this.next();
    const u2 = this.next();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }
  /** Gamma(shape, 1) by Marsaglia–Tsang (shape < 1 boosted). */
  gamma(shape: number): number {
    if (shape <= 0) return 0;
    if (shape < 1) return this.gamma(shape + 1) * this.next() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = this.normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = this.next();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
    }
  }
  poisson(mean: number): number {
    return poissonInverse(mean, this.next());
  }
}

/** Poisson(mean) by inversion from one uniform (one draw per call keeps streams aligned across variants). */
export function poissonInverse(mean: number, u: number): number {
  if (mean <= 0) return 0;
  if (mean > 500) {
    // normal approximation with continuity correction; only for absurdly large inputs
    const z = normalQuantile(u);
    return Math.max(0, Math.round(mean + Math.sqrt(mean) * z));
  }
  let k = 0;
  let p = Math.exp(-mean);
  let cdf = p;
  while (u > cdf && k < 10000) {
    k++;
    p *= mean / k;
    cdf += p;
    if (p < 1e-300 && cdf >= 1 - 1e-15) break;
  }
  return k;
}

/**
 * Precomputed Poisson CDF for a fixed mean: inversion by table lookup in the hot loop. `reset` refills the same table
 * for a new mean (an input drawn per run) without allocating.
 */
export class PoissonTable {
  private cdf = new Float64Array(32);
  private n = 0;
  mean = 0;
  constructor(mean: number) {
    this.reset(mean);
  }
  reset(mean: number): void {
    this.mean = mean;
    this.n = 0;
    // room for the whole table at once (it reaches about mean + 8√mean + 8 before the cdf rounds to 1)
    const need = Math.ceil(mean + 10 * Math.sqrt(mean) + 16);
    if (mean <= 500 && this.cdf.length < need) this.cdf = new Float64Array(need);
    if (mean > 0 && mean <= 500) {
      let p = Math.exp(-mean);
      let c = p;
      this.push(c);
      for (let k = 1; c < 1 - 1e-14 && k < 5000; k++) {
        p *= mean / k;
        c += p;
        this.push(c);
      }
    }
  }
  private push(c: number): void {
    if (this.n === this.cdf.length) {
      const grown = new Float64Array(this.cdf.length * 2);
      grown.set(this.cdf);
      this.cdf = grown;
    }
    this.cdf[this.n++] = c;
  }
  sample(u: number): number {
    if (this.mean <= 0) return 0;
    if (this.mean > 500) return poissonInverse(this.mean, u);
    const cdf = this.cdf;
    let k = 0;
    const n = this.n;
    while (k < n && u > cdf[k]!) k++;
    return k;
  }
}

/** Binomial(n, p) by inversion from one uniform (n and p small here: household losses, step-across). */
export function binomialInverse(n: number, p: number, u: number): number {
  if (n <= 0 || p <= 0) return 0;
  if (p >= 1) return n;
  const q = 1 - p;
  let prob = Math.exp(n * Math.log1p(-p));
  if (prob < 1e-300) {
    const mean = n * p;
    const z = normalQuantile(u);
    return Math.min(n, Math.max(0, Math.round(mean + Math.sqrt(mean * q) * z)));
  }
  let cdf = prob;
  let k = 0;
  const ratio = p / q;
  while (u > cdf && k < n) {
    prob *= ((n - k) / (k + 1)) * ratio;
    k++;
    cdf += prob;
  }
  return k;
}

// Acklam's coefficients, once (as literals inside the function they were arrays allocated on every call)
const NQ_A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
] as const;
const NQ_B = [
  -5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1,
] as const;
const NQ_C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
] as const;
const NQ_D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416] as const;

/** Inverse of the standard normal CDF (Acklam's rational approximation, |error| < 1.2e-9). */
export function normalQuantile(p: number): number {
  const a = NQ_A;
  const b = NQ_B;
  const c = NQ_C;
  const d = NQ_D;
  const pl = 0.02425;
  if (p < pl) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (
      (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  if (p > 1 - pl) {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    return (
      -(((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
      ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1)
    );
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

/** Triangular(min, mode, max) by inversion from one uniform. */
export function triangularInverse(min: number, mode: number, max: number, u: number): number {
  const span = max - min;
  const f = (mode - min) / span;
  return u < f ? min + Math.sqrt(u * span * (mode - min)) : max - Math.sqrt((1 - u) * span * (max - mode));
}

/**
 * Walker's alias table: a draw from a fixed discrete distribution in O(1) from one uniform
 * (its integer part picks a column, its fractional part chooses between the column and its alias).
 */
export class AliasTable {
  readonly prob: Float64Array;
  readonly alias: Int32Array;
  readonly n: number;
  /** work space: the scaled weights and the two stacks of columns (small: < 1, large: ≥ 1) */
  private readonly scaled: Float64Array;
  private readonly small: Int32Array;
  private readonly large: Int32Array;
  constructor(weights: ArrayLike<number>) {
    const n = weights.length;
    this.n = n;
    this.prob = new Float64Array(n);
    this.alias = new Int32Array(n);
    this.scaled = new Float64Array(n);
    this.small = new Int32Array(n);
    this.large = new Int32Array(n);
    this.reset(weights);
  }

  /** The table of new weights (as many as before), in place. */
  reset(weights: ArrayLike<number>): void {
    const n = this.n;
    if (weights.length !== n) throw new Error(`an alias table of ${n} columns cannot take ${weights.length} weights`);
    const { prob, alias, scaled, small, large } = this;
    prob.fill(0);
    alias.fill(0);
    let total = 0;
    for (let i = 0; i < n; i++) total += weights[i]!;
    if (n === 0 || total <= 0) return;
    let ns = 0;
    let nl = 0;
    for (let i = 0; i < n; i++) {
      const v = (weights[i]! * n) / total;
      scaled[i] = v;
      if (v < 1) small[ns++] = i;
      else large[nl++] = i;
    }
    while (ns > 0 && nl > 0) {
      const s = small[--ns]!;
      const l = large[--nl]!;
      prob[s] = scaled[s]!;
      alias[s] = l;
      scaled[l] = scaled[l]! + scaled[s]! - 1;
      if (scaled[l]! < 1) small[ns++] = l;
      else large[nl++] = l;
    }
    for (let k = 0; k < nl; k++) {
      const i = large[k]!;
      prob[i] = 1;
      alias[i] = i;
    }
    for (let k = 0; k < ns; k++) {
      // only rounding leaves a column here
      const i = small[k]!;
      prob[i] = 1;
      alias[i] = i;
    }
  }
  sample(u: number): number {
    const x = u * this.n;
    const i = Math.min(this.n - 1, Math.floor(x));
    return x - i < this.prob[i]! ? i : this.alias[i]!;
  }
}

/**
 * Binomial(n, p) by inversion for a fixed p, with (1 − p)^n from a table (no pow per draw). Each entry is computed
 * the first time an n needs it (NaN until then), so a table made per run (an input drawn per run) costs a few exp()
 * calls, not a whole table; the values are the same as a table filled at once.
 */
export class BinomialTable {
  private pow0 = new Float64Array(0);
  private ratio = 0;
  private log1mp = 0;
  p = 0;
  constructor(p: number) {
    this.reset(p);
  }
  /** A new p (an input drawn per run): the table is emptied, not reallocated. */
  reset(p: number): void {
    this.p = p;
    this.ratio = p / (1 - p);
    this.log1mp = Math.log1p(-p);
    this.pow0.fill(Number.NaN);
  }
  sample(n: number, u: number): number {
    const p = this.p;
    if (n <= 0 || p <= 0) return 0;
    if (p >= 1) return n;
    if (n >= 4096) return binomialInverse(n, p, u);
    if (n >= this.pow0.length) {
      const size = Math.max(256, this.pow0.length * 2, n + 1);
      const grown = new Float64Array(size).fill(Number.NaN);
      grown.set(this.pow0);
      this.pow0 = grown;
    }
    let prob = this.pow0[n]!;
    if (Number.isNaN(prob)) {
      prob = Math.exp(n * this.log1mp);
      this.pow0[n] = prob;
    }
    if (prob < 1e-300) return binomialInverse(n, p, u);
    let cdf = prob;
    let k = 0;
    const ratio = this.ratio;
    while (u > cdf && k < n) {
      prob *= ((n - k) / (k + 1)) * ratio;
      k++;
      cdf += prob;
    }
    return k;
  }
}
