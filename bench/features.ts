/**
 * What honest uncertainty costs the engine: the same scenario timed with uncertain inputs, drift and sibling groups
 * all off, each alone, and all on (the goal: on ≤ 1.15 × off, time per run).
 *
 * - off: every input range replaced by its central value (models/engine/inputs.ts `withFixedInputs`), no drift, no
 *   groups, no posterior draws of the rates;
 * - inputs: the scenario's ranges, each drawn once per run from its keyed stream;
 * - inputsFixedInflation: the same but inflation at its central value — inflation drawn per run makes every
 *   category's monthly cost vary between runs beyond its count, so each gets a sketch of its own (the recorder's work,
 *   not the draw's): this shows the two apart;
 * - drift: the entry rate's random walk (the scenario's parameters.entryDrift, the stated prior 0.10 a year);
 * - exitDrift: the exit rates' random walk (parameters.exitDrift, or 0.10 a year where the scenario has none — the
 *   default scenario has none: one year of data cannot support it), by thinning (models/engine/exit-drift.ts);
 * - groups: entries in sibling groups (the generator's shares, bin/demo/drifting.ts: mean size 1.41);
 * - inputsDrift: uncertain inputs, entry drift and exit drift (the issue's words: "uncertain inputs and drift must not
 *   slow a run by more than 15%"), without groups — a model of arrivals rather than an uncertainty;
 * - on: all four; the posterior draws of the rates (uncertainty.parameters) are timed on their own beside them, as
 *   `parameters`, and with everything as `onWithParameters` (the default scenario's own setting).
 *
 * Timed interleaved, round by round, best of the rounds for each variant: the machine's other load hits them alike.
 */
import { simulate } from '../models/engine/index.js';
import { withFixedInputs } from '../models/engine/inputs.js';
import type { Scenario } from '../models/scenario.js';

export const BENCH_GROUP_SIZES = { '1': 0.72, '2': 0.18, '3': 0.07, '4': 0.03 } as const;

export type FeatureVariant =
  | 'off'
  | 'inputs'
  | 'inputsFixedInflation'
  | 'drift'
  | 'exitDrift'
  | 'groups'
  | 'inputsDrift'
  | 'on'
  | 'parameters'
  | 'onWithParameters';
export const FEATURE_VARIANTS: FeatureVariant[] = [
  'off',
  'inputs',
  'inputsFixedInflation',
  'drift',
  'exitDrift',
  'groups',
  'inputsDrift',
  'on',
  'parameters',
  'onWithParameters',
];

/** The scenario `base` with the features of `variant` on and the rest off. */
export function featureScenario(base: Scenario, variant: FeatureVariant): Scenario {
  const on = (f: 'inputs' | 'drift' | 'exitDrift' | 'groups' | 'parameters') =>
    variant === f ||
    (variant === 'on' && f !== 'parameters') ||
    (variant === 'inputsDrift' && (f === 'inputs' || f === 'drift' || f === 'exitDrift')) ||
    variant === 'onWithParameters';
  const s = on('inputs') || variant === 'inputsFixedInflation' ? structuredClone(base) : withFixedInputs(base);
  if (variant === 'inputsFixedInflation') s.costs.annualInflation = withFixedInputs(base).costs.annualInflation;
  const entryDrift = base.parameters.entryDrift ?? { sdPerYear: 0.1 };
  const exitDrift = base.parameters.exitDrift ?? { sdPerYear: 0.1 };
  s.parameters = {
    ...s.parameters,
    entryDrift,
    exitDrift,
    entryGroups: { sizes: { ...BENCH_GROUP_SIZES } },
  };
  s.uncertainty = {
    parameters: on('parameters'),
    drift: on('drift'),
    exitDrift: on('exitDrift'),
    groups: on('groups'),
  };
  return s;
}

export interface FeatureTiming {
  variant: FeatureVariant;
  /** milliseconds of CPU time per run (best round): the process's user + system time, which the machine's other
   *  load moves far less than wall time */
  cpuMsPerRun: number;
  /** milliseconds of wall time per run (best round) */
  wallMsPerRun: number;
  /** this variant's CPU time per run ÷ off's */
  slowdown: number;
}

/** Times every variant `rounds` times over `runs` runs, interleaved; the best round of each. */
export function timeFeatures(base: Scenario, runs: number, rounds = 3): FeatureTiming[] {
  const scenarios = FEATURE_VARIANTS.map((v) => ({ ...featureScenario(base, v), runs }));
  for (const s of scenarios) simulate({ ...s, runs: Math.min(runs, 300) }); // warm each path
  const cpu = scenarios.map(() => Infinity);
  const wall = scenarios.map(() => Infinity);
  for (let round = 0; round < rounds; round++) {
    scenarios.forEach((s, i) => {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      simulate(s);
      const c = process.cpuUsage(c0);
      wall[i] = Math.min(wall[i]!, Number(process.hrtime.bigint() - t0) / 1e6);
      cpu[i] = Math.min(cpu[i]!, (c.user + c.system) / 1e3);
    });
  }
  return FEATURE_VARIANTS.map((variant, i) => ({
    variant,
    cpuMsPerRun: Number((cpu[i]! / runs).toFixed(4)),
    wallMsPerRun: Number((wall[i]! / runs).toFixed(4)),
    slowdown: Number((cpu[i]! / cpu[0]!).toFixed(3)),
  }));
}
