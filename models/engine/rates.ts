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

/**
 * Parameter uncertainty: each run draws its rates from posteriors given the evidence, centred on the scenario's own
 * rates (so user overrides keep their meaning). Per band × category with exposure E, exits e and moves m_j, the
 * outcome shares are Dirichlet(e, m_1, …, E − e − Σm); entries per month are Gamma(count)/months. Each drawn value
 * is the scenario's rate × (draw / posterior mean); a rate with no events behind it stays as given.
 */
export function drawRates(s: Scenario, point: Rates, rng: Rng): Rates {
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

export function buildTables(r: Rates): RateTables {
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
