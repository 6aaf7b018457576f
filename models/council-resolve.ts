/**
 * Scenario resolution: the scenario a forecast from a dataset runs, built in three layers — the data (start, stock,
 * rates), then the council's profile, then the caller's overrides. Nothing from another council applies silently:
 * what the profile lacks is inferred from the data where the data can say it (in-house carer households from the
 * occupancy at the data end), or filled from the named example (EXAMPLE_LABEL) and listed in `missing` and in the
 * warnings. Every figure's source goes into the scenario's `sources` by dotted path (`profile v3`,
 * `inferred from data to 2024-03-31 …`, `example: Peterborough 2018`, `national: …`, `override`), which the result's
 * `inputs` list (models/council-inputs.ts) reports.
 *
 * Two rules hold whatever the profile says: parameter uncertainty is on (the rates are estimates from this data) unless
 * the caller turns it off, and the in-house places at the start are at least the children in in-house foster care at
 * the data end, so the first forecast month continues the data without a jump into agency care.
 */
import { MONTH_RE, addMonths, monthIndex } from './calendar.js';
import type { CouncilProfile, CouncilProfileVersion } from './council.js';
import { type Dataset, compactInitial } from './dataset.js';
import { EXAMPLE_LABEL, NTS_THRESHOLDS, PETERBOROUGH_PROFILE, UASC_GRANT_RATES } from './defaults.js';
import { CATEGORIES } from './placement.js';
import { applyOverrides, lastForecastMonth, type ScenarioInput } from './scenario.js';
import { lastFullMonth } from './stock.js';
import { type UncertainNumber, uncertainMean } from './uncertain.js';

/** An uncertain number times a constant (each part of a range scaled alike). */
function scaleUncertain(x: UncertainNumber, k: number): UncertainNumber {
  if (typeof x === 'number') return x * k;
  if ('mode' in x) return { min: x.min * k, mode: x.mode * k, max: x.max * k };
  return { p10: x.p10 * k, p90: x.p90 * k };
}

export interface Resolution {
  scenario: ScenarioInput;
  /** dotted paths filled from the example because the profile (or the absent profile) does not give them */
  missing: string[];
  /** what resolution had to say, also in `scenario.notes` */
  warnings: string[];
}

export interface ResolveOptions {
  /** the council the dataset belongs to (its ONS code), when it says */
  council?: string;
  /** the council's current profile, when it has one */
  profile?: CouncilProfileVersion | null;
  overrides?: unknown;
  /** the example to fill gaps from (tests pass their own) */
  example?: { label: string; profile: CouncilProfile | typeof PETERBOROUGH_PROFILE };
}

const HORIZON_MONTHS = 60;

/** Months from mid-year `year` (30 June) to the start month: population estimates are for mid-year. */
const monthsFromMidYear = (year: number, start: string): number => monthIndex(start) - monthIndex(`${year}-06`);

/** The smallest number of households whose places (floor(h × per household)) hold `children`. */
export function householdsFor(children: number, placesPerHousehold: number): number {
  let h = Math.ceil(children / placesPerHousehold);
  while (Math.floor(h * placesPerHousehold) < children) h++;
  while (h > 0 && Math.floor((h - 1) * placesPerHousehold) >= children) h--;
  return h;
}

/** Every leaf path of an overrides object (arrays and records of numbers are leaves at their own path). */
function leafPaths(value: unknown, prefix: string, out: string[]): string[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    if (prefix) out.push(prefix);
    return out;
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0 && prefix) out.push(prefix);
  for (const [k, v] of entries) leafPaths(v, prefix ? `${prefix}.${k}` : k, out);
  return out;
}

export function resolveScenario(dataset: Dataset, options: ResolveOptions = {}): Resolution {
  const end = dataset.period.end;
  const start = addMonths(lastFullMonth(end), 1);
  const profile = options.profile?.profile;
  const ex = (options.example?.profile ?? PETERBOROUGH_PROFILE) as CouncilProfile;
  const exLabel = `example: ${options.example?.label ?? EXAMPLE_LABEL}`;
  const own = options.profile ? `profile v${options.profile.version}` : '';
  const fromData = `inferred from data to ${end}`;
  const sources: Record<string, string> = {};
  const missing: string[] = [];
  const warnings: string[] = [];
  const whose = options.council
    ? options.profile
      ? `council ${options.council}'s profile (v${options.profile.version})`
      : `council ${options.council}, which has no profile,`
    : 'this dataset, which belongs to no council,';

  /** A figure from the profile when it gives it, else from the example (named in the warnings). */
  function pick<T>(path: string, mine: T | undefined, example: T, describe?: (v: T) => string): T {
    if (mine !== undefined) {
      sources[path] = own;
      return mine;
    }
    sources[path] = exLabel;
    missing.push(path);
    const shown = describe ? describe(example) : JSON.stringify(example);
    warnings.push(`${path} = ${shown} is the ${exLabel.slice(9)} example value: ${whose} does not give it`);
    return example;
  }

  // --- the data
  const inHouseAtEnd = dataset.initial.filter((c) => c.category === 'inHouseFoster').length;
  const uascAtEnd = dataset.initial.filter((c) => c.uasc).length;
  sources.parameters = `estimated from ${dataset.format === 'ssda903' ? 'SSDA903 returns' : 'placement records'} over ${dataset.estimate.window.from}..${dataset.estimate.window.to}`;
  sources.initial = `data: children in care at ${end}`;
  sources['uasc.initial'] = `data: UASC in care at ${end}`;

  // --- child population, projected from its mid-year to the forecast start
  const popGiven = profile?.childPopulation;
  const pop = pick(
    'childPopulation',
    popGiven,
    ex.childPopulation as NonNullable<CouncilProfile['childPopulation']>,
    (p) => `${p.base.toLocaleString('en-GB')} children aged 0–17 in ${p.year}`,
  );
  const growth = pop.annualGrowth ?? 0;
  const months = monthsFromMidYear(pop.year, start);
  // a range scales with the projection (a linear map keeps its shape); a range of growth projects at its mean
  const factor = (1 + uncertainMean(growth)) ** (months / 12);
  const base = scaleUncertain(pop.base, factor);
  sources['childPopulation.base'] =
    `${sources.childPopulation}: ${JSON.stringify(pop.base)} in mid-${pop.year}, projected to ${start} at ${JSON.stringify(growth)} a year`;
  sources['childPopulation.annualGrowth'] = sources.childPopulation as string;
  delete sources.childPopulation;

  // --- capacity: households inferred from the data when the profile does not give them
  const capP = profile?.capacity ?? {};
  const capEx = (ex.capacity ?? {}) as NonNullable<CouncilProfile['capacity']>;
  const placesPerHousehold = pick(
    'capacity.placesPerHousehold',
    capP.placesPerHousehold,
    capEx.placesPerHousehold as number,
  );
  // households are inferred, and the seam checked, at the mean of a range of places per household
  const pph = uncertainMean(placesPerHousehold);
  let households: UncertainNumber;
  if (capP.inHouseHouseholds !== undefined) {
    households = capP.inHouseHouseholds;
    sources['capacity.inHouseHouseholds'] = own;
  } else {
    households = householdsFor(inHouseAtEnd, pph);
    sources['capacity.inHouseHouseholds'] =
      `${fromData}: ${inHouseAtEnd} children in in-house foster care at ${end} ÷ ${pph} places per household`;
  }
  const needed = householdsFor(inHouseAtEnd, pph);
  if (typeof households !== 'number') {
    if (uncertainMean(households) < needed)
      warnings.push(
        `capacity.inHouseHouseholds ${JSON.stringify(households)} averages fewer than the ${needed} households the ${inHouseAtEnd} children in in-house foster care at ${end} need: runs that draw fewer move the excess to agency fostering in the first month`,
      );
  } else if (households < needed) {
    warnings.push(
      `capacity.inHouseHouseholds raised from ${households} to ${needed}: ${households} × ${pph} places would not hold the ${inHouseAtEnd} children in in-house foster care at ${end}, and the forecast must continue the data without a jump`,
    );
    sources['capacity.inHouseHouseholds'] =
      `${sources['capacity.inHouseHouseholds']}, raised to hold the ${inHouseAtEnd} children in in-house foster care at ${end}`;
    households = needed;
  }
  const capacity = {
    inHouseHouseholds: households,
    placesPerHousehold,
    recruitmentPerYear: pick(
      'capacity.recruitmentPerYear',
      capP.recruitmentPerYear,
      capEx.recruitmentPerYear as number,
    ),
    householdLossPerYear: pick(
      'capacity.householdLossPerYear',
      capP.householdLossPerYear,
      capEx.householdLossPerYear as number,
    ),
    stepAcrossProbability: pick(
      'capacity.stepAcrossProbability',
      capP.stepAcrossProbability,
      capEx.stepAcrossProbability as number,
    ),
    agencyAvailability: pick(
      'capacity.agencyAvailability',
      capP.agencyAvailability,
      capEx.agencyAvailability as number,
    ),
  };

  // --- costs: each category on its own
  const costP = profile?.costs ?? {};
  const costEx = ex.costs as NonNullable<CouncilProfile['costs']>;
  const weekly: Record<string, unknown> = {};
  for (const cat of CATEGORIES) {
    const mine = costP.weekly?.[cat];
    const theirs = costEx.weekly?.[cat];
    if (mine === undefined && theirs === undefined) continue;
    const gbp = (x: number | undefined) => `£${(x ?? 0).toLocaleString('en-GB')}`;
    weekly[cat] = pick(`costs.weekly.${cat}`, mine, theirs, (c) =>
      typeof c === 'number' ? `${gbp(c)} a week` : `${gbp(c?.min)}–${gbp(c?.max)} a week (mode ${gbp(c?.mode)})`,
    );
  }
  const costs: NonNullable<ScenarioInput['costs']> = {
    priceBase: pick('costs.priceBase', costP.priceBase, costEx.priceBase as string),
    annualInflation: pick('costs.annualInflation', costP.annualInflation, costEx.annualInflation as number),
    weekly: weekly as NonNullable<ScenarioInput['costs']>['weekly'],
    ...(costP.inflationByCategory ? { inflationByCategory: costP.inflationByCategory } : {}),
  };
  if (costP.inflationByCategory) sources['costs.inflationByCategory'] = own;

  // --- budgets: the council's own, else the example's (named in the warnings like every example value)
  const budgets = pick(
    'budgets',
    profile?.budgets && Object.keys(profile.budgets).length > 0 ? profile.budgets : undefined,
    (ex.budgets ?? {}) as NonNullable<ScenarioInput['budgets']>,
    (b) => `${Object.keys(b).length} financial years from ${Object.keys(b)[0] ?? 'none'}`,
  );

  // --- Staying Put and the UASC grant
  const stayingPut = pick(
    'stayingPut',
    profile?.stayingPut,
    ex.stayingPut as NonNullable<CouncilProfile['stayingPut']>,
    (p) =>
      `${Math.round(p.share * 100)}% of young people, ${p.months} months, £${p.weekly.toLocaleString('en-GB')} a week`,
  );
  let uascGrant: NonNullable<CouncilProfile['uascGrant']>;
  if (profile?.uascGrant) {
    uascGrant = profile.uascGrant;
    sources.uascGrant = own;
  } else {
    uascGrant = { rates: UASC_GRANT_RATES };
    sources.uascGrant = 'national: Home Office UASC grant rates (docs/COUNCILS.md)';
  }

  // --- UASC: national thresholds, the council's own arrival pattern
  const uP = profile?.uasc ?? {};
  const uEx = (ex.uasc ?? {}) as NonNullable<CouncilProfile['uasc']>;
  sources['uasc.thresholds'] = 'national: NTS 0.07% from 1 July 2016, 0.1% from 24 August 2022 (docs/DOMAIN.md §4)';
  const uasc = {
    initial: uascAtEnd,
    thresholds: NTS_THRESHOLDS,
    transfersPerMonthWhenOnRota: pick(
      'uasc.transfersPerMonthWhenOnRota',
      uP.transfersPerMonthWhenOnRota,
      uEx.transfersPerMonthWhenOnRota as number,
    ),
    spontaneousPerMonth: pick('uasc.spontaneousPerMonth', uP.spontaneousPerMonth, uEx.spontaneousPerMonth as number),
    arrivalAge: pick('uasc.arrivalAge', uP.arrivalAge, uEx.arrivalAge as NonNullable<typeof uP.arrivalAge>),
    arrivalPlacement: pick(
      'uasc.arrivalPlacement',
      uP.arrivalPlacement,
      uEx.arrivalPlacement as NonNullable<typeof uP.arrivalPlacement>,
    ),
  };

  sources['uncertainty.parameters'] =
    'default for a forecast from data: each run draws its rates from their posteriors';
  sources['entries.multiplier'] = 'default';

  const baseScenario: ScenarioInput = {
    name: `From data to ${end}`,
    start,
    horizonMonths: HORIZON_MONTHS,
    runs: 2000,
    seed: 1,
    childPopulation: { base, annualGrowth: growth },
    parameters: dataset.estimate.parameters,
    initial: compactInitial(dataset.initial),
    entries: { multiplier: 1 },
    capacity,
    uasc,
    costs,
    budgets,
    uncertainty: { parameters: true },
    stayingPut,
    uascGrant,
  };

  // --- the caller's overrides, each leaf marked as such
  const out = applyOverrides(baseScenario, options.overrides);
  if (options.overrides && typeof options.overrides === 'object') {
    const overridden = new Set(leafPaths(options.overrides, '', []));
    // an override of a whole group replaces the sources of its parts: each source is looked up by its prefixes, once
    // (checking every source for every override path was quadratic: 300,000 fields held the API for hours)
    for (const k of Object.keys(sources)) {
      const parts = k.split('.');
      for (let i = 1; i < parts.length; i++)
        if (overridden.has(parts.slice(0, i).join('.'))) {
          sources[k] = 'override';
          break;
        }
    }
    for (const path of overridden) sources[path] = 'override';
  }
  // The example is priced at April 2018; a forecast whose last month is before then is priced at its own start instead
  // (the scenario's rule: a price base must not be after the forecast's last month). Only a price base from the profile
  // or the example moves: one the caller typed is theirs, left as given for the scenario's validation to refuse (a 422
  // naming overrides.costs.priceBase and the last month), never changed behind their back.
  // (overrides are not validated yet: anything of the wrong shape is left as it is, for the scenario's validation to
  // name, rather than read here — `capacity: 5` or `start: 5` threw, a 500)
  const month = (v: unknown): v is string => typeof v === 'string' && MONTH_RE.test(v);
  const typed = (o: unknown, k: string): unknown =>
    o !== null && typeof o === 'object' && !Array.isArray(o) && Object.hasOwn(o, k)
      ? (o as Record<string, unknown>)[k]
      : undefined;
  const priceBaseTyped = typed(typed(options.overrides, 'costs'), 'priceBase') !== undefined;
  if (
    !priceBaseTyped &&
    out.costs &&
    month(out.costs.priceBase) &&
    month(out.start) &&
    Number.isFinite(out.horizonMonths) &&
    monthIndex(out.costs.priceBase) > lastForecastMonth(out.start, out.horizonMonths)
  ) {
    out.costs = { ...out.costs, priceBase: out.start };
    sources['costs.priceBase'] =
      `${sources['costs.priceBase']}, moved to the forecast start (it was after the forecast's last month)`;
  }
  const cap = out.capacity;
  const amount = (v: unknown): v is UncertainNumber => typeof v === 'number' || (typeof v === 'object' && v !== null);
  const placesAtStart =
    cap && typeof cap === 'object' && amount(cap.inHouseHouseholds) && amount(cap.placesPerHousehold)
      ? Math.floor(uncertainMean(cap.inHouseHouseholds) * uncertainMean(cap.placesPerHousehold))
      : Infinity;
  if (placesAtStart < inHouseAtEnd && sources['capacity.inHouseHouseholds'] === 'override')
    warnings.push(
      `capacity.inHouseHouseholds (override) gives ${placesAtStart} places for the ${inHouseAtEnd} children in in-house foster care at ${end}: the excess move to agency fostering in the first month`,
    );

  out.sources = { ...sources, ...(out.sources ?? {}) };
  out.notes = [...warnings, ...(out.notes ?? [])];
  if (options.council)
    out.council = {
      code: options.council,
      ...(profile ? { name: profile.name } : {}),
      ...(options.profile ? { version: options.profile.version } : {}),
    };
  return { scenario: out, missing, warnings };
}

/**
 * A complete scenario from a dataset with no council profile: the data, the example for what it cannot say (each
 * such value named in `notes`), then the caller's overrides. The CLIs and the backtest use it.
 */
export function scenarioFromDataset(dataset: Dataset, overrides?: unknown): ScenarioInput {
  return resolveScenario(dataset, { overrides }).scenario;
}
