/**
 * The Monte Carlo forecast engine.
 *
 * Semantics (the README states them too; tests pin them). Monthly steps; in month t:
 *  0. Capacity (when not null): households join Poisson(recruitmentPerYear/12) and leave
 *     Binomial(households, householdLossPerYear/12); in-house places = floor(households × placesPerHousehold).
 *  1. Every child in care at the start of the month, in its age band at the start of the month, makes one categorical
 *     draw: exit with exitProbability, move to j with moveProbability[..][j], else stay. Moves into in-house fostering
 *     are resolved after the month's exits and other moves: with no free place the child goes to agency fostering with
 *     probability agencyAvailability, else to residential, and counts as overflow.
 *  2. The child ages one month; at 216 months (18) it leaves care.
 *  3. Non-UASC entrants arrive: Poisson(entriesPerMonth[band][category] × entries.multiplier), each with an age drawn
 *     uniformly over the months of its band (its age at the end of the month). They are in the end-of-month count and
 *     face no exit that month. An entrant into in-house fostering with no free place overflows as in step 1.
 *  4. Capacity: when places are below occupancy the excess children (chosen at random) move to agency fostering; when
 *     places are free, each agency-fostered child moves in-house with stepAcrossProbability (up to the free places).
 *  5. UASC: threshold(t) = round(rate in force on the month's last day × child population). Spontaneous arrivals always
 *     arrive, except that from 24 August 2022 those that would take the count above the threshold are referred on;
 *     then NTS transfers arrive only while the UASC count is below the threshold and never take it above.
 *  6. A child in a placement at the end of the month is charged for the whole month: weekly cost × days / 7, at prices
 *     of the financial year containing costs.priceBase, × (1 + inflation) for each later financial year. A cost given
 *     as {min, mode, max} is triangular, drawn once per placement spell and kept while the spell lasts.
 *
 * How it is fast: the monthly categorical draw of step 1 is never simulated month by month. A child whose exit-or-move
 * hazard is q per month waits a Geometric(q) number of months (one uniform), so each child costs a draw only when
 * something happens to it: an exit, a move, a new age band (hazards change), or its 18th birthday. Events sit in a
 * bucket queue by month. Summaries go into histograms and sketches whose size does not grow with the number of runs.
 *
 * Common random numbers: each child has its own random stream keyed by (seed, run, child serial) — initial children by
 * position, entrants by (month, order of arrival) — and run-level events (households, entries, UASC, capacity choices)
 * have their own streams. Two scenarios run with the same seed meet the same randomness wherever their paths agree.
 */
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
  type Category,
} from './placement.js';
import { financialYearLabel, financialYearStart, monthEndDate, monthFromIndex, monthIndex } from './calendar.js';
import { isTriangular, monthlyChargePerWeeklyPound, weeklyCostMean } from './costs.js';
import { AliasTable, BinomialTable, PoissonTable, Rng, childSeed, mix32, streamSeed, uniform } from './random.js';
import type { Scenario } from './scenario.js';
import type { FinancialYearCost, ForecastResult, Quantiles, ScalarQuantiles, Series } from './result.js';
import { CountSeries, LogSketch, SketchSeries } from './summary.js';
import { childPopulationAt, rateInForce, referralRuleApplies, uascThreshold } from './uasc.js';

export interface SimulateOptions {
  /** called about 100 times over a simulation */
  onProgress?: (runsDone: number, runs: number) => void;
  /** keep per-run totals (FY costs, horizon counts) so variants can be paired run by run */
  collectRunTotals?: boolean;
  /** polled with the progress callback; true stops the simulation with SimulationCancelled */
  shouldCancel?: () => boolean;
  /** called at the end of every month of every run (tests and diagnostics; slows the engine) */
  onMonthEnd?: (run: number, month: number, state: MonthEndState) => void;
}

/** The end-of-month state of one run, as seen by `onMonthEnd`. The arrays are reused: copy what you keep. */
export interface MonthEndState {
  counts: Int32Array; // by category, in CATEGORIES order
  places: number;
  households: number;
  overflow: number;
  uascCount: number;
  uascThreshold: number;
  transfers: number;
  spontaneous: number;
  referredOn: number;
  monthCost: number;
}

export class SimulationCancelled extends Error {
  constructor() {
    super('simulation cancelled');
    this.name = 'SimulationCancelled';
  }
}

const NC = CATEGORY_COUNT;
const NB = AGE_BAND_COUNT;
const IN_HOUSE = categoryIndex.inHouseFoster;
const AGENCY = categoryIndex.agencyFoster;
const RESIDENTIAL = categoryIndex.residential;
const LAST_MONTH_IN_CARE = CARE_LEAVING_AGE_MONTHS - 1; // age 215 at the start of a month: leaves at its end

// A queue entry is (child << 1) | kind; a cancelled entry is -1.
const KIND_TRANSITION = 0;
const KIND_LEAVE = 1;

// Stream index spaces under a run seed: initial children 0..; entrants and UASC arrivals above ENTRANT_BASE;
// run-level streams above RUN_STREAM_BASE.
const ENTRANT_BASE = 1 << 24;
const MONTH_SLOTS = 1 << 13; // up to 4,096 entrants and 4,096 UASC arrivals a month
const UASC_OFFSET = 1 << 12;
const RUN_STREAM_BASE = 1 << 30;
const S_HOUSEHOLDS = 0;
const S_ENTRIES = 1;
const S_UASC = 2;
const S_CAPACITY = 3;
const S_PARAMS = 4;

const BAND_OF_AGE = Uint8Array.from({ length: CARE_LEAVING_AGE_MONTHS }, (_, a) => ageBandIndex(a));
const BAND_END = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b));
const BAND_WIDTH = Int32Array.from({ length: NB }, (_, b) => bandEndMonths(b) - BAND_START_MONTHS[b]!);
const BAND_OF_CELL = Uint8Array.from({ length: NB * NC }, (_, cell) => Math.floor(cell / NC));
/** runs recorded per flush of the summary buffers (see `flush` in simulate) */
const RECORD_BATCH = 16;
/** survival table length: one more than the widest band (72 months) */
const SURV = 73;
/** outcome slots of an event: exit, then a move to each category */
const OUT = NC + 1;
/** slices of (0, 1) in the waiting-time guide table */
const GUIDE = 128;

/** The rates of one run in flat arrays: cell = band × NC + category. */
interface Rates {
  exit: Float64Array; // NB*NC
  move: Float64Array; // NB*NC*NC
  entry: Float64Array; // NB*NC (per month, multiplier applied)
}

interface RateTables {
  q: Float64Array;
  /** survival[cell * SURV + n] = (1 − q)^n: the chance of no event in n months in this cell */
  survival: Float64Array;
  /** guide[cell * GUIDE + j]: the first n ≥ 1 with survival(n) ≤ (j + 1) / GUIDE (a first guess at the waiting time) */
  guide: Uint8Array;
  /**
   * outCum[cell * OUT + s]: cumulative shares of the outcomes of an event, slot 0 = exit, slot 1 + j = move to j
   * (a zero-share outcome repeats the previous value; the last positive one and all after it are 1). The outcome of
   * u is the number of slots below u: the same outcome as a scan for the first slot ≥ u, in a fixed-length loop.
   */
  outCum: Float64Array;
  entryAlias: AliasTable;
  entryTable: PoissonTable;
}

function pointRates(s: Scenario): Rates {
  const exit = new Float64Array(NB * NC);
  const move = new Float64Array(NB * NC * NC);
  const entry = new Float64Array(NB * NC);
  const m = s.entries.multiplier;
  AGE_BANDS.forEach((band, b) => {
    CATEGORIES.forEach((cat, c) => {
      exit[b * NC + c] = s.parameters.exitProbability[band]?.[cat] ?? 0;
      entry[b * NC + c] = (s.parameters.entriesPerMonth[band]?.[cat] ?? 0) * m;
      const mv = s.parameters.moveProbability[band]?.[cat];
      if (mv) CATEGORIES.forEach((to, j) => (move[(b * NC + c) * NC + j] = to === cat ? 0 : (mv[to] ?? 0)));
    });
  });
  return { exit, move, entry };
}

/**
 * Parameter uncertainty: each run draws its rates from posteriors given the evidence, centred on the scenario's own
 * rates (so user overrides keep their meaning). Per band × category with exposure E, exits e and moves m_j, the
 * outcome shares are Dirichlet(e, m_1, …, E − e − Σm); entries per month are Gamma(count)/months. Each drawn value
 * is the scenario's rate × (draw / posterior mean); a rate with no events behind it stays as given.
 */
function drawRates(s: Scenario, point: Rates, rng: Rng): Rates {
  const ev = s.parameters.evidence;
  if (!ev) return point;
  const exit = Float64Array.from(point.exit);
  const move = Float64Array.from(point.move);
  const entry = Float64Array.from(point.entry);
  AGE_BANDS.forEach((band, b) => {
    CATEGORIES.forEach((cat, c) => {
      const cell = b * NC + c;
      const entries = ev.entries[band]?.[cat] ?? 0;
      if (entries > 0 && point.entry[cell]! > 0) entry[cell] = point.entry[cell]! * (rng.gamma(entries) / entries);
      const exposure = ev.exposureMonths[band]?.[cat] ?? 0;
      if (exposure <= 0) return;
      const exits = ev.exits[band]?.[cat] ?? 0;
      const moves = CATEGORIES.map((to) => ev.moves[band]?.[cat]?.[to] ?? 0);
      const events = exits + moves.reduce((a, v) => a + v, 0);
      const stay = Math.max(0, exposure - events);
      const gExit = rng.gamma(exits);
      const gMoves = moves.map((m) => rng.gamma(m));
      const gStay = rng.gamma(stay);
      const total = gExit + gMoves.reduce((a, v) => a + v, 0) + gStay;
      if (total <= 0) return;
      let sum = 0;
      if (exits > 0 && point.exit[cell]! > 0) exit[cell] = (point.exit[cell]! * (gExit / total)) / (exits / exposure);
      sum += exit[cell]!;
      for (let j = 0; j < NC; j++) {
        const mj = moves[j]!;
        const k = cell * NC + j;
        if (mj > 0 && point.move[k]! > 0) move[k] = (point.move[k]! * (gMoves[j]! / total)) / (mj / exposure);
        sum += move[k]!;
      }
      if (sum > 1) {
        // a draw in the far tail: keep the categorical draw valid
        exit[cell] = exit[cell]! / sum;
        for (let j = 0; j < NC; j++) move[cell * NC + j] = move[cell * NC + j]! / sum;
      }
    });
  });
  return { exit, move, entry };
}

function buildTables(r: Rates): RateTables {
  const q = new Float64Array(NB * NC);
  const survival = new Float64Array(NB * NC * SURV);
  const guide = new Uint8Array(NB * NC * GUIDE);
  const outCum = new Float64Array(NB * NC * OUT).fill(1);
  for (let cell = 0; cell < NB * NC; cell++) {
    let total = r.exit[cell]!;
    for (let j = 0; j < NC; j++) total += r.move[cell * NC + j]!;
    total = Math.min(1, total);
    q[cell] = total;
    let sv = 1;
    for (let n = 0; n < SURV; n++) {
      survival[cell * SURV + n] = sv;
      sv *= 1 - total;
    }
    // survival falls with n, so the first n below a level rises as the level falls: one pass per cell
    for (let j = GUIDE - 1, n = 1; j >= 0; j--) {
      const level = (j + 1) / GUIDE;
      while (n < SURV - 1 && survival[cell * SURV + n]! > level) n++;
      guide[cell * GUIDE + j] = n;
    }
    if (total > 0) {
      let acc = 0;
      let last = -1;
      for (let slot = 0; slot < OUT; slot++) {
        const p = slot === 0 ? r.exit[cell]! : r.move[cell * NC + slot - 1]!;
        if (p > 0) {
          acc += p / total;
          last = slot;
        }
        outCum[cell * OUT + slot] = acc;
      }
      // guard against rounding: the last outcome takes the remainder
      for (let slot = last; slot < OUT; slot++) outCum[cell * OUT + slot] = 1;
    }
  }
  let entryTotal = 0;
  for (let cell = 0; cell < NB * NC; cell++) entryTotal += r.entry[cell]!;
  return {
    q,
    survival,
    guide,
    outCum,
    entryAlias: new AliasTable(r.entry),
    entryTable: new PoissonTable(entryTotal),
  };
}

/** Cumulative shares for a small categorical draw (UASC ages and placements). */
function cumulative(weights: number[]): Float64Array {
  const total = weights.reduce((a, b) => a + b, 0);
  let acc = 0;
  const out = Float64Array.from(weights, (w) => (acc += total > 0 ? w / total : 0));
  if (out.length) out[out.length - 1] = 1;
  return out;
}

/** The first index whose cumulative share reaches u (binary search). */
function pick(cum: Float64Array, u: number): number {
  let lo = 0;
  let hi = cum.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (u > cum[mid]!) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The children of one run, struct-of-arrays, reused across runs. Slots are recycled through a free list.
 *
 * The hot loops (runEvents, enter, start, schedule, place) draw from the children's streams with mulberry32 written
 * out by hand rather than calling uniform(): where V8 did not inline the call, every draw allocated a HeapNumber for
 * its result (and every double argument passed on, e.g. to triangularInverse), and garbage collection ran twice as
 * often. The arithmetic is the same, so the streams are the same.
 */
class World {
  cap = 0;
  birth = new Int32Array(0); // month index (relative to the forecast start) in which age = 0
  cat = new Uint8Array(0);
  uasc = new Uint8Array(0);
  st = new Int32Array(0); // the child's random stream
  wcost = new Float64Array(0); // weekly cost of the current placement spell (price-base prices)
  evM = new Int32Array(0); // month of the scheduled event, -1 if none
  evI = new Int32Array(0); // position of the event in its month's queue
  pos = new Int32Array(0); // position in lists[cat]
  free = new Int32Array(0);
  freeTop = 0;
  top = 0;
  /**
   * lists[k]: the children in category k (pos[c] is the child's place in its list), for the random picks of step 4
   * (in-house children moved out when places fall short, agency children stepping across). Every category keeps one:
   * the few writes cost less than a branch on the category that the processor cannot predict.
   */
  lists: Int32Array[] = [];
  counts = new Int32Array(NC);
  spellCost = new Float64Array(NC);
  /**
   * The event queue: one array of entries per month, appended to and read back last-first (the order of the linked
   * list this replaced, so results are unchanged). Cancelling an entry overwrites it with -1: no links to maintain.
   */
  queue: Int32Array[];
  queueLen: Int32Array;
  uascCount = 0;

  /** monthly event probability and survival tables per cell (set per run) */
  q: Float64Array = new Float64Array(NB * NC);
  survival: Float64Array = new Float64Array(NB * NC * SURV);
  guide: Uint8Array = new Uint8Array(NB * NC * GUIDE);
  private readonly fixedCost = new Float64Array(NC);
  private readonly triMin = new Float64Array(NC);
  private readonly triMode = new Float64Array(NC);
  private readonly triMax = new Float64Array(NC);
  private readonly tri = new Uint8Array(NC);

  constructor(
    readonly horizon: number,
    costs: (import('./scenario.js').WeeklyCost | undefined)[],
  ) {
    this.queue = Array.from({ length: horizon }, () => new Int32Array(64));
    this.queueLen = new Int32Array(horizon);
    costs.forEach((cost, k) => {
      if (isTriangular(cost)) {
        this.tri[k] = 1;
        this.triMin[k] = cost.min;
        this.triMode[k] = cost.mode;
        this.triMax[k] = cost.max;
      } else this.fixedCost[k] = cost ?? 0;
    });
    this.grow(1024);
  }

  private grow(n: number): void {
    const old = this.cap;
    const g = <T extends Int32Array | Uint8Array | Float64Array>(a: T, C: new (n: number) => T): T => {
      const b = new C(n);
      b.set(a);
      return b;
    };
    this.birth = g(this.birth, Int32Array);
    this.cat = g(this.cat, Uint8Array);
    this.uasc = g(this.uasc, Uint8Array);
    this.st = g(this.st, Int32Array);
    this.wcost = g(this.wcost, Float64Array);
    this.evM = g(this.evM, Int32Array);
    this.evI = g(this.evI, Int32Array);
    this.pos = g(this.pos, Int32Array);
    this.free = g(this.free, Int32Array);
    this.lists = Array.from({ length: NC }, (_, k) => g(this.lists[k] ?? new Int32Array(0), Int32Array));
    this.cap = n;
    void old;
  }

  reset(): void {
    this.queueLen.fill(0);
    this.counts.fill(0);
    this.spellCost.fill(0);
    this.freeTop = 0;
    this.top = 0;
    this.uascCount = 0;
  }

  alloc(): number {
    if (this.freeTop > 0) return this.free[--this.freeTop]!;
    if (this.top === this.cap) this.grow(this.cap * 2);
    return this.top++;
  }

  addToCat(c: number, k: number): void {
    this.cat[c] = k;
    const n = this.counts[k]!;
    this.lists[k]![n] = c;
    this.pos[c] = n;
    this.counts[k] = n + 1;
    this.spellCost[k]! += this.wcost[c]!;
  }

  removeFromCat(c: number): void {
    const k = this.cat[c]!;
    const n = this.counts[k]! - 1;
    const i = this.pos[c]!;
    const list = this.lists[k]!;
    const last = list[n]!;
    list[i] = last;
    this.pos[last] = i;
    this.counts[k] = n;
    this.spellCost[k] = n === 0 ? 0 : this.spellCost[k]! - this.wcost[c]!;
  }

  /**
   * Where a child drawn into in-house fostering goes when no place is free (the overflow cascade): agency fostering
   * with probability agencyAvailability, drawn from the child's own stream, else residential.
   */
  overflowDestination(c: number, agencyAvailability: number): number {
    return agencyAvailability >= 1 || uniform(this.st, c) < agencyAvailability ? AGENCY : RESIDENTIAL;
  }

  /** Start a new placement spell in category k (draws the spell's weekly cost from the child's stream). */
  place(c: number, k: number): void {
    if (this.tri[k]) {
      const st = this.st;
      let x = (st[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
      st[c] = x;
      x = Math.imul(x ^ (x >>> 15), 1 | x);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      const u = (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
      // triangularInverse(min, mode, max, u) of random.ts, the same arithmetic in the same order
      const min = this.triMin[k]!;
      const mode = this.triMode[k]!;
      const max = this.triMax[k]!;
      const span = max - min;
      this.wcost[c] =
        u < (mode - min) / span
          ? min + Math.sqrt(u * span * (mode - min))
          : max - Math.sqrt((1 - u) * span * (max - mode));
    } else this.wcost[c] = this.fixedCost[k]!;
    this.addToCat(c, k);
  }

  push(c: number, t: number, kind: number): void {
    let q = this.queue[t]!;
    const n = this.queueLen[t]!;
    if (n === q.length) {
      const b = new Int32Array(n * 2);
      b.set(q);
      this.queue[t] = q = b;
    }
    q[n] = (c << 1) | kind;
    this.queueLen[t] = n + 1;
    this.evM[c] = t;
    this.evI[c] = n;
  }

  unlink(c: number): void {
    const t = this.evM[c]!;
    if (t < 0) return;
    this.queue[t]![this.evI[c]!] = -1;
    this.evM[c] = -1;
  }

  /**
   * Schedule the child's next event from month t0, the first month whose draw is not yet made. One uniform U is
   * drawn and the event falls in the first month whose survival — the product of (1 − q) over the months from t0,
   * band by band — is at or below U. P(no event in k months) = survival(k), which is exactly the monthly categorical
   * chain, at one draw per event instead of one per month (and no logarithm: survivals come from a table).
   */
  schedule(c: number, t0: number): void {
    const H = this.horizon;
    if (t0 >= H) return;
    const birth = this.birth[c]!;
    const leaveT = birth + LAST_MONTH_IN_CARE;
    const lastT = leaveT < H - 1 ? leaveT : H - 1;
    const q = this.q;
    const survival = this.survival;
    let band = BAND_OF_AGE[t0 - birth]!;
    let cell = band * NC + this.cat[c]!;
    let t = t0;
    let u = -1; // drawn when first needed
    let alive = 1; // survival up to month t
    while (t <= lastT) {
      const bandLast = birth + BAND_END[band]! - 1;
      const segEnd = bandLast < lastT ? bandLast : lastT;
      if (q[cell]! > 0) {
        if (u < 0) {
          const st = this.st;
          let x = (st[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
          st[c] = x;
          x = Math.imul(x ^ (x >>> 15), 1 | x);
          x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
          u = (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
        }
        const n = segEnd - t + 1;
        const base = cell * SURV;
        // event in the k-th month of the segment: first k with survival(k) ≤ target (u / 1 is u: most events fall in
        // the first segment, and skip the division)
        const target = alive === 1 ? u : u / alive;
        if (survival[base + n]! <= target) {
          // Start from the guide table's answer for the top of target's 1/GUIDE slice — never past the answer,
          // since the answer only rises as the target falls — and step up to the exact month. target < 1 (else the
          // event would have fallen in an earlier segment) but clamp against rounding. Expected steps: well under 1.
          let j = (target * GUIDE) | 0;
          if (j >= GUIDE) j = GUIDE - 1;
          let k = this.guide[cell * GUIDE + j]!;
          while (survival[base + k]! > target) k++;
          this.push(c, t + k - 1, KIND_TRANSITION);
          return;
        }
        alive *= survival[base + n]!;
      }
      t = segEnd + 1;
      band++;
      cell += NC;
    }
    if (leaveT < H) this.push(c, leaveT, KIND_LEAVE);
  }

  /** step 1–2's results for the month (set by runEvents) */
  moves = 0;
  exits = 0;
  /** children moving into in-house fostering this month, resolved by the caller after all exits (step 1) */
  pendingIds = new Int32Array(256);
  pendingN = 0;

  /**
   * Steps 1–2 for the children with an event in month t: each draws its outcome (exit, or a move and its new
   * placement) and is rescheduled. A method of its own (not a loop inside simulate) so that V8 inlines the small
   * methods it calls: simulate is too large to have budget left for them.
   */
  runEvents(t: number, outCum: Float64Array, deferInHouse: boolean): void {
    let moves = 0;
    let exits = 0;
    this.pendingN = 0;
    // nothing is queued for month t while month t is processed (events go to t + 1 or later)
    const queue = this.queue[t]!;
    for (let qi = this.queueLen[t]! - 1; qi >= 0; qi--) {
      const entry = queue[qi]!;
      if (entry < 0) continue; // cancelled
      const c = entry >> 1;
      this.evM[c] = -1; // popped: nothing to unlink
      let to = -1; // −1: the child leaves care
      if ((entry & 1) === KIND_TRANSITION) {
        const age = t - this.birth[c]!;
        const cell = BAND_OF_AGE[age]! * NC + this.cat[c]!;
        const st = this.st;
        let x = (st[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
        st[c] = x;
        x = Math.imul(x ^ (x >>> 15), 1 | x);
        x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
        const u = (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
        // the outcome slot: how many cumulative shares lie below u (the last slot is 1 > u, so it is not compared)
        const ob = cell * OUT;
        let o = 0;
        for (let slot = 0; slot < OUT - 1; slot++) o += +(u > outCum[ob + slot]!);
        to = o - 1; // −1: exit; else the category moved to
        if (to >= 0) moves++;
        if (age === LAST_MONTH_IN_CARE) to = -1; // a move in the last month ends in leaving care all the same
      }
      // one call site for the category bookkeeping of exits and moves alike, which leaves V8 inlining budget for the rest
      this.removeFromCat(c);
      if (to < 0) {
        if (this.uasc[c]) this.uascCount--;
        this.free[this.freeTop++] = c;
        exits++;
        continue;
      }
      if (to === IN_HOUSE && deferInHouse) {
        if (this.pendingN === this.pendingIds.length) {
          const b = new Int32Array(this.pendingN * 2);
          b.set(this.pendingIds);
          this.pendingIds = b;
        }
        this.pendingIds[this.pendingN++] = c;
        continue;
      }
      this.place(c, to);
      this.schedule(c, t + 1);
    }
    this.moves = moves;
    this.exits = exits;
  }

  /** The initial stock, in the scenario's order (child i draws from stream i). */
  start(initial: InitialStock, runMix: number): void {
    for (let i = 0; i < initial.ageMonths.length; i++) {
      const c = this.alloc();
      this.st[c] = childSeed(runMix, i);
      this.birth[c] = -initial.ageMonths[i]!;
      const uasc = initial.uasc[i]!;
      this.uasc[c] = uasc;
      this.uascCount += uasc;
      this.evM[c] = -1;
      this.place(c, initial.category[i]!);
      this.schedule(c, 0);
    }
  }

  /**
   * Step 3: n non-UASC entrants at the end of month t, in arrival order (entrant k draws from its own stream).
   * An entrant into in-house fostering with no free place overflows (places = Infinity: no capacity limit).
   * Returns the number that overflowed.
   */
  enter(t: number, n: number, alias: AliasTable, runMix: number, places: number, agencyAvailability: number): number {
    let overflow = 0;
    const aliasProb = alias.prob;
    const aliasOf = alias.alias;
    const nCells = alias.n;
    for (let k = 0; k < n; k++) {
      const c = this.alloc();
      const st = this.st;
      st[c] = childSeed(runMix, ENTRANT_BASE + t * MONTH_SLOTS + k);
      let x = (st[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
      st[c] = x;
      x = Math.imul(x ^ (x >>> 15), 1 | x);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      let u = (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
      // alias.sample(u), by hand for the same reason
      const xa = u * nCells;
      const col = xa | 0; // u < 1, so col < nCells
      const cell = xa - col < aliasProb[col]! ? col : aliasOf[col]!;
      const band = BAND_OF_CELL[cell]!;
      const width = BAND_WIDTH[band]!;
      let y = (st[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
      st[c] = y;
      y = Math.imul(y ^ (y >>> 15), 1 | y);
      y = (y + Math.imul(y ^ (y >>> 7), 61 | y)) ^ y;
      u = (((y ^ (y >>> 14)) >>> 0) + 0.5) / 4294967296;
      this.birth[c] = t + 1 - (BAND_START_MONTHS[band]! + ((u * width) | 0));
      this.uasc[c] = 0;
      this.evM[c] = -1;
      let k0 = cell - band * NC;
      if (k0 === IN_HOUSE && this.counts[IN_HOUSE]! >= places) {
        overflow++;
        k0 = this.overflowDestination(c, agencyAvailability);
      }
      this.place(c, k0);
      this.schedule(c, t + 1);
    }
    return overflow;
  }
}

interface InitialStock {
  ageMonths: Int32Array;
  category: Uint8Array;
  uasc: Uint8Array;
}

/**
 * Expand the scenario's initial list (which may carry `count`) to one entry per child, and reconcile it with
 * `uasc.initial`, the UASC count at the start. When fewer children are flagged than that count, the oldest unflagged
 * children old enough to have arrived as UASC are flagged (they are already in the stock), and if there are not enough
 * of them the rest are added with the arrival ages and placements of `uasc` (spread by their shares, no randomness).
 * When more are flagged, the flags win. Either way the result says so in its warnings.
 */
function expandInitial(s: Scenario, warnings: string[]): InitialStock {
  const ageMonths: number[] = [];
  const category: number[] = [];
  const uasc: number[] = [];
  for (const c of s.initial) {
    for (let i = 0; i < c.count; i++) {
      ageMonths.push(c.ageMonths);
      category.push(categoryIndex[c.category]);
      uasc.push(c.uasc ? 1 : 0);
    }
  }
  const flagged = uasc.reduce((a, b) => a + b, 0);
  if (s.uasc && s.uasc.initial > flagged) {
    const years = Object.keys(s.uasc.arrivalAge).map(Number);
    const youngest = Math.min(...years) * 12;
    const eligible = ageMonths
      .map((age, i) => ({ age, i }))
      .filter((c) => !uasc[c.i] && c.age >= youngest)
      .sort((a, b) => b.age - a.age || a.i - b.i);
    let missing = s.uasc.initial - flagged;
    const marked = Math.min(missing, eligible.length);
    for (let k = 0; k < marked; k++) uasc[eligible[k]!.i] = 1;
    missing -= marked;
    const ageCum = cumulative(Object.values(s.uasc.arrivalAge) as number[]);
    const placeCats = (Object.keys(s.uasc.arrivalPlacement) as Category[]).map((c) => categoryIndex[c]);
    const placeCum = cumulative(Object.values(s.uasc.arrivalPlacement) as number[]);
    for (let k = 0; k < missing; k++) {
      const at = (k + 0.5) / missing;
      ageMonths.push(Math.min(LAST_MONTH_IN_CARE, years[pick(ageCum, at)]! * 12 + 6));
      category.push(placeCats[pick(placeCum, at)]!);
      uasc.push(1);
    }
    warnings.push(
      `uasc.initial is ${s.uasc.initial} but ${flagged} children in initial are flagged uasc: ` +
        (marked ? `${marked} of the oldest children aged ${youngest / 12}+ were counted as UASC` : '') +
        (marked && missing ? ' and ' : '') +
        (missing
          ? `${missing} UASC children were added to the starting stock (ages and placements from uasc.arrivalAge and uasc.arrivalPlacement)`
          : ''),
    );
  } else if (s.uasc && s.uasc.initial < flagged) {
    warnings.push(
      `uasc.initial is ${s.uasc.initial} but ${flagged} children in initial are flagged uasc: the flagged children are the starting count`,
    );
  } else if (!s.uasc && flagged > 0) {
    warnings.push(
      `uasc is null: the ${flagged} children flagged uasc in initial are forecast as any other child (no UASC rules)`,
    );
  }
  return { ageMonths: Int32Array.from(ageMonths), category: Uint8Array.from(category), uasc: Uint8Array.from(uasc) };
}

/**
 * A simulation that can be run in steps: `step(n)` runs up to n more runs; `finish()` summarises them. Stepping lets
 * a host that cannot write in the background (a Lambda function) record progress between steps; the result is the
 * same as one `simulate` call whatever the steps, because run r always uses the streams of (seed, r).
 */
export interface Simulation {
  readonly runs: number;
  readonly runsDone: number;
  /** runs up to `maxRuns` more runs; true when all runs are done */
  step(maxRuns: number): boolean;
  /** the result (all runs must be done) */
  finish(): ForecastResult;
}

/** Runs the whole simulation at once. */
export function simulate(scenario: Scenario, options: SimulateOptions = {}): ForecastResult {
  const sim = createSimulation(scenario, options);
  sim.step(Infinity);
  return sim.finish();
}

export function createSimulation(scenario: Scenario, options: SimulateOptions = {}): Simulation {
  const started = performance.now();
  const s = scenario;
  const H = s.horizonMonths;
  const R = s.runs;
  const start = monthIndex(s.start);
  const months = Array.from({ length: H }, (_, t) => monthFromIndex(start + t));

  // --- per-month constants
  const charge = Float64Array.from({ length: H }, (_, t) =>
    monthlyChargePerWeeklyPound(start + t, s.costs.priceBase, s.costs.annualInflation),
  );
  const fyStart0 = financialYearStart(start);
  const fyOf = Int32Array.from({ length: H }, (_, t) => financialYearStart(start + t) - fyStart0);
  const nFY = fyOf[H - 1]! + 1;
  const fyMonths = new Int32Array(nFY);
  for (let t = 0; t < H; t++) fyMonths[fyOf[t]!]!++;
  const fyLabels = Array.from({ length: nFY }, (_, f) => financialYearLabel(fyStart0 + f));
  const budgets = fyLabels.map((l) => s.budgets[l]);

  const costs = CATEGORIES.map((c) => s.costs.weekly[c]);
  const triangular = costs.map((c) => isTriangular(c));

  const uascOn = s.uasc !== null;
  const threshold = new Int32Array(H);
  const referral = new Uint8Array(H);
  if (s.uasc) {
    for (let t = 0; t < H; t++) {
      const end = monthEndDate(start + t);
      threshold[t] = uascThreshold(
        rateInForce(s.uasc.thresholds, end),
        childPopulationAt(s.childPopulation.base, s.childPopulation.annualGrowth, t + 1),
      );
      referral[t] = referralRuleApplies(end) ? 1 : 0;
    }
  }
  const uascAgeYears = s.uasc ? Object.keys(s.uasc.arrivalAge).map(Number) : [];
  const uascAgeCum = cumulative(s.uasc ? (Object.values(s.uasc.arrivalAge) as number[]) : []);
  const uascPlaceCats = s.uasc ? (Object.keys(s.uasc.arrivalPlacement) as Category[]).map((c) => categoryIndex[c]) : [];
  const uascPlaceCum = cumulative(s.uasc ? (Object.values(s.uasc.arrivalPlacement) as number[]) : []);
  const spontTable = new PoissonTable(s.uasc?.spontaneousPerMonth ?? 0);
  const transferTable = new PoissonTable(s.uasc?.transfersPerMonthWhenOnRota ?? 0);

  const cap = s.capacity;
  const capacityOn = cap !== null;
  const recruitTable = new PoissonTable(cap ? cap.recruitmentPerYear / 12 : 0);
  const lossTable = new BinomialTable(cap ? cap.householdLossPerYear / 12 : 0);
  const stepAcrossTable = new BinomialTable(cap ? cap.stepAcrossProbability : 0);

  const point = pointRates(s);
  const pointTables = buildTables(point);
  let tables = pointTables;
  const paramsUncertain = s.uncertainty.parameters && s.parameters.evidence !== undefined;

  const warnings: string[] = [];
  const initial = expandInitial(s, warnings);
  const world = new World(H, costs);
  const runStreams = new Int32Array(5);
  const agencyAvailability = cap ? cap.agencyAvailability : 1;

  // --- summaries (sizes independent of R)
  const pop = Array.from({ length: NC + 1 }, () => new CountSeries(H)); // NC = total
  const uascCountS = new CountSeries(H);
  const transfersS = new CountSeries(H);
  const spontS = new CountSeries(H);
  const referredS = new CountSeries(H);
  const householdsS = new CountSeries(H);
  const placesS = new CountSeries(H);
  const overflowS = new CountSeries(H);
  const overflowTotalS = new CountSeries(1);
  const movesS = new CountSeries(H);
  const entriesS = new CountSeries(H);
  const exitsS = new CountSeries(H);
  const onRota = new Float64Array(H);
  const costSketch = CATEGORIES.map((_, k) => (triangular[k] ? new SketchSeries(H) : null));
  const costTotal = new SketchSeries(H);
  const fyTotal = new Float64Array(nFY);
  const fyCat = new Float64Array(nFY * NC);
  const fySketch = Array.from({ length: nFY }, () => new LogSketch());
  const fyCatSketch = Array.from({ length: nFY * NC }, () => new LogSketch());
  const overBudget = new Float64Array(nFY);
  const runTotals = options.collectRunTotals
    ? {
        financialYears: Array.from({ length: nFY }, () => new Float64Array(R)),
        horizonPopulation: Array.from({ length: NC + 1 }, () => new Int32Array(R)),
        overflowTotal: new Int32Array(R),
      }
    : null;

  // Each run's monthly values go into a per-batch buffer, flushed every RECORD_BATCH runs month by month: the
  // histograms and sketches of one month then take the whole batch while they are in cache (recording run by run
  // touched ~240 scattered histogram rows and sketches every month). Each sketch still sees its values in run order,
  // so the results are bit-identical to adding them one by one.
  const countSeries = [
    ...pop,
    movesS,
    exitsS,
    entriesS,
    householdsS,
    placesS,
    overflowS,
    uascCountS,
    transfersS,
    spontS,
    referredS,
  ];
  const C_MOVES = NC + 1;
  const C_EXITS = NC + 2;
  const C_ENTRIES = NC + 3;
  const C_HOUSEHOLDS = NC + 4;
  const C_PLACES = NC + 5;
  const C_OVERFLOW = NC + 6;
  const C_UASC = NC + 7;
  const C_TRANSFERS = NC + 8;
  const C_SPONT = NC + 9;
  const C_REFERRED = NC + 10;
  const countActive = countSeries.map((_, i) => i < C_HOUSEHOLDS || (i < C_UASC ? capacityOn : uascOn));
  const C_OVERFLOW_TOTAL = countSeries.length * H; // one value per run
  const C_STRIDE = C_OVERFLOW_TOTAL + 1;
  // costs by month, only where a sketch is kept: the i-th triangular category at i × H, the total after them;
  // then per financial year: by category at f × (NC + 1) + k, the total at + NC
  const triSlot = new Int32Array(NC).fill(-1);
  let nTri = 0;
  for (let k = 0; k < NC; k++) if (triangular[k]) triSlot[k] = nTri++;
  const F_TOTAL = nTri * H;
  const F_FY = (nTri + 1) * H;
  const F_STRIDE = F_FY + nFY * (NC + 1);
  const cbuf = new Int32Array(RECORD_BATCH * C_STRIDE);
  const fbuf = new Float64Array(RECORD_BATCH * F_STRIDE);
  let batched = 0;
  const flush = (): void => {
    const nb = batched;
    if (nb === 0) return;
    for (let i = 0; i < countSeries.length; i++) {
      if (countActive[i]) countSeries[i]!.addRuns(cbuf, i * H, C_STRIDE, nb);
      else countSeries[i]!.endRuns(nb);
    }
    overflowTotalS.addRuns(cbuf, C_OVERFLOW_TOTAL, C_STRIDE, nb);
    for (let k = 0; k < NC; k++) if (triangular[k]) costSketch[k]!.addRuns(fbuf, triSlot[k]! * H, F_STRIDE, nb);
    costTotal.addRuns(fbuf, F_TOTAL, F_STRIDE, nb);
    for (let f = 0; f < nFY; f++) {
      const o = F_FY + f * (NC + 1);
      fySketch[f]!.addStrided(fbuf, o + NC, F_STRIDE, nb);
      for (let k = 0; k < NC; k++) fyCatSketch[f * NC + k]!.addStrided(fbuf, o + k, F_STRIDE, nb);
    }
    batched = 0;
  };

  const progressEvery = Math.max(1, Math.floor(R / 100));
  const onMonthEnd = options.onMonthEnd;

  let nextRun = 0;
  const step = (maxRuns: number): boolean => {
    const end = Math.min(R, nextRun + Math.max(1, Math.floor(Math.min(maxRuns, R))));
    for (let r = nextRun; r < end; r++) {
      const runSeed = streamSeed(s.seed, r);
      const runMix = mix32(runSeed); // childSeed(runMix, i) = streamSeed(runSeed, i)
      for (let k = 0; k < 5; k++) runStreams[k] = streamSeed(runSeed, RUN_STREAM_BASE + k);
      if (paramsUncertain) {
        const rng = new Rng(runStreams[S_PARAMS]!);
        tables = buildTables(drawRates(s, point, rng));
      }
      world.q = tables.q;
      world.survival = tables.survival;
      world.guide = tables.guide;
      world.reset();
      fyTotal.fill(0);
      fyCat.fill(0);
      let households = cap ? cap.inHouseHouseholds : 0;
      let places = cap ? Math.floor(households * cap.placesPerHousehold) : 0;
      let overflowRun = 0;
      const cb = batched * C_STRIDE; // this run's rows in the recording buffers
      const fb = batched * F_STRIDE;

      world.start(initial, runMix);

      for (let t = 0; t < H; t++) {
        let moves = 0;
        let exits = 0;
        let entries = 0;
        let overflow = 0;

        // 0. carer households
        if (cap) {
          const joins = recruitTable.sample(uniform(runStreams, S_HOUSEHOLDS));
          const losses = lossTable.sample(households, uniform(runStreams, S_HOUSEHOLDS));
          households += joins - losses;
          places = Math.floor(households * cap.placesPerHousehold);
        }

        // 1–2. the month's draws (only children with an event this month), ageing out at 18
        world.runEvents(t, tables.outCum, capacityOn);
        moves += world.moves;
        exits += world.exits;
        // moves into in-house fostering, after the month's exits have freed places
        for (let i = 0; i < world.pendingN; i++) {
          const ch = world.pendingIds[i]!;
          if (world.counts[IN_HOUSE]! < places) world.place(ch, IN_HOUSE);
          else {
            overflow++;
            world.place(ch, world.overflowDestination(ch, agencyAvailability));
          }
          world.schedule(ch, t + 1);
        }

        // 3. non-UASC entrants
        const nNew = Math.min(tables.entryTable.sample(uniform(runStreams, S_ENTRIES)), UASC_OFFSET);
        overflow += world.enter(t, nNew, tables.entryAlias, runMix, capacityOn ? places : Infinity, agencyAvailability);
        entries += nNew;

        // 4. capacity: places below occupancy, then step-across into free places
        if (cap) {
          let excess = world.counts[IN_HOUSE]! - Math.max(0, places);
          while (excess-- > 0) {
            const ch = world.lists[IN_HOUSE]![Math.floor(uniform(runStreams, S_CAPACITY) * world.counts[IN_HOUSE]!)]!;
            world.removeFromCat(ch);
            world.place(ch, AGENCY);
            world.unlink(ch);
            world.schedule(ch, t + 1);
            moves++;
          }
          const freePlaces = places - world.counts[IN_HOUSE]!;
          if (freePlaces > 0 && cap.stepAcrossProbability > 0 && world.counts[AGENCY]! > 0) {
            const n = Math.min(
              freePlaces,
              stepAcrossTable.sample(world.counts[AGENCY]!, uniform(runStreams, S_CAPACITY)),
            );
            for (let i = 0; i < n; i++) {
              const ch = world.lists[AGENCY]![Math.floor(uniform(runStreams, S_CAPACITY) * world.counts[AGENCY]!)]!;
              world.removeFromCat(ch);
              world.place(ch, IN_HOUSE);
              world.unlink(ch);
              world.schedule(ch, t + 1);
              moves++;
            }
          }
        }

        // 5. UASC arrivals
        let transfers = 0;
        let spontaneous = 0;
        let referred = 0;
        if (uascOn) {
          const thr = threshold[t]!;
          const m = spontTable.sample(uniform(runStreams, S_UASC));
          const n = transferTable.sample(uniform(runStreams, S_UASC));
          spontaneous = referral[t] ? Math.min(m, Math.max(0, thr - world.uascCount)) : m;
          referred = m - spontaneous;
          transfers = Math.min(n, Math.max(0, thr - world.uascCount - spontaneous));
          const arrivals = spontaneous + transfers;
          for (let k = 0; k < arrivals && k < UASC_OFFSET; k++) {
            const ch = world.alloc();
            world.st[ch] = childSeed(runMix, ENTRANT_BASE + t * MONTH_SLOTS + UASC_OFFSET + k);
            const years = uascAgeYears[pick(uascAgeCum, uniform(world.st, ch))]!;
            const ageEnd = Math.min(LAST_MONTH_IN_CARE, years * 12 + Math.floor(uniform(world.st, ch) * 12));
            world.birth[ch] = t + 1 - ageEnd;
            world.uasc[ch] = 1;
            world.uascCount++;
            world.evM[ch] = -1;
            const k0 = uascPlaceCats[pick(uascPlaceCum, uniform(world.st, ch))]!;
            if (k0 === IN_HOUSE && capacityOn && world.counts[IN_HOUSE]! >= places) {
              overflow++;
              world.place(ch, world.overflowDestination(ch, agencyAvailability));
            } else world.place(ch, k0);
            world.schedule(ch, t + 1);
            entries++;
          }
          if (world.uascCount < thr) onRota[t]!++;
        }

        // 6. end-of-month counts and the month's charge
        let total = 0;
        const f = fyOf[t]!;
        let monthCost = 0;
        for (let k = 0; k < NC; k++) {
          const n = world.counts[k]!;
          total += n;
          cbuf[cb + k * H + t] = n;
          const cost = world.spellCost[k]! * charge[t]!;
          monthCost += cost;
          fyCat[f * NC + k]! += cost;
          if (triangular[k]) fbuf[fb + triSlot[k]! * H + t] = cost;
        }
        cbuf[cb + NC * H + t] = total;
        fbuf[fb + F_TOTAL + t] = monthCost;
        fyTotal[f]! += monthCost;
        cbuf[cb + C_MOVES * H + t] = moves;
        cbuf[cb + C_EXITS * H + t] = exits;
        cbuf[cb + C_ENTRIES * H + t] = entries;
        if (cap) {
          cbuf[cb + C_HOUSEHOLDS * H + t] = Math.max(0, households);
          cbuf[cb + C_PLACES * H + t] = Math.max(0, places);
          cbuf[cb + C_OVERFLOW * H + t] = overflow;
          overflowRun += overflow;
        }
        if (uascOn) {
          cbuf[cb + C_UASC * H + t] = world.uascCount;
          cbuf[cb + C_TRANSFERS * H + t] = transfers;
          cbuf[cb + C_SPONT * H + t] = spontaneous;
          cbuf[cb + C_REFERRED * H + t] = referred;
        }
        if (onMonthEnd)
          onMonthEnd(r, t, {
            counts: world.counts,
            places,
            households,
            overflow,
            uascCount: world.uascCount,
            uascThreshold: threshold[t]!,
            transfers,
            spontaneous,
            referredOn: referred,
            monthCost,
          });
      }

      // end of run
      for (let f = 0; f < nFY; f++) {
        const o = fb + F_FY + f * (NC + 1);
        fbuf[o + NC] = fyTotal[f]!;
        const b = budgets[f];
        if (b !== undefined && fyTotal[f]! > b) overBudget[f]!++;
        for (let k = 0; k < NC; k++) fbuf[o + k] = fyCat[f * NC + k]!;
        if (runTotals) runTotals.financialYears[f]![r] = fyTotal[f]!;
      }
      if (runTotals) {
        let total = 0;
        for (let k = 0; k < NC; k++) {
          runTotals.horizonPopulation[k]![r] = world.counts[k]!;
          total += world.counts[k]!;
        }
        runTotals.horizonPopulation[NC]![r] = total;
        runTotals.overflowTotal[r] = overflowRun;
      }
      cbuf[cb + C_OVERFLOW_TOTAL] = overflowRun;
      batched++;

      if (batched === RECORD_BATCH || r + 1 === R) flush(); // the progress callbacks do not read the summaries
      if ((r + 1) % progressEvery === 0 || r + 1 === R) {
        options.onProgress?.(r + 1, R);
        if (options.shouldCancel?.()) throw new SimulationCancelled();
      }
    }
    nextRun = end;
    return nextRun >= R;
  };

  const finish = (): ForecastResult => {
    if (nextRun < R) throw new Error(`finish() after ${nextRun} of ${R} runs`);
    // --- assemble the result
    const seriesNames: Series[] = [...CATEGORIES, 'total'];
    const population = Object.fromEntries(seriesNames.map((name, k) => [name, pop[k]!.summary()])) as Record<
      Series,
      Quantiles
    >;
    const monthly = {} as Record<Series, Quantiles>;
    CATEGORIES.forEach((name, k) => {
      monthly[name] = triangular[k]
        ? costSketch[k]!.summary()
        : pop[k]!.summary((t) => weeklyCostMean(costs[k]) * charge[t]!);
    });
    monthly.total = costTotal.summary();

    const financialYears: FinancialYearCost[] = fyLabels.map((label, f) => {
      const byCategory = Object.fromEntries(
        CATEGORIES.map((name, k) => [name, fyCatSketch[f * NC + k]!.scalar()]),
      ) as Record<Category, ScalarQuantiles>;
      const fy: FinancialYearCost = {
        label,
        months: fyMonths[f]!,
        partial: fyMonths[f]! < 12,
        ...fySketch[f]!.scalar(),
        byCategory,
      };
      const b = budgets[f];
      if (b !== undefined) {
        fy.budget = b;
        fy.pOverBudget = overBudget[f]! / R;
      }
      return fy;
    });

    const warningsOut = [...warnings];
    CATEGORIES.forEach((name, k) => {
      if (costs[k] === undefined && population[name].mean.some((v) => v > 0))
        warningsOut.push(`costs.weekly.${name} is not given: children in ${name} are costed at £0`);
    });
    for (const label of Object.keys(s.budgets)) {
      if (!fyLabels.includes(label))
        warningsOut.push(`budgets.${label} is outside the forecast horizon and was not used`);
    }

    const result: ForecastResult = {
      scenarioName: s.name,
      months,
      runs: R,
      seed: s.seed,
      population,
      cost: { monthly, financialYears, priceBase: s.costs.priceBase },
      inHouse: cap
        ? {
            capacity: placesS.summary(),
            households: householdsS.summary(),
            occupancy: population.inHouseFoster,
            overflow: overflowS.summary(),
            overflowTotal: scalarFromCounts(overflowTotalS),
          }
        : null,
      uasc: s.uasc
        ? {
            count: uascCountS.summary(),
            threshold: Array.from(threshold),
            pOnRota: Array.from(onRota, (v) => v / R),
            transfers: transfersS.summary(),
            spontaneous: spontS.summary(),
            referredOn: referredS.summary(),
          }
        : null,
      moves: movesS.summary(),
      entries: entriesS.summary(),
      exits: exitsS.summary(),
      warnings: warningsOut,
      elapsedMs: Math.round(performance.now() - started),
    };
    if (runTotals) {
      result.runTotals = {
        financialYears: runTotals.financialYears.map((a) => Array.from(a)),
        horizonPopulation: Object.fromEntries(
          seriesNames.map((name, k) => [name, Array.from(runTotals.horizonPopulation[k]!)]),
        ) as Record<Series, number[]>,
        overflowTotal: Array.from(runTotals.overflowTotal),
      };
    }
    return result;
  };

  return {
    runs: R,
    get runsDone() {
      return nextRun;
    },
    step,
    finish,
  };
}

function scalarFromCounts(series: CountSeries): ScalarQuantiles {
  const q = series.summary();
  return {
    mean: q.mean[0]!,
    sd: series.sd(0),
    p5: q.p5[0]!,
    p10: q.p10[0]!,
    p25: q.p25[0]!,
    p50: q.p50[0]!,
    p75: q.p75[0]!,
    p90: q.p90[0]!,
    p95: q.p95[0]!,
  };
}
