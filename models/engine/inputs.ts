/**
 * The scenario's numeric inputs for one run. A fixed input is used as given (no draw); a range (models/uncertain.ts)
 * is drawn once per run from a stream keyed by the input's dotted path under the run's input stream, so variants that
 * do not change an input share its draw in every run.
 */
import type { Scenario } from '../scenario.js';
import {
  type FieldLimits,
  type UncertainNumber,
  drawUncertain,
  inputUniformOfHash,
  pathHash,
  uncertainMean,
} from '../uncertain.js';

export interface RunInputs {
  childPopulationBase: number;
  childPopulationGrowth: number;
  inHouseHouseholds: number;
  placesPerHousehold: number;
  recruitmentPerYear: number;
  householdLossPerYear: number;
  stepAcrossProbability: number;
  agencyAvailability: number;
  transfersPerMonth: number;
  spontaneousPerMonth: number;
  annualInflation: number;
  entriesMultiplier: number;
}

type Key = keyof RunInputs;
type Group = 'population' | 'capacity' | 'uasc' | 'inflation' | 'entries';

interface Spec {
  key: Key;
  path: string;
  group: Group;
  get: (s: Scenario) => UncertainNumber | undefined;
  limits: FieldLimits;
}

const P: FieldLimits = { min: 0, max: 1 };
const NN: FieldLimits = { min: 0 };
const SPECS: Spec[] = [
  {
    key: 'childPopulationBase',
    path: 'childPopulation.base',
    group: 'population',
    get: (s) => s.childPopulation.base,
    limits: { min: 1 },
  },
  {
    key: 'childPopulationGrowth',
    path: 'childPopulation.annualGrowth',
    group: 'population',
    get: (s) => s.childPopulation.annualGrowth,
    limits: { min: -0.99, max: 0.99 },
  },
  {
    key: 'inHouseHouseholds',
    path: 'capacity.inHouseHouseholds',
    group: 'capacity',
    get: (s) => s.capacity?.inHouseHouseholds,
    limits: { min: 0, integer: true },
  },
  {
    key: 'placesPerHousehold',
    path: 'capacity.placesPerHousehold',
    group: 'capacity',
    get: (s) => s.capacity?.placesPerHousehold,
    limits: { min: 0.01 },
  },
  {
    key: 'recruitmentPerYear',
    path: 'capacity.recruitmentPerYear',
    group: 'capacity',
    get: (s) => s.capacity?.recruitmentPerYear,
    limits: NN,
  },
  {
    key: 'householdLossPerYear',
    path: 'capacity.householdLossPerYear',
    group: 'capacity',
    get: (s) => s.capacity?.householdLossPerYear,
    limits: P,
  },
  {
    key: 'stepAcrossProbability',
    path: 'capacity.stepAcrossProbability',
    group: 'capacity',
    get: (s) => s.capacity?.stepAcrossProbability,
    limits: P,
  },
  {
    key: 'agencyAvailability',
    path: 'capacity.agencyAvailability',
    group: 'capacity',
    get: (s) => s.capacity?.agencyAvailability,
    limits: P,
  },
  {
    key: 'transfersPerMonth',
    path: 'uasc.transfersPerMonthWhenOnRota',
    group: 'uasc',
    get: (s) => s.uasc?.transfersPerMonthWhenOnRota,
    limits: NN,
  },
  {
    key: 'spontaneousPerMonth',
    path: 'uasc.spontaneousPerMonth',
    group: 'uasc',
    get: (s) => s.uasc?.spontaneousPerMonth,
    limits: NN,
  },
  {
    key: 'annualInflation',
    path: 'costs.annualInflation',
    group: 'inflation',
    get: (s) => s.costs.annualInflation,
    limits: { min: -0.49, max: 0.99 },
  },
  {
    key: 'entriesMultiplier',
    path: 'entries.multiplier',
    group: 'entries',
    get: (s) => s.entries.multiplier,
    limits: NN,
  },
];

/** The input paths a run draws when given as ranges (the dotted paths of `result.uncertainty.inputs`). */
export const INPUT_PATHS: readonly string[] = SPECS.map((s) => s.path);

/**
 * The scenario with every input range replaced by its central value (`uncertainMean`, rounded where the field is a
 * whole number): the same scenario with uncertain inputs off (the bench compares the two).
 */
export function withFixedInputs(s: Scenario): Scenario {
  const out = structuredClone(s) as unknown as Record<string, Record<string, unknown> | null>;
  for (const spec of SPECS) {
    const v = spec.get(s);
    if (v === undefined || typeof v === 'number') continue;
    const [head, field] = spec.path.split('.') as [string, string];
    const m = uncertainMean(v);
    out[head]![field] = spec.limits.integer ? Math.round(m) : m;
  }
  return out as unknown as Scenario;
}

export class InputDraws {
  /** the fixed values, and the central value of each range (used where one value stands for all runs) */
  readonly point: RunInputs;
  /** this run's values (the point values where fixed) */
  readonly run: RunInputs;
  /** dotted paths of the inputs given as ranges */
  readonly paths: string[];
  private readonly drawn: Spec[];
  private readonly values: UncertainNumber[];
  private readonly hashes: number[];
  private readonly groups = new Set<Group>();

  constructor(s: Scenario) {
    const point = {} as RunInputs;
    this.drawn = [];
    this.values = [];
    for (const spec of SPECS) {
      const v = spec.get(s);
      if (v === undefined) {
        point[spec.key] = spec.key === 'agencyAvailability' || spec.key === 'entriesMultiplier' ? 1 : 0;
        continue;
      }
      point[spec.key] = uncertainMean(v);
      if (typeof v !== 'number') {
        this.drawn.push(spec);
        this.values.push(v);
        this.groups.add(spec.group);
      }
    }
    this.point = point;
    this.run = { ...point };
    this.paths = this.drawn.map((d) => d.path);
    this.hashes = this.paths.map(pathHash);
  }

  uncertain(group: Group): boolean {
    return this.groups.has(group);
  }

  /** Draw this run's values of the ranges from the run's input stream seed. */
  draw(inputSeed: number): void {
    for (let i = 0; i < this.drawn.length; i++) {
      const spec = this.drawn[i]!;
      this.run[spec.key] = drawUncertain(this.values[i]!, inputUniformOfHash(inputSeed, this.hashes[i]!), spec.limits);
    }
  }
}
