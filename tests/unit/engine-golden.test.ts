/**
 * Golden results: the whole result JSON of fixed scenarios at fixed seeds, hashed. These pin the engine's output bit
 * for bit across refactors (issue 11: the split of models/engine.ts into models/engine/ must not change one number).
 * A change of semantics that is meant to change results updates the hashes in the same commit, and says why.
 * The scenario is the default scenario as it was before issue 14 gave its assumptions ranges
 * (tests/fixtures/peterborough-2018-fixed-inputs.json): every input fixed, so it also pins "a fixed input gives
 * bit-identical results".
 * Left out: `elapsedMs` (wall-clock time), `uncertainty` (a report added by issue 14, asserted on its own) and
 * `inputs` (where each figure came from, issue 12: provenance, not a number the engine makes), so the
 * hashes were those of the results before the split (until the change below).
 *
 * Hash history: issue 15 made the money sketches' sums compensated (Neumaier), so that shards merge to the
 * one-process mean whatever their grouping; only means and SDs of money moved, by at most 2.2e-13 relative (every
 * count and quantile unchanged), and the hashes were updated in that commit. Issue 14's speed work then kept a
 * category's monthly cost (sketched where the weekly cost is triangular or inflation is drawn) at 0.1% accuracy instead
 * of 0.025% (models/summary.ts SKETCH_COARSE): only those quantiles moved (the same result with them blanked hashes
 * the same before and after), and the hashes were updated in that commit. On 8 December 2026 each child got a second
 * stream for its placement spells' weekly costs and its overflow destination (models/engine/world.ts `cst`), so that a
 * variant fixing a cost range meets the same events as the base (tests/unit/compare-crn.test.ts): the draws of every
 * child with a residential or secure spell moved, so every figure moved within its Monte Carlo error, and the hashes
 * were updated in that commit.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { AGE_BANDS, CATEGORIES } from '#models/placement';
import { parseScenario, type Scenario } from '#models/scenario';

function defaultScenario(): Scenario {
  const p = parseScenario(JSON.parse(readFileSync('tests/fixtures/peterborough-2018-fixed-inputs.json', 'utf8')));
  if (!p.ok) throw new Error('default scenario is invalid');
  return p.value;
}

function hashOf(s: Scenario, check?: (r: ReturnType<typeof simulate>) => void): string {
  const result = simulate(s, { collectRunTotals: true });
  check?.(result);
  const { elapsedMs: _elapsed, uncertainty: _uncertainty, inputs: _inputs, ...rest } = result;
  return createHash('sha256').update(JSON.stringify(rest)).digest('hex');
}

/** Evidence consistent with the scenario's own rates (1,200 child-months per cell, 24 months of entries). */
function evidenceFor(s: Scenario): NonNullable<Scenario['parameters']['evidence']> {
  const ev: NonNullable<Scenario['parameters']['evidence']> = {
    exposureMonths: {},
    exits: {},
    moves: {},
    entries: {},
    entryMonths: 24,
  };
  for (const b of AGE_BANDS) {
    for (const c of CATEGORIES) {
      const e = s.parameters.entriesPerMonth[b]?.[c];
      if (e) (ev.entries[b] ??= {})[c] = Math.round(e * 24);
      const x = s.parameters.exitProbability[b]?.[c];
      if (x === undefined) continue;
      (ev.exposureMonths[b] ??= {})[c] = 1200;
      (ev.exits[b] ??= {})[c] = Math.round(x * 1200);
      for (const j of CATEGORIES) {
        const m = s.parameters.moveProbability[b]?.[c]?.[j];
        if (m) ((ev.moves[b] ??= {})[c] ??= {})[j] = Math.round(m * 1200);
      }
    }
  }
  return ev;
}

describe('engine golden results (bit-identical across refactors)', () => {
  it('the default scenario, 300 runs × 60 months, seed 42', () => {
    const s = { ...defaultScenario(), runs: 300, horizonMonths: 60, seed: 42 };
    expect(hashOf(s, (r) => expect(r.uncertainty).toBeUndefined())).toBe(
      '51a8ef450bc30cf5a98053450eb9fe5cab619b431f6d70b5c5217c880bcc64a8',
    );
  });

  it('the default scenario with parameter uncertainty (posterior draws), 200 runs × 36 months, seed 9', () => {
    const base = defaultScenario();
    const s: Scenario = {
      ...base,
      runs: 200,
      horizonMonths: 36,
      seed: 9,
      parameters: { ...base.parameters, evidence: evidenceFor(base) },
      uncertainty: { ...base.uncertainty, parameters: true },
    };
    const report = (r: ReturnType<typeof simulate>) =>
      expect(r.uncertainty).toEqual({ inputs: [], parameters: true, entryDrift: null, entryGroups: null });
    expect(hashOf(s, report)).toBe('c2f0f4ff9ce39d6a9127c88628eb4e67658631744795046fbf140378924a4a6d');
  });
});
