import { BAND_START_MONTHS } from '../placement.js';
import { isTriangular } from '../costs.js';
import { type AliasTable, childSeed, mix32, uniform } from '../random.js';
import type { WeeklyCost } from '../scenario.js';
import {
  AGENCY,
  BAND_END,
  BAND_OF_AGE,
  BAND_OF_CELL,
  BAND_WIDTH,
  ENTRANT_BASE,
  GUIDE,
  IN_HOUSE,
  KIND_LEAVE,
  KIND_TRANSITION,
  LAST_MONTH_IN_CARE,
  MONTH_SLOTS,
  NB,
  NC,
  OUT,
  RESIDENTIAL,
  SURV,
} from './constants.js';
import type { InitialStock } from './initial.js';

/** what a child's cost stream is keyed by, beside its own seed (any constant: it only has to differ from 0) */
const COST_STREAM = 0x632be5ab;

/**
 * The children of one run, struct-of-arrays, reused across runs. Slots are recycled through a free list.
 *
 * The hot loops (runEvents, enter, start, schedule, place) draw from the children's streams with mulberry32 written
 * out by hand rather than calling uniform(): where V8 did not inline the call, every draw allocated a HeapNumber for
 * its result (and every double argument passed on, e.g. to triangularInverse), and garbage collection ran twice as
 * often. The arithmetic is the same, so the streams are the same.
 */
export class World {
  cap = 0;
  birth = new Int32Array(0); // month index (relative to the forecast start) in which age = 0
  cat = new Uint8Array(0);
  uasc = new Uint8Array(0);
  st = new Int32Array(0); // the child's random stream: its waiting times, outcomes, entry cell and age
  /**
   * the child's second stream, for what a scenario's costs and capacity choose rather than what happens to the child:
   * each placement spell's weekly cost (one draw a spell, a range or not) and where it goes when no in-house place is
   * free. A variant that changes only a cost, or the agency availability, then leaves the first stream alone, and its
   * children meet the same events as the base's (common random numbers); see `seed`
   */
  cst = new Int32Array(0);
  wcost = new Float64Array(0); // weekly cost of the current placement spell (price-base prices)
  evM = new Int32Array(0); // month of the scheduled event, -1 if none
  evI = new Int32Array(0); // position of the event in its month's queue
  pos = new Int32Array(0); // position in lists[cat]
  /** the serial of the child's current placement spell (a region's shared places follow spells: models/region/) */
  spell = new Int32Array(0);
  /** spells started so far (never reset, so a serial is never reused) */
  spells = 0;
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
    costs: (WeeklyCost | undefined)[],
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
    this.cst = g(this.cst, Int32Array);
    this.wcost = g(this.wcost, Float64Array);
    this.evM = g(this.evM, Int32Array);
    this.evI = g(this.evI, Int32Array);
    this.pos = g(this.pos, Int32Array);
    this.spell = g(this.spell, Int32Array);
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
    // drawn whatever the availability, so that a variant at 100% keeps the child's cost stream in step with one below
    const u = uniform(this.cst, c);
    return agencyAvailability >= 1 || u < agencyAvailability ? AGENCY : RESIDENTIAL;
  }

  /** Child c's two streams from its seed (the child's place in the run's stream space: see simulation.ts). */
  seed(c: number, seed: number): void {
    this.st[c] = seed;
    this.cst[c] = mix32(seed ^ COST_STREAM);
  }

  /**
   * Start a new placement spell in category k: its weekly cost is drawn from the child's cost stream, one draw a spell
   * whether the category's cost is a range or fixed, so the child's later spells meet the same draws in a variant that
   * fixes a range.
   */
  place(c: number, k: number): void {
    const cst = this.cst;
    let x = (cst[c]! + 0x6d2b79f5) | 0; // mulberry32: uniform() of random.ts, inlined by hand
    cst[c] = x;
    if (this.tri[k]) {
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
    this.spell[c] = ++this.spells;
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
  /** with `trackAgedOut`: the children who left care at 18 this month (their slots are free but untouched until the
   * month's entrants arrive; Staying Put reads their last category and stream) */
  trackAgedOut = false;
  agedOut = new Int32Array(64);
  agedOutN = 0;

  /**
   * Steps 1–2 for the children with an event in month t: each draws its outcome (exit, or a move and its new
   * placement) and is rescheduled. `exitAccept` (exit drift only): this month's share of drawn exits that happen. A method of its own (not a loop inside simulate) so that V8 inlines the small
   * methods it calls: simulate is too large to have budget left for them.
   */
  runEvents(t: number, outCum: Float64Array, deferInHouse: boolean, exitAccept: Float64Array | null = null): void {
    let moves = 0;
    let exits = 0;
    this.pendingN = 0;
    this.agedOutN = 0;
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
        // exit drift (exit-drift.ts): a drawn exit happens with probability g_t / G (u is uniform within the exit
        // share); otherwise nothing happens this month and the child waits again
        if (o === 0 && exitAccept !== null && age !== LAST_MONTH_IN_CARE && u >= outCum[ob]! * exitAccept[t]!) {
          this.schedule(c, t + 1);
          continue;
        }
        if (to >= 0) moves++;
        if (age === LAST_MONTH_IN_CARE) to = -1; // a move in the last month ends in leaving care all the same
      }
      // one call site for the category bookkeeping of exits and moves alike, which leaves V8 inlining budget for the rest
      this.removeFromCat(c);
      if (to < 0) {
        if (this.uasc[c]) this.uascCount--;
        this.free[this.freeTop++] = c;
        exits++;
        if (this.trackAgedOut && t - this.birth[c]! === LAST_MONTH_IN_CARE) this.noteAgedOut(c);
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

  private noteAgedOut(c: number): void {
    if (this.agedOutN === this.agedOut.length) {
      const b = new Int32Array(this.agedOutN * 2);
      b.set(this.agedOut);
      this.agedOut = b;
    }
    this.agedOut[this.agedOutN++] = c;
  }

  /** The initial stock, in the scenario's order (child i draws from stream i). */
  start(initial: InitialStock, runMix: number): void {
    for (let i = 0; i < initial.ageMonths.length; i++) {
      const c = this.alloc();
      this.seed(c, childSeed(runMix, i));
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
      this.seed(c, childSeed(runMix, ENTRANT_BASE + t * MONTH_SLOTS + k));
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

  /**
   * Step 3 for one sibling group of `size` children entering at the end of month t as arrivals k..k + size − 1 (each
   * child keeps its own stream, keyed by its order of arrival as in `enter`). The first child draws its band and
   * category from the entry rates; the others enter the same category, their bands drawn from that category's entry
   * rates (`bandAlias[category]`). The group lands together: into in-house fostering only when `size` places are
   * free, else all of it overflows to the first child's overflow destination. Returns the number that overflowed.
   */
  enterGroup(
    t: number,
    k: number,
    size: number,
    alias: AliasTable,
    bandAlias: AliasTable[],
    runMix: number,
    places: number,
    agencyAvailability: number,
  ): number {
    let overflow = 0;
    let cat = -1;
    let dest = -1;
    for (let j = 0; j < size; j++) {
      const c = this.alloc();
      this.seed(c, childSeed(runMix, ENTRANT_BASE + t * MONTH_SLOTS + k + j));
      const st = this.st; // after alloc, which may have grown the arrays
      // two uniforms of the child's stream (mulberry32: uniform() of random.ts, inlined by hand as in `enter`)
      let x = (st[c]! + 0x6d2b79f5) | 0;
      st[c] = x;
      x = Math.imul(x ^ (x >>> 15), 1 | x);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      const u1 = (((x ^ (x >>> 14)) >>> 0) + 0.5) / 4294967296;
      let band: number;
      if (j === 0) {
        const cell = alias.sample(u1);
        band = BAND_OF_CELL[cell]!;
        cat = cell - band * NC;
      } else band = bandAlias[cat]!.sample(u1);
      let y = (st[c]! + 0x6d2b79f5) | 0;
      st[c] = y;
      y = Math.imul(y ^ (y >>> 15), 1 | y);
      y = (y + Math.imul(y ^ (y >>> 7), 61 | y)) ^ y;
      const u2 = (((y ^ (y >>> 14)) >>> 0) + 0.5) / 4294967296;
      this.birth[c] = t + 1 - (BAND_START_MONTHS[band]! + ((u2 * BAND_WIDTH[band]!) | 0));
      this.uasc[c] = 0;
      this.evM[c] = -1;
      if (j === 0) {
        dest = cat;
        if (cat === IN_HOUSE && this.counts[IN_HOUSE]! + size > places) {
          overflow = size;
          dest = this.overflowDestination(c, agencyAvailability);
        }
      }
      this.place(c, dest);
      this.schedule(c, t + 1);
    }
    return overflow;
  }
}
