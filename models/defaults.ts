/**
 * Peterborough defaults for everything placement data cannot say: child population, carer capacity, UASC rules,
 * unit costs and budgets. Each figure says where it came from (DOMAIN.md §4–§6 and the seed papers in shared/seeds);
 * figures marked "assumption" are ours and should be replaced with the council's own.
 */
import type { ScenarioInput } from './scenario.js';

export const DEFAULT_SCENARIO_PATH = 'data/scenarios/peterborough-2018.json';

type Defaults = Pick<
  ScenarioInput,
  'childPopulation' | 'capacity' | 'uasc' | 'costs' | 'budgets' | 'entries' | 'uncertainty'
>;

export const PETERBOROUGH_DEFAULTS: Defaults = {
  // DOMAIN §6: rates per 10,000 imply about 50,000 children aged 0–17 in 2018 (46,607 in the 2015 estimate).
  // Growth: 46,607 (2015) → ~50,000 (2018) is about 2% a year; we assume 1% a year ahead (assumption).
  childPopulation: { base: 50000, annualGrowth: 0.01 },
  capacity: {
    // 165 children in in-house fostering at 31 March 2018 (DOMAIN §6); at 1.6 places per household (planning figure
    // 1.5–1.8, DOMAIN §3, assumption) that needs 104 households; we assume 108 approved households (a few vacancies).
    inHouseHouseholds: 108,
    placesPerHousehold: 1.6,
    recruitmentPerYear: 12, // assumption: net recruitment "hampered" 2016–2018 (DOMAIN §3)
    householdLossPerYear: 0.1, // assumption: retirements, de-registrations, Staying Put beds
    stepAcrossProbability: 0.01, // assumption: agency-fostered children moving in-house when a place frees up
    agencyAvailability: 0.9, // assumption: share of overflow that finds an agency foster place (else residential)
  },
  uasc: {
    initial: 19, // UASC in care at 31 March 2018 (DOMAIN §6)
    thresholds: [
      { from: '2016-07-01', rate: 0.0007 }, // NTS 0.07% of the 0–17 population (DOMAIN §4, seed 002)
      { from: '2022-08-24', rate: 0.001 }, // 0.1% from 24 August 2022 (DOMAIN §4)
    ],
    transfersPerMonthWhenOnRota: 1.0, // assumption: Eastern Region rota duty "more often" for LAs with few UASC (seed 002)
    spontaneousPerMonth: 0.3, // assumption
    arrivalAge: { '15': 0.2, '16': 0.4, '17': 0.4 }, // "most arrive aged 16–17" (DOMAIN §4); shares are an assumption
    arrivalPlacement: { agencyFoster: 0.4, supported: 0.6 }, // assumption
  },
  costs: {
    priceBase: '2018-04',
    annualInflation: 0.03, // assumption: placement cost inflation above CPI (CMA 2022 market study trend)
    weekly: {
      inHouseFoster: 450, // between £396 carer payments (Valuing Care 2018) and £646 full cost (PSSRU 2017)
      agencyFoster: 850, // "at least twice" in-house (seed 000); ≈ £820 (CMA 2022); £759 agency fee (Valuing Care 2018)
      kinship: 400, // same allowances as in-house carers (DOMAIN §3, council policy), less agency support: assumption
      residential: { min: 3000, mode: 4000, max: 6000 }, // "start at around £3,000 … £6,000 and above, typical £4,000" (seed 002)
      supported: 1200, // assumption: no seed figure (DOMAIN §5)
      withParents: 150, // assumption: support costs only
      placedForAdoption: 150, // assumption: support costs until the order
      secure: { min: 5000, mode: 6500, max: 9000 }, // assumption: no seed figure (DOMAIN §5)
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
