/**
 * The least work any engine with the semantics must do on a scenario, as a loop to time beside the engine:
 * a lower bound on the engine's cost, so the bench can say how far the engine is from what its design allows.
 *
 * Per child: its entry (a cell and an age for an entrant), one waiting time per event drawn through the survival
 * table (the geometric wait of the monthly chain, exactly as the engine does), a slot in a bucket queue; per event
 * one categorical draw of the outcome; leaving at 18. It keeps only the counts by category. It leaves out everything
 * else the engine must do: costs and their spells, carer capacity and overflow, UASC, per-child random streams
 * (common random numbers across variants), and every summary. One generator for the whole run.
 */
import { uncertainMean } from '../models/uncertain.js';
import {
  AGE_BANDS,
  AGE_BAND_COUNT,
  BAND_START_MONTHS,
  CARE_LEAVING_AGE_MONTHS,
  CATEGORIES,
  CATEGORY_COUNT,
  ageBandIndex,
  bandEndMonths,
  categoryIndex,
} from '../models/placement.js';
import { AliasTable, PoissonTable, mix32 } from '../models/random.js';
import type { Scenario } from '../models/scenario.js';

const NC = CATEGORY_COUNT;
const NB = AGE_BAND_COUNT;
const SURV = 73;
const GUIDE = 128;
const OUT = NC + 1;
const LEAVE = 1 << 30;

/** Runs the floor loop; returns its seconds and the child-months it simulated (end-of-month counts summed). */
export function floorLoop(s: Scenario, runs: number): { seconds: number; childMonths: number } {
  const H = s.horizonMonths;
  const q = new Float64Array(NB * NC);
  const outCum = new Float64Array(NB * NC * OUT).fill(1);
  const entry = new Float64Array(NB * NC);
  AGE_BANDS.forEach((band, b) =>
    CATEGORIES.forEach((cat, c) => {
      const cell = b * NC + c;
      const exit = s.parameters.exitProbability[band]?.[cat] ?? 0;
      const moves = CATEGORIES.map((to) => (to === cat ? 0 : (s.parameters.moveProbability[band]?.[cat]?.[to] ?? 0)));
      const total = Math.min(1, exit + moves.reduce((a, v) => a + v, 0));
      q[cell] = total;
      let acc = 0;
      [exit, ...moves].forEach(
        (p, slot) => (outCum[cell * OUT + slot] = total > 0 ? Math.min(1, (acc += p / total)) : 1),
      );
      outCum[cell * OUT + OUT - 1] = 1;
      entry[cell] = (s.parameters.entriesPerMonth[band]?.[cat] ?? 0) * uncertainMean(s.entries.multiplier);
    }),
  );
  const survival = new Float64Array(NB * NC * SURV);
  const guide = new Uint8Array(NB * NC * GUIDE);
  for (let cell = 0; cell < NB * NC; cell++) {
    for (let n = 0, sv = 1; n < SURV; n++, sv *= 1 - q[cell]!) survival[cell * SURV + n] = sv;
    for (let j = GUIDE - 1, n = 1; j >= 0; j--) {
      while (n < SURV - 1 && survival[cell * SURV + n]! > (j + 1) / GUIDE) n++;
      guide[cell * GUIDE + j] = n;
    }
  }
  const alias = new AliasTable(entry);
  const entries = new PoissonTable(entry.reduce((a, v) => a + v, 0));
  const bandOfAge = Uint8Array.from({ length: CARE_LEAVING_AGE_MONTHS }, (_, a) => ageBandIndex(a));
  const bandEnd = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b));
  const initAge = Int32Array.from(s.initial.flatMap((c) => Array<number>(c.count).fill(c.ageMonths)));
  const initCat = Uint8Array.from(s.initial.flatMap((c) => Array<number>(c.count).fill(categoryIndex[c.category])));

  let cap = 4096;
  let birth = new Int32Array(cap);
  let cat = new Uint8Array(cap);
  let free = new Int32Array(cap);
  const queue = Array.from({ length: H }, () => new Int32Array(256));
  const queueLen = new Int32Array(H);
  const counts = new Int32Array(NC);
  const rs = new Int32Array(1); // the run's generator (mulberry32, as models/random.ts)
  const next = (): number => {
    const x0 = (rs[0]! + 0x6d2b79f5) | 0;
    rs[0] = x0;
    let x = Math.imul(x0 ^ (x0 >>> 15), 1 | x0);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
  };
  const push = (c: number, t: number): void => {
    let qt = queue[t]!;
    const n = queueLen[t]!;
    if (n === qt.length) {
      const b = new Int32Array(n * 2);
      b.set(qt);
      queue[t] = qt = b;
    }
    qt[n] = c;
    queueLen[t] = n + 1;
  };
  // the next event from month t0 (as the engine's schedule): one uniform, walked through the survival table band by band
  const schedule = (c: number, t0: number): void => {
    const b0 = birth[c]!;
    const leaveT = b0 + CARE_LEAVING_AGE_MONTHS - 1;
    const lastT = leaveT < H - 1 ? leaveT : H - 1;
    let band = bandOfAge[t0 - b0]!;
    let cell = band * NC + cat[c]!;
    let t = t0;
    const u = next();
    let alive = 1;
    while (t <= lastT) {
      const bandLast = b0 + bandEnd[band]! - 1;
      const segEnd = bandLast < lastT ? bandLast : lastT;
      const n = segEnd - t + 1;
      const base = cell * SURV;
      const target = u / alive;
      if (survival[base + n]! <= target) {
        let j = (target * GUIDE) | 0;
        if (j >= GUIDE) j = GUIDE - 1;
        let k = guide[cell * GUIDE + j]!;
        while (survival[base + k]! > target) k++;
        push(c, t + k - 1);
        return;
      }
      alive *= survival[base + n]!;
      t = segEnd + 1;
      band++;
      cell += NC;
    }
    if (leaveT < H) push(c | LEAVE, leaveT);
  };

  let childMonths = 0;
  const start = process.hrtime.bigint();
  for (let r = 0; r < runs; r++) {
    rs[0] = mix32(s.seed ^ Math.imul(r + 1, 0x9e3779b9));
    queueLen.fill(0);
    counts.fill(0);
    let top = 0;
    let freeTop = 0;
    for (let i = 0; i < initAge.length; i++) {
      const c = top++;
      birth[c] = -initAge[i]!;
      cat[c] = initCat[i]!;
      counts[initCat[i]!]!++;
      schedule(c, 0);
    }
    for (let t = 0; t < H; t++) {
      const qt = queue[t]!;
      for (let i = queueLen[t]! - 1; i >= 0; i--) {
        const e = qt[i]!;
        const c = e & (LEAVE - 1);
        const k = cat[c]!;
        counts[k]!--;
        const u = next();
        const ob = (bandOfAge[t - birth[c]!]! * NC + k) * OUT;
        let o = 0;
        for (let slot = 0; slot < OUT - 1; slot++) o += +(u > outCum[ob + slot]!);
        if (e & LEAVE || o === 0 || t - birth[c]! === CARE_LEAVING_AGE_MONTHS - 1) {
          free[freeTop++] = c;
          continue;
        }
        cat[c] = o - 1;
        counts[o - 1]!++;
        schedule(c, t + 1);
      }
      const n = entries.sample(next());
      for (let e = 0; e < n; e++) {
        if (freeTop === 0 && top === cap) {
          cap *= 2;
          const grow = <T extends Int32Array | Uint8Array>(a: T, C: new (n: number) => T): T => {
            const b = new C(cap);
            b.set(a);
            return b;
          };
          birth = grow(birth, Int32Array);
          cat = grow(cat, Uint8Array);
          free = grow(free, Int32Array);
        }
        const c = freeTop > 0 ? free[--freeTop]! : top++;
        const cell = alias.sample(next());
        const band = (cell / NC) | 0;
        const width = bandEnd[band]! - BAND_START_MONTHS[band]!;
        birth[c] = t + 1 - (BAND_START_MONTHS[band]! + ((next() * width) | 0));
        cat[c] = cell - band * NC;
        counts[cat[c]!]!++;
        schedule(c, t + 1);
      }
      for (let k = 0; k < NC; k++) childMonths += counts[k]!;
    }
  }
  return { seconds: Number(process.hrtime.bigint() - start) / 1e9, childMonths };
}
