/**
 * The bench's floor loop must simulate the same chain as the engine (else the comparison it makes is not fair):
 * with capacity and UASC off, its child-months per run match the engine's within the standard error.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { parseScenario } from '#models/scenario';
import { floorLoop } from '../../bench/floor.js';

/** the default scenario with every input fixed (as before issue 14 gave its assumptions ranges) */
const FIXED_INPUTS = 'tests/fixtures/peterborough-2018-fixed-inputs.json';

describe('bench floor loop', () => {
  it('simulates as many child-months per run as the engine on the same chain (capacity and UASC off)', () => {
    const p = parseScenario({
      ...JSON.parse(readFileSync(FIXED_INPUTS, 'utf8')),
      capacity: null,
      uasc: null,
      runs: 1500,
      horizonMonths: 60,
    });
    if (!p.ok) throw new Error(JSON.stringify(p.issues));
    const s = p.value;
    const perRun = new Float64Array(s.runs);
    simulate(s, { onMonthEnd: (run, _t, st) => (perRun[run]! += st.counts.reduce((a, b) => a + b, 0)) });
    const mean = perRun.reduce((a, b) => a + b, 0) / s.runs;
    const sd = Math.sqrt(perRun.reduce((a, v) => a + (v - mean) ** 2, 0) / (s.runs - 1));
    const floor = floorLoop(s, s.runs);
    const floorMean = floor.childMonths / s.runs;
    // two independent samples of the same per-run total: the difference of means has SE ≈ sd × √(2 / runs)
    const se = sd * Math.sqrt(2 / s.runs);
    expect(mean).toBeGreaterThan(15000);
    expect(Math.abs(floorMean - mean)).toBeLessThan(4 * se);
  });
});
