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
 * Each variant is timed in processes of its own (bench/feature-one.ts), interleaved round by round, the best process for
 * each: see `timeFeatures`.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
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
  /** milliseconds of CPU time per run (best process): the process's user + system time, which the machine's other
   *  load moves far less than wall time */
  cpuMsPerRun: number;
  /** milliseconds of wall time per run (best process) */
  wallMsPerRun: number;
  /** this variant's CPU time per run ÷ off's */
  slowdown: number;
}

/** One variant in this process: warmed on 4 × 300 runs, then the best of 3 timed runs of `runs`. */
export function timeVariant(base: Scenario, variant: FeatureVariant, runs: number): { cpuMs: number; wallMs: number } {
  const s = { ...featureScenario(base, variant), runs };
  for (let i = 0; i < 4; i++) simulate({ ...s, runs: Math.min(runs, 300) });
  let cpuMs = Infinity;
  let wallMs = Infinity;
  for (let k = 0; k < 3; k++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    simulate(s);
    const c = process.cpuUsage(c0);
    wallMs = Math.min(wallMs, Number(process.hrtime.bigint() - t0) / 1e6 / runs);
    cpuMs = Math.min(cpuMs, (c.user + c.system) / 1e3 / runs);
  }
  return { cpuMs, wallMs };
}

/**
 * Times every variant, each in a process of its own (`rounds` processes per variant, interleaved: the machine's other
 * load hits them alike; the best process of each). A process of its own because the engine's speed depends on what
 * V8 compiled it for: timed in one process one after another, the variants' different paths leave the hot functions
 * compiled for all of them, and the ratios moved by ±30% with the order the variants ran in — a forecast job runs one
 * scenario in its own process (bin/local/job-host.ts, a Lambda on AWS).
 */
export function timeFeatures(runs: number, rounds = 3): FeatureTiming[] {
  const cpu = FEATURE_VARIANTS.map(() => Infinity);
  const wall = FEATURE_VARIANTS.map(() => Infinity);
  const entry = fileURLToPath(new URL('./feature-one.ts', import.meta.url));
  for (let round = 0; round < rounds; round++) {
    FEATURE_VARIANTS.forEach((variant, i) => {
      const out = execFileSync(process.execPath, ['--import', 'tsx', entry, variant, String(runs)], {
        encoding: 'utf8',
      });
      const t = JSON.parse(out.trim().split('\n').pop()!) as { cpuMs: number; wallMs: number };
      cpu[i] = Math.min(cpu[i]!, t.cpuMs);
      wall[i] = Math.min(wall[i]!, t.wallMs);
    });
  }
  return FEATURE_VARIANTS.map((variant, i) => ({
    variant,
    cpuMsPerRun: Number(cpu[i]!.toFixed(4)),
    wallMsPerRun: Number(wall[i]!.toFixed(4)),
    slowdown: Number((cpu[i]! / cpu[0]!).toFixed(3)),
  }));
}
