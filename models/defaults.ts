/**
 * Peterborough defaults for everything placement data cannot say: child population, carer capacity, UASC rules,
 * unit costs and budgets. Each figure says where it came from (docs/DOMAIN.md §4–§6 and the seed papers in shared/seeds);
 * figures marked "assumption" are ours and should be replaced with the council's own.
 */
import type { CouncilProfileInput } from './council.js';
import type { ScenarioInput } from './scenario.js';

export const DEFAULT_SCENARIO_PATH = 'data/scenarios/peterborough-2018.json';

type Defaults = Pick<
  ScenarioInput,
  'childPopulation' | 'capacity' | 'uasc' | 'costs' | 'budgets' | 'entries' | 'uncertainty'
>;

export const PETERBOROUGH_DEFAULTS: Defaults = {
  // docs/DOMAIN.md §6: rates per 10,000 imply about 50,000 children aged 0–17 in 2018 (46,607 in the 2015 estimate).
  // Growth: 46,607 (2015) → ~50,000 (2018) is about 2% a year; we assume 1% a year ahead (assumption).
  childPopulation: { base: 50000, annualGrowth: 0.01 },
  capacity: {
    // 165 children in in-house fostering at 31 March 2018 (docs/DOMAIN.md §6); at 1.6 places per household (planning figure
    // 1.5–1.8, docs/DOMAIN.md §3, assumption) that needs 104 households; we assume 108 approved households (a few vacancies).
    inHouseHouseholds: 108,
    placesPerHousehold: 1.6,
    recruitmentPerYear: 12, // assumption: net recruitment "hampered" 2016–2018 (docs/DOMAIN.md §3)
    householdLossPerYear: 0.1, // assumption: retirements, de-registrations, Staying Put beds
    stepAcrossProbability: 0.01, // assumption: agency-fostered children moving in-house when a place frees up
    agencyAvailability: 0.9, // assumption: share of overflow that finds an agency foster place (else residential)
  },
  uasc: {
    initial: 19, // UASC in care at 31 March 2018 (docs/DOMAIN.md §6)
    thresholds: [
      { from: '2016-07-01', rate: 0.0007 }, // NTS 0.07% of the 0–17 population (docs/DOMAIN.md §4, seed 002)
      { from: '2022-08-24', rate: 0.001 }, // 0.1% from 24 August 2022 (docs/DOMAIN.md §4)
    ],
    transfersPerMonthWhenOnRota: 1.0, // assumption: Eastern Region rota duty "more often" for LAs with few UASC (seed 002)
    spontaneousPerMonth: 0.3, // assumption
    arrivalAge: { '15': 0.2, '16': 0.4, '17': 0.4 }, // "most arrive aged 16–17" (docs/DOMAIN.md §4); shares are an assumption
    arrivalPlacement: { agencyFoster: 0.4, supported: 0.6 }, // assumption
  },
  costs: {
    priceBase: '2018-04',
    annualInflation: 0.03, // assumption: placement cost inflation above CPI (CMA 2022 market study trend)
    weekly: {
      inHouseFoster: 450, // between £396 carer payments (Valuing Care 2018) and £646 full cost (PSSRU 2017)
      agencyFoster: 850, // "at least twice" in-house (seed 000); ≈ £820 (CMA 2022); £759 agency fee (Valuing Care 2018)
      kinship: 400, // same allowances as in-house carers (docs/DOMAIN.md §3, council policy), less agency support: assumption
      residential: { min: 3000, mode: 4000, max: 6000 }, // "start at around £3,000 … £6,000 and above, typical £4,000" (seed 002)
      supported: 1200, // assumption: no seed figure (docs/DOMAIN.md §5)
      withParents: 150, // assumption: support costs only
      placedForAdoption: 150, // assumption: support costs until the order
      secure: { min: 5000, mode: 6500, max: 9000 }, // assumption: no seed figure (docs/DOMAIN.md §5)
      other: 1000, // assumption: health settings, mother-and-baby units, temporary moves
    },
  },
  // Assumption: an illustrative placement budget near the expected cost at 2018 prices, rising with inflation;
  // replace with the council's own (the seeds give only the top-ups: +£400k 2016/17, +£600k 2017/18).
  budgets: {
    '2018/19': 18500000,
    '2019/20': 19300000,
    '2020/21': 20100000,
    '2021/22': 20900000,
    '2022/23': 21700000,
  },
  entries: { multiplier: 1 },
  uncertainty: { parameters: false },
};

/**
 * The NTS thresholds: national rules, the same for every council (docs/DOMAIN.md §4). Not an example: a forecast that uses
 * them says "national".
 */
export const NTS_THRESHOLDS = [
  { from: '2016-07-01', rate: 0.0007 },
  { from: '2022-08-24', rate: 0.001 },
];

/**
 * The Home Office UASC grant as a dated schedule (pounds per child per day), docs/COUNCILS.md and docs/DOMAIN.md §9:
 *  - 1 April 2014: £95 under 16, £71 aged 16–17 (UASC funding instructions 2014/15);
 *  - 1 July 2016: £114 under 16, £91 aged 16–17, the rates for children arriving from that date under the NTS
 *    (children who arrived before kept £95/£71: the schedule follows new arrivals, a simplification);
 *  - 1 April 2019: £114 a night for every UASC, whatever the age (Home Office announcement, 9 May 2019, for care
 *    from 1 April 2019);
 *  - 23 December 2022: £143 a night for councils whose UASC number is at or above 0.07% of their child population,
 *    £114 for the others (parliamentary answer of that date; the rate was in force by then, its start is earlier).
 * The grant stops the day before the 18th birthday (the child leaves care then too).
 */
export const UASC_GRANT_RATES = [
  { from: '2014-04-01', dailyUnder16: 95, daily16to17: 71 },
  { from: '2016-07-01', dailyUnder16: 114, daily16to17: 91 },
  { from: '2019-04-01', dailyUnder16: 114, daily16to17: 114 },
  { from: '2022-12-23', dailyUnder16: 114, daily16to17: 114, higher: { share: 0.0007, daily: 143 } },
];

/** The named example every figure a council has not given is filled from (and listed in the result's warnings). */
export const EXAMPLE_LABEL = 'Peterborough 2018';

/** Peterborough's profile: the example, and the profile `npm start` creates for the demo data (E06000031). */
export const PETERBOROUGH_CODE = 'E06000031';
export const PETERBOROUGH_PROFILE: CouncilProfileInput = {
  name: 'Peterborough',
  childPopulation: { base: 50000, year: 2018, annualGrowth: 0.01 },
  capacity: PETERBOROUGH_DEFAULTS.capacity ?? {},
  costs: PETERBOROUGH_DEFAULTS.costs,
  budgets: PETERBOROUGH_DEFAULTS.budgets,
  // 12 young people Staying Put in 2017, about 20 a year later (docs/DOMAIN.md §9, seeds 000 and 002): about 15 a year reach
  // 18 in in-house care, so 60% staying 24 months gives ~18 at a time (share and months: assumption from those
  // counts). The weekly cost is an assumption (the council's Staying Put allowance, less the young person's housing
  // benefit and contribution): replace with the council's own.
  stayingPut: { share: 0.6, months: 24, weekly: 300, fromAgency: false },
  uascGrant: { rates: UASC_GRANT_RATES },
  uasc: {
    transfersPerMonthWhenOnRota: 1.0,
    spontaneousPerMonth: 0.3,
    arrivalAge: { '15': 0.2, '16': 0.4, '17': 0.4 },
    arrivalPlacement: { agencyFoster: 0.4, supported: 0.6 },
  },
  requireProfile: false,
  sources: {
    childPopulation:
      'about 50,000 aged 0–17 in 2018, implied by the rates per 10,000 in seed 003 (46,607 in the 2015 estimate); growth 1% a year (assumption) — docs/DOMAIN.md §6',
    'capacity.inHouseHouseholds':
      '165 children in in-house fostering at 31 March 2018 at 1.6 places per household (docs/DOMAIN.md §3, §6); 108 households is an assumption',
    capacity:
      'recruitment, losses, step-across and agency availability: assumptions (docs/DOMAIN.md §3, models/defaults.ts)',
    costs:
      'Valuing Care 2018, PSSRU 2017, CMA 2022, seed 002 (docs/DOMAIN.md §5); others assumptions (models/defaults.ts)',
    budgets: 'illustrative: replace with the council’s own (the seeds give only the top-ups)',
    stayingPut:
      '12 in 2017, about 20 a year later (seeds 000, 002; docs/DOMAIN.md §9); share, months and weekly cost: assumptions',
    uascGrant: 'Home Office UASC funding (docs/COUNCILS.md)',
    uasc: 'Eastern Region rota (seed 002); arrival ages "mostly 16–17" (docs/DOMAIN.md §4); shares: assumptions',
  },
};
