/**
 * Posterior draws of the rates shared by blocks of runs (models/engine/posterior.ts), and the table builders they
 * rely on: a draw is the one run d's parameter stream gives, tables refilled in place equal tables built afresh, and
 * the guide table built by one pass over n equals the slot-by-slot definition.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';
import { simulate } from '#models/engine';
import { RUN_STREAM_BASE, S_PARAMS, GUIDE, NB, NC, SURV } from '../../models/engine/constants.js';
import { POSTERIOR_DRAWS, PosteriorDraws } from '../../models/engine/posterior.js';
import { buildTables, drawRates, flatEvidence, pointRates } from '../../models/engine/rates.js';
import { AliasTable, Rng, streamSeed } from '#models/random';
import { parseScenario, type Scenario } from '#models/scenario';

function defaultScenario(): Scenario {
  const p = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')));
  if (!p.ok) throw new Error('default scenario is invalid');
  return p.value;
}

describe('posterior draws shared by blocks of runs', () => {
  const s = defaultScenario();
  const point = pointRates(s, 1);
  const ev = flatEvidence(s)!;
  const drawOfStream = (d: number) =>
    drawRates(ev, point, new Rng(streamSeed(streamSeed(s.seed, d), RUN_STREAM_BASE + S_PARAMS)));

  it('gives every run its own draw up to POSTERIOR_DRAWS runs, then blocks of ⌈runs / POSTERIOR_DRAWS⌉', () => {
    const small = new PosteriorDraws({ ...s, runs: POSTERIOR_DRAWS }, point);
    expect(small.block).toBe(1);
    expect(small.ratesFor(37).exit).toEqual(drawOfStream(37).exit);
    const large = new PosteriorDraws({ ...s, runs: 10 * POSTERIOR_DRAWS + 1 }, point);
    expect(large.block).toBe(11);
    expect(large.drawOf(10)).toBe(0);
    expect(large.drawOf(11)).toBe(1);
    expect(large.drawOf(10 * POSTERIOR_DRAWS)).toBe(909);
    const a = large.ratesFor(23);
    expect(large.ratesFor(22)).toBe(a); // the same draw in hand: not drawn again
    expect(a.entry).toEqual(drawOfStream(2).entry);
    expect(a.move).toEqual(drawOfStream(2).move);
    expect(large.ratesFor(33)).not.toBe(a);
    expect(large.ratesFor(33).exit).toEqual(drawOfStream(3).exit);
    // runs taken out of order still get their own block's draw
    expect(large.ratesFor(5).exit).toEqual(drawOfStream(0).exit);
  });

  it('refills the tables in place with the same values as tables built afresh', () => {
    const draws = new PosteriorDraws({ ...s, runs: 3000 }, point);
    draws.ratesFor(0);
    const first = draws.tables();
    const rates = draws.ratesFor(3);
    const again = draws.tables();
    expect(again).toBe(first);
    const fresh = buildTables(rates);
    expect(again.q).toEqual(fresh.q);
    expect(again.survival).toEqual(fresh.survival);
    expect(again.guide).toEqual(fresh.guide);
    expect(again.outCum).toEqual(fresh.outCum);
    expect(again.entryAlias.prob).toEqual(fresh.entryAlias.prob);
    expect(again.entryAlias.alias).toEqual(fresh.entryAlias.alias);
    for (let u = 0.005; u < 1; u += 0.01) expect(again.entryTable.sample(u)).toBe(fresh.entryTable.sample(u));
  });

  it('keeps the guide table to its definition: the first n ≥ 1 with survival(n) ≤ (j + 1) / GUIDE', () => {
    const t = buildTables(drawOfStream(4));
    const q0 = buildTables({ ...point, exit: new Float64Array(NB * NC), move: new Float64Array(NB * NC * NC) });
    for (const tables of [t, q0]) {
      for (let cell = 0; cell < NB * NC; cell++) {
        for (let j = 0; j < GUIDE; j++) {
          let n = 1;
          while (n < SURV - 1 && tables.survival[cell * SURV + n]! > (j + 1) / GUIDE) n++;
          expect(tables.guide[cell * GUIDE + j]).toBe(n);
        }
      }
    }
  });

  it('resets an alias table in place to the table of new weights', () => {
    const rng = new Rng(3);
    const table = new AliasTable([1, 2, 3, 4]);
    for (let k = 0; k < 20; k++) {
      const w = Array.from({ length: 4 }, () => (rng.next() < 0.2 ? 0 : rng.next()));
      table.reset(w);
      const fresh = new AliasTable(w);
      expect(table.prob).toEqual(fresh.prob);
      expect(table.alias).toEqual(fresh.alias);
    }
    expect(() => table.reset([1, 2])).toThrow(/4 columns cannot take 2 weights/);
  });

  it('still widens the bands over many runs: the 12-month total’s SD with draws ÷ without, 3,000 runs', () => {
    // 3 runs a draw. Posterior draws add variance, so the ratio is above 1 by more than its noise
    const base = { ...s, runs: 3000, horizonMonths: 12, seed: 4 };
    const sd = (parameters: boolean) => {
      const r = simulate({ ...base, uncertainty: { ...base.uncertainty, parameters } });
      const t = r.population.total;
      return (t.p90[11]! - t.p10[11]!) / 2.563;
    };
    const ratio = sd(true) / sd(false);
    // the SE of a ratio of two P10–P90 spreads from 3,000 runs each is about 0.03; draws widen it well beyond 1
    expect(ratio).toBeGreaterThan(1.1);
  });
});
