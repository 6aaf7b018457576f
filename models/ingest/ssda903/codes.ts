/**
 * SSDA903 code lists by collection year (docs/SSDA903.md). A collection year is named by the calendar year it starts in
 * (2017 = 2017/18, 1 April 2017 – 31 March 2018). Only PLACE changes between the years we support; the other lists are
 * the same in every year from 2013/14 to 2026/27.
 */
import { financialYearLabel } from '../../calendar.js';

export const FIRST_COLLECTION_YEAR = 2013; // 2013/14
export const LAST_COLLECTION_YEAR = 2026; // 2026/27

/** A code's years of validity: from (inclusive) and until (inclusive), as collection start years. */
interface Validity {
  from: number;
  until: number;
}
const ALWAYS: Validity = { from: FIRST_COLLECTION_YEAR, until: LAST_COLLECTION_YEAR };

const PLACE_VALIDITY: Record<string, Validity> = {
  U1: ALWAYS,
  U2: ALWAYS,
  U3: ALWAYS,
  U4: ALWAYS,
  U5: ALWAYS,
  U6: ALWAYS,
  Q1: { from: FIRST_COLLECTION_YEAR, until: 2014 }, // "before 2015": last valid in 2014/15
  Q2: { from: FIRST_COLLECTION_YEAR, until: 2014 },
  A3: ALWAYS,
  A4: ALWAYS,
  A5: ALWAYS,
  A6: ALWAYS,
  H5: { from: FIRST_COLLECTION_YEAR, until: 2024 }, // removed in 2025/26
  P2: { from: FIRST_COLLECTION_YEAR, until: 2024 },
  Z1: { from: FIRST_COLLECTION_YEAR, until: 2024 }, // replaced by Z11–Z14 in 2025/26
  K3: { from: 2024, until: LAST_COLLECTION_YEAR }, // registered supported accommodation, new in 2024/25
  Z11: { from: 2025, until: LAST_COLLECTION_YEAR },
  Z12: { from: 2025, until: LAST_COLLECTION_YEAR },
  Z13: { from: 2025, until: LAST_COLLECTION_YEAR },
  Z14: { from: 2025, until: LAST_COLLECTION_YEAR },
  K1: ALWAYS,
  K2: ALWAYS,
  P1: ALWAYS,
  P3: ALWAYS,
  R1: ALWAYS,
  R2: ALWAYS,
  R3: ALWAYS,
  R5: ALWAYS,
  S1: ALWAYS,
  T0: ALWAYS,
  T1: ALWAYS,
  T2: ALWAYS,
  T3: ALWAYS,
  T4: ALWAYS,
};

export const RNE_CODES = ['S', 'L', 'P', 'T', 'B', 'U'] as const;
export const LS_CODES = ['C1', 'C2', 'D1', 'E1', 'V2', 'V3', 'V4', 'L1', 'L2', 'L3', 'J1', 'J2', 'J3'] as const;
export const CIN_CODES = ['N1', 'N2', 'N3', 'N4', 'N5', 'N6', 'N7', 'N8'] as const;
export const PROVIDER_CODES = ['PR0', 'PR1', 'PR2', 'PR3', 'PR4', 'PR5'] as const;
export const REC_CODES = [
  'X1',
  'E11',
  'E12',
  'E2',
  'E3',
  'E4A',
  'E4B',
  'E13',
  'E41',
  'E45',
  'E46',
  'E47',
  'E48',
  'E5',
  'E6',
  'E7',
  'E8',
  'E9',
  'E14',
  'E15',
  'E16',
  'E17',
  'E4',
  'E43',
  'E44',
] as const;
export const REASON_PLACE_CHANGE_CODES = [
  'CARPL',
  'CLOSE',
  'ALLEG',
  'STAND',
  'APPRR',
  'CREQB',
  'CREQO',
  'CHILD',
  'LAREQ',
  'PLACE',
  'CUSTOD',
  'OTHER',
] as const;

/** Respite (short breaks): not counted in the stock, as in national statistics. */
export const RESPITE_LEGAL_STATUSES: readonly string[] = ['V3', 'V4'];
/** Episodes that continue the previous placement when they follow on the same day (cleaning rule 4). */
export const CONTINUATION_RNE: readonly string[] = ['L', 'T', 'U'];

export type CodeCheck = { ok: true } | { ok: false; reason: 'unknown' | 'not-yet' | 'retired'; message: string };

/**
 * Whether a PLACE code is valid in a collection year (start year); an unknown code is never valid. A year outside the
 * lists we hold is checked against the nearest one we do (the 2013/14 list for older returns).
 */
export function checkPlaceCode(code: string, year: number): CodeCheck {
  const v = PLACE_VALIDITY[code];
  if (!v) return { ok: false, reason: 'unknown', message: unknownCodeMessage('PLACE', code) };
  const collectionYear = Math.min(LAST_COLLECTION_YEAR, Math.max(FIRST_COLLECTION_YEAR, year));
  const label = financialYearLabel(collectionYear);
  if (collectionYear < v.from)
    return {
      ok: false,
      reason: 'not-yet',
      message: `code '${code}' is not valid in collection year ${label} (valid from ${financialYearLabel(v.from)})`,
    };
  if (collectionYear > v.until)
    return {
      ok: false,
      reason: 'retired',
      message: `code '${code}' is not valid in collection year ${label} (retired after ${financialYearLabel(v.until)})`,
    };
  return { ok: true };
}

export const isPlaceCode = (code: string): boolean => code in PLACE_VALIDITY;

/** Exit reason groups shown in the evidence tables; '18' is decided by age, not by REC. */
export const EXIT_GROUPS = ['home', 'sgoCao', 'adoption', '18', 'other'] as const;
export type ExitGroup = (typeof EXIT_GROUPS)[number];

export function exitGroupOfRec(rec: string | null): Exclude<ExitGroup, '18'> {
  switch (rec) {
    case 'E4A':
    case 'E4B':
    case 'E13':
    case 'E4':
      return 'home';
    case 'E41':
    case 'E43':
    case 'E44':
    case 'E45':
    case 'E46':
    case 'E47':
    case 'E48':
      return 'sgoCao';
    case 'E11':
    case 'E12':
      return 'adoption';
    default:
      return 'other';
  }
}

/** Every code of every 903 list we hold: the only values a message may quote. */
const ANY_CODE = new Set<string>([
  ...Object.keys(PLACE_VALIDITY),
  ...RNE_CODES,
  ...LS_CODES,
  ...CIN_CODES,
  ...PROVIDER_CODES,
  ...REC_CODES,
  ...REASON_PLACE_CHANGE_CODES,
]);

/**
 * "not a code of the PLACE list". The value is quoted only when it is a code of some 903 list (a REC code in the
 * PLACE column, say); anything else could be a child id, a date or a postcode in the wrong column, and is not shown.
 */
export function unknownCodeMessage(column: string, value: string): string {
  return ANY_CODE.has(value)
    ? `'${value}' is not a code of the ${column} list`
    : `not a code of the ${column} list (the value is not shown: it is not a 903 code)`;
}
