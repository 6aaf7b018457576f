/** Rate tables of one run: the scenario's point rates, posterior draws around them, and the tables the hot loop reads. */
import { AGE_BANDS, CATEGORIES } from '../placement.js';
import { AliasTable, PoissonTable, type Rng } from '../random.js';
import type { Scenario } from '../scenario.js';
import { GUIDE, NB, NC, OUT, SURV } from './constants.js';

/** The rates of one run in flat arrays: cell = band × NC + category. */
export interface Rates {
  exit: Float64Array; // NB*NC
  move: Float64Array; // NB*NC*NC
  entry: Float64Array; // NB*NC (per month, multiplier applied)
}

export interface RateTables {
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

/** The scenario's rates, entries × `multiplier` (the entries multiplier, or 1 when it is drawn per run). */
export function pointRates(s: Scenario, multiplier: number): Rates {
  const exit = new Float64Array(NB * NC);
  const move = new Float64Array(NB * NC * NC);
  const entry = new Float64Array(NB * NC);
  const m = multiplier;
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

/** The evidence behind the rates in flat arrays (cell = band × NC + category), read once per forecast. */
export interface FlatEvidence {
  entries: Float64Array; // NB*NC
  exposure: Float64Array; // NB*NC
  exits: Float64Array; // NB*NC
  moves: Float64Array; // NB*NC*NC
}

export function flatEvidence(s: Scenario): FlatEvidence | null {
  const ev = s.parameters.evidence;
  if (!ev) return null;
  const out: FlatEvidence = {
    entries: new Float64Array(NB * NC),
    exposure: new Float64Array(NB * NC),
    exits: new Float64Array(NB * NC),
    moves: new Float64Array(NB * NC * NC),
  };
  AGE_BANDS.forEach((band, b) => {
    CATEGORIES.forEach((cat, c) => {
      const cell = b * NC + c;
      out.entries[cell] = ev.entries[band]?.[cat] ?? 0;
      out.exposure[cell] = ev.exposureMonths[band]?.[cat] ?? 0;
      out.exits[cell] = ev.exits[band]?.[cat] ?? 0;
      CATEGORIES.forEach((to, j) => (out.moves[cell * NC + j] = ev.moves[band]?.[cat]?.[to] ?? 0));
    });
  });
  return out;
}

/**
 * Parameter uncertainty: each run draws its rates from posteriors given the evidence, centred on the scenario's own
 * rates (so user overrides keep their meaning). Per band × category with exposure E, exits e and moves m_j, the
 * outcome shares are Dirichlet(e, m_1, …, E − e − Σm); entries per month are Gamma(count)/months. Each drawn value
 * is the scenario's rate × (draw / posterior mean); a rate with no events behind it stays as given.
 * (Flat arrays and no closures: a draw is made up to a thousand times a forecast — models/engine/posterior.ts.)
 */
export function drawRates(ev: FlatEvidence, point: Rates, rng: Rng): Rates {
  const exit = Float64Array.from(point.exit);
  const move = Float64Array.from(point.move);
  const entry = Float64Array.from(point.entry);
  const gMoves = new Float64Array(NC);
  for (let cell = 0; cell < NB * NC; cell++) {
    const entries = ev.entries[cell]!;
    if (entries > 0 && point.entry[cell]! > 0) entry[cell] = point.entry[cell]! * (rng.gamma(entries) / entries);
    const exposure = ev.exposure[cell]!;
    if (exposure <= 0) continue;
    const exits = ev.exits[cell]!;
    const m0 = cell * NC;
    let movesSum = 0;
    for (let j = 0; j < NC; j++) movesSum += ev.moves[m0 + j]!;
    const events = exits + movesSum;
    const stay = Math.max(0, exposure - events);
    const gExit = rng.gamma(exits);
    let gMovesSum = 0;
    for (let j = 0; j < NC; j++) {
      gMoves[j] = rng.gamma(ev.moves[m0 + j]!);
      gMovesSum += gMoves[j]!;
    }
    const gStay = rng.gamma(stay);
    const total = gExit + gMovesSum + gStay;
    if (total <= 0) continue;
    let sum = 0;
    if (exits > 0 && point.exit[cell]! > 0) exit[cell] = (point.exit[cell]! * (gExit / total)) / (exits / exposure);
    sum += exit[cell]!;
    for (let j = 0; j < NC; j++) {
      const mj = ev.moves[m0 + j]!;
      const k = m0 + j;
      if (mj > 0 && point.move[k]! > 0) move[k] = (point.move[k]! * (gMoves[j]! / total)) / (mj / exposure);
      sum += move[k]!;
    }
    if (sum > 1) {
      // a draw in the far tail: keep the categorical draw valid
      exit[cell] = exit[cell]! / sum;
      for (let j = 0; j < NC; j++) move[m0 + j] = move[m0 + j]! / sum;
    }
  }
  return { exit, move, entry };
}

/** The tables of rates `r` (written into `into` when given: a posterior draw refills the same arrays). */
export function buildTables(r: Rates, into?: RateTables): RateTables {
  const q = into ? into.q : new Float64Array(NB * NC);
  const survival = into ? into.survival : new Float64Array(NB * NC * SURV);
  const guide = into ? into.guide : new Uint8Array(NB * NC * GUIDE);
  const outCum = into ? into.outCum.fill(1) : new Float64Array(NB * NC * OUT).fill(1);
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
    // guide[j] = the first n in 1..SURV − 2 with survival(n) ≤ (j + 1) / GUIDE, else SURV − 1. Survival falls with n,
    // so n's slots are those from ⌈survival(n) × GUIDE⌉ − 1 (exact: GUIDE is a power of two) up to the previous n's:
    // one pass over n, each slot written once (no division per slot)
    const g0 = cell * GUIDE;
    let hi = GUIDE;
    for (let n = 1; n < SURV - 1 && hi > 0; n++) {
      let from = Math.ceil(survival[cell * SURV + n]! * GUIDE) - 1;
      if (from < 0) from = 0;
      for (let j = from; j < hi; j++) guide[g0 + j] = n;
      if (from < hi) hi = from;
    }
    for (let j = 0; j < hi; j++) guide[g0 + j] = SURV - 1;
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
  if (into) {
    into.entryAlias.reset(r.entry);
    into.entryTable.reset(entryTotal);
    return into;
  }
  return {
    q,
    survival,
    guide,
    outCum,
    entryAlias: new AliasTable(r.entry),
    entryTable: new PoissonTable(entryTotal),
  };
}
