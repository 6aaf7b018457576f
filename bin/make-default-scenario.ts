/**
 * Writes data/scenarios/peterborough-2018.json: the default scenario from 1 April 2018, built from docs/DOMAIN.md §6.
 * Run: npx tsx bin/make-default-scenario.ts. Every figure is sourced or marked as an assumption in `sources`.
 *
 * The stock is the 353-child snapshot at 31 March 2018 (council performance report): by category and by age band.
 * The report gives the two margins, not the cross-table: the cross-table below is an assumption that respects both
 * margins and the placement rules (supported only at 16–17, residential nearly always adolescents).
 * The rates are chosen so that the stock in each band is near its steady state with 2017/18 flows (35 starts and
 * 33 ends per 10,000 children, docs/DOMAIN.md §3): see the `sources` block.
 */
import { writeFileSync } from 'node:fs';
import { PETERBOROUGH_DEFAULTS } from '../models/defaults.js';
import { AGE_BANDS, BAND_START_MONTHS, bandEndMonths, type AgeBand, type Category } from '../models/placement.js';
import { PRIOR_DRIFT_BASIS, PRIOR_DRIFT_SD_PER_YEAR } from '../models/drift.js';
import { parseScenario, type ScenarioInput } from '../models/scenario.js';

// [band][category] = children at 31 March 2018 (margins from docs/DOMAIN.md §6; cross-table an assumption)
const stock: Record<AgeBand, Partial<Record<Category, number>>> = {
  '0': { inHouseFoster: 10, agencyFoster: 4, kinship: 1, placedForAdoption: 3 },
  '1-4': { inHouseFoster: 10, agencyFoster: 5, kinship: 3, withParents: 1, placedForAdoption: 4 },
  '5-9': { inHouseFoster: 40, agencyFoster: 21, kinship: 6, withParents: 1 },
  '10-15': { inHouseFoster: 75, agencyFoster: 44, kinship: 6, withParents: 1, residential: 20 },
  '16-17': { inHouseFoster: 30, agencyFoster: 19, kinship: 2, residential: 12, supported: 34, secure: 1 },
};
// 19 UASC at 31 March 2018 (docs/DOMAIN.md §6), all 16–17: placements an assumption
const uascAt1617: Partial<Record<Category, number>> = { supported: 12, agencyFoster: 5, inHouseFoster: 2 };

const initial: ScenarioInput['initial'] = [];
for (const band of AGE_BANDS) {
  const b = AGE_BANDS.indexOf(band);
  const lo = BAND_START_MONTHS[b]!;
  const width = bandEndMonths(b) - lo;
  for (const [cat, n] of Object.entries(stock[band]) as [Category, number][]) {
    const uascHere = band === '16-17' ? (uascAt1617[cat] ?? 0) : 0;
    for (let i = 0; i < n; i++) {
      // ages spread evenly over the band (assumption); time in placement: half the length-of-care median, capped
      const ageMonths = lo + Math.floor(((i + 0.5) * width) / n);
      initial.push({ ageMonths, category: cat, uasc: i < uascHere, monthsInPlacement: Math.min(ageMonths, 14) });
    }
  }
}

// Non-UASC starts per month by band × category (assumption shaped to the steady state of each band; ≈ 156 a year,
// plus ≈ 12 UASC arrivals, against 175 at 35.0 per 10,000 in 2017/18 — docs/DOMAIN.md §3).
const entriesPerMonth = {
  '0': { inHouseFoster: 1.5, agencyFoster: 0.5, kinship: 0.3, withParents: 0.1, other: 0.2 },
  '1-4': { inHouseFoster: 0.7, agencyFoster: 0.3, kinship: 0.2, withParents: 0.08 },
  '5-9': { inHouseFoster: 1.3, agencyFoster: 0.6, kinship: 0.35, withParents: 0.05, residential: 0.05 },
  '10-15': { inHouseFoster: 1.8, agencyFoster: 1.3, kinship: 0.3, residential: 0.65, secure: 0.05, other: 0.1 },
  '16-17': { inHouseFoster: 0.5, agencyFoster: 0.55, supported: 0.95, residential: 0.45, other: 0.15 },
};

// Monthly exit probability (not counting 18th birthdays, which the engine applies itself). Younger children leave
// sooner (home, adoption, SGO); those entering at 7+ often stay to 18 (docs/DOMAIN.md §3). Assumption shaped to 33 ends
// per 10,000 a year (docs/DOMAIN.md §3).
const baseExit: Record<AgeBand, number> = { '0': 0.05, '1-4': 0.09, '5-9': 0.025, '10-15': 0.02, '16-17': 0.015 };
const exitProbability: Record<string, Record<string, number>> = {};
for (const band of AGE_BANDS) {
  const x = baseExit[band];
  exitProbability[band] = {
    inHouseFoster: x,
    agencyFoster: x,
    kinship: x * 1.5, // special guardianship orders from family and friends care (SGOs rising, docs/DOMAIN.md §6)
    residential: x,
    supported: x,
    withParents: 0.05,
    placedForAdoption: band === '0' || band === '1-4' ? 0.12 : 0.06, // adoption orders follow placement in months
    secure: 0.08,
    other: 0.1,
  };
}

// Monthly moves between categories (assumption: placement stability 5–6% with 3+ moves a year, docs/DOMAIN.md §6; residential
// "step-down" to families; overflow and step-across are the engine's capacity rules, not moves here).
const moveProbability: Record<string, Record<string, Record<string, number>>> = {};
for (const band of AGE_BANDS) {
  const young = band === '0' || band === '1-4';
  const teen = band === '10-15' || band === '16-17';
  const m: Record<string, Record<string, number>> = {
    inHouseFoster: {
      agencyFoster: 0.004,
      kinship: 0.002,
      ...(young ? { placedForAdoption: 0.03 } : {}),
      ...(teen ? { residential: 0.003 } : {}),
    },
    agencyFoster: {
      inHouseFoster: 0.002,
      kinship: 0.001,
      ...(young ? { placedForAdoption: 0.03 } : {}),
      ...(teen ? { residential: 0.006 } : {}),
    },
    kinship: { inHouseFoster: 0.002 },
    withParents: { inHouseFoster: 0.01 },
    ...(teen ? { residential: { agencyFoster: 0.008, inHouseFoster: 0.004, secure: 0.002 } } : {}),
    other: { inHouseFoster: 0.05, agencyFoster: 0.02 },
    secure: { residential: 0.1 },
  };
  if (band === '16-17') {
    m.inHouseFoster!.supported = 0.02;
    m.agencyFoster!.supported = 0.02;
    m.residential!.supported = 0.03;
    m.supported = { residential: 0.004 };
  }
  moveProbability[band] = m;
}

// Issue 14: the rates carry posterior uncertainty from one year's counts. Evidence consistent with the rates: a year
// of exposure at the 2018 stock of each band × category (stock × 12 child-months), exits and moves = rate × exposure,
// entries = 12 months of the monthly means. The engine then draws each run's rates from Gamma/Dirichlet posteriors.
const evidence = {
  exposureMonths: {} as Record<string, Record<string, number>>,
  exits: {} as Record<string, Record<string, number>>,
  moves: {} as Record<string, Record<string, Record<string, number>>>,
  entries: {} as Record<string, Record<string, number>>,
  entryMonths: 12,
};
const r4 = (x: number) => Math.round(x * 1e4) / 1e4;
for (const band of AGE_BANDS) {
  for (const [cat, e] of Object.entries(entriesPerMonth[band])) (evidence.entries[band] ??= {})[cat] = r4(e * 12);
  for (const [cat, n] of Object.entries(stock[band]) as [Category, number][]) {
    const exposure = n * 12;
    (evidence.exposureMonths[band] ??= {})[cat] = exposure;
    (evidence.exits[band] ??= {})[cat] = r4((exitProbability[band]![cat] ?? 0) * exposure);
    for (const [to, p] of Object.entries(moveProbability[band]![cat] ?? {}))
      ((evidence.moves[band] ??= {})[cat] ??= {})[to] = r4(p * exposure);
  }
}

// Issue 14: each assumed figure as a documented range (docs/uncertainty.md): triangular {min, mode, max} where a
// planning range is known, {p10, p90} (read as normal) where a person would say "between … and …".
const d = PETERBOROUGH_DEFAULTS;
const ranged = {
  childPopulation: { base: { p10: 49000, p90: 51000 }, annualGrowth: { p10: 0, p90: 0.02 } },
  capacity: {
    inHouseHouseholds: { p10: 100, p90: 116 },
    placesPerHousehold: { min: 1.5, mode: 1.6, max: 1.8 },
    recruitmentPerYear: { min: 6, mode: 12, max: 18 },
    householdLossPerYear: { min: 0.06, mode: 0.1, max: 0.15 },
    stepAcrossProbability: { min: 0, mode: 0.01, max: 0.03 },
    agencyAvailability: { min: 0.8, mode: 0.9, max: 0.98 },
  },
  uasc: {
    ...(d.uasc as object),
    transfersPerMonthWhenOnRota: { min: 0.5, mode: 1, max: 1.5 },
    spontaneousPerMonth: { min: 0.1, mode: 0.3, max: 0.6 },
  },
  costs: { ...(d.costs as object), annualInflation: { p10: 0.01, p90: 0.05 } },
} as Partial<ScenarioInput>;

const scenario: ScenarioInput = {
  name: 'Peterborough baseline from April 2018',
  start: '2018-04',
  horizonMonths: 60,
  runs: 2000,
  seed: 42,
  ...PETERBOROUGH_DEFAULTS,
  ...ranged,
  uncertainty: { parameters: true },
  parameters: {
    entriesPerMonth,
    exitProbability,
    moveProbability,
    evidence,
    entryDrift: { sdPerYear: PRIOR_DRIFT_SD_PER_YEAR, basis: PRIOR_DRIFT_BASIS },
  },
  initial,
  sources: {
    initial:
      'Snapshot at 31 March 2018, 353 children (council performance report, docs/DOMAIN.md §6): category and age-band margins; the cross-table, ages within bands and time in placement are assumptions',
    'initial.uasc': '19 UASC in care at 31 March 2018 (docs/DOMAIN.md §6); their placements are an assumption',
    'parameters.entriesPerMonth':
      'assumption: about 156 non-UASC starts a year, shaped so each age band is near its 2018 stock in steady state; 2017/18 starts were 35.0 per 10,000 (about 175 with UASC), docs/DOMAIN.md §3',
    'parameters.exitProbability':
      'assumption: younger children leave sooner; about 33 ends per 10,000 a year including 18th birthdays (docs/DOMAIN.md §3)',
    'parameters.moveProbability':
      'assumption: placement stability 5–6% with 3+ moves a year (docs/DOMAIN.md §6), residential step-down to families (docs/DOMAIN.md §3)',
    'parameters.evidence':
      "posterior uncertainty from one year's counts: a year of exposure at the 2018 stock, exits, moves and starts at the assumed rates (docs/uncertainty.md)",
    'parameters.entryDrift': PRIOR_DRIFT_BASIS,
    childPopulation:
      '≈ 50,000 aged 0–17 in 2018 (docs/DOMAIN.md §6): p10–p90 49,000–51,000; growth 0–2% a year (p10–p90) is an assumption (2% a year 2015–2018)',
    capacity:
      '165 in in-house fostering at March 2018 (docs/DOMAIN.md §6); places per household 1.5–1.6–1.8 (planning figure 1.5–1.8, docs/DOMAIN.md §3); households 100–116 (p10–p90), recruitment 6–12–18 a year, losses 6–10–15% a year, step-across 0–1–3% and agency availability 80–90–98% are assumptions',
    uasc: 'thresholds 0.07% from 1 July 2016 and 0.1% from 24 August 2022 (docs/DOMAIN.md §4); 19 UASC at March 2018; transfers 0.5–1–1.5 and spontaneous arrivals 0.1–0.3–0.6 a month, ages and placements are assumptions',
    'costs.weekly.residential': 'triangular £3,000–£4,000–£6,000 a week: seed 002 (2017)',
    'costs.weekly.agencyFoster':
      '£850: "at least twice" in-house (seed 000), ≈ £820 (CMA 2022), £759 agency fee (Valuing Care 2018)',
    'costs.weekly.inHouseFoster':
      '£450: between £396 carer payments (Valuing Care 2018) and £646 full cost (PSSRU 2017)',
    'costs.weekly.kinship': '£400: same allowances as in-house carers (docs/DOMAIN.md §3), assumption',
    'costs.weekly.supported': '£1,200: assumption (no seed figure, docs/DOMAIN.md §5)',
    'costs.weekly.secure': 'triangular £5,000–£6,500–£9,000: assumption (no seed figure, docs/DOMAIN.md §5)',
    'costs.weekly.withParents': '£150: assumption (support costs only)',
    'costs.weekly.placedForAdoption': '£150: assumption (support costs until the order)',
    'costs.weekly.other': '£1,000: assumption',
    'costs.annualInflation': '1–5% a year (p10–p90, centre 3%): assumption',
    budgets:
      "illustrative: near the expected cost at 2018 prices, rising with inflation (assumption; use the council's own)",
  },
};

const parsed = parseScenario(scenario);
if (!parsed.ok) {
  for (const i of parsed.issues) console.error(`${i.path}: ${i.message}`);
  process.exit(1);
}
const out = process.argv[2] ?? 'data/scenarios/peterborough-2018.json';
writeFileSync(out, JSON.stringify(scenario, null, 2) + '\n');
console.log(`wrote ${out}: ${initial.length} children, ${initial.filter((c) => c.uasc).length} UASC`);
