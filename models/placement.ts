/**
 * Placement categories and age bands: the vocabulary every other module speaks.
 * Source: docs/DOMAIN.md §2 (categories and their SSDA903 mapping) and the age bands of every council report.
 */

export const CATEGORIES = [
  'inHouseFoster',
  'agencyFoster',
  'kinship',
  'residential',
  'supported',
  'withParents',
  'placedForAdoption',
  'secure',
  'other',
] as const;
export type Category = (typeof CATEGORIES)[number];
export const CATEGORY_COUNT = CATEGORIES.length;
export const categoryIndex: Record<Category, number> = Object.fromEntries(CATEGORIES.map((c, i) => [c, i])) as Record<
  Category,
  number
>;

export const CATEGORY_LABELS: Record<Category, string> = {
  inHouseFoster: 'In-house fostering',
  agencyFoster: 'Agency fostering (IFA)',
  kinship: 'Kinship (family and friends)',
  residential: 'Residential',
  supported: 'Supported / independent living',
  withParents: 'Placed with parents',
  placedForAdoption: 'Placed for adoption',
  secure: 'Secure',
  other: 'Other',
};

export const AGE_BANDS = ['0', '1-4', '5-9', '10-15', '16-17'] as const;
export type AgeBand = (typeof AGE_BANDS)[number];
export const AGE_BAND_COUNT = AGE_BANDS.length;

/** First age in months of each band, and one past the last (216 = 18th birthday: the child leaves care). */
export const BAND_START_MONTHS = [0, 12, 60, 120, 192] as const;
export const CARE_LEAVING_AGE_MONTHS = 216;
export const bandEndMonths = (band: number): number =>
  band + 1 < AGE_BAND_COUNT ? (BAND_START_MONTHS[band + 1] as number) : CARE_LEAVING_AGE_MONTHS;

export function ageBandIndex(ageMonths: number): number {
  if (ageMonths < 12) return 0;
  if (ageMonths < 60) return 1;
  if (ageMonths < 120) return 2;
  if (ageMonths < 192) return 3;
  return 4;
}
export const ageBandOf = (ageMonths: number): AgeBand => AGE_BANDS[ageBandIndex(ageMonths)] as AgeBand;

export const isCategory = (s: string): s is Category => (CATEGORIES as readonly string[]).includes(s);

/** Providers that count as the council's own fostering service (docs/DOMAIN.md §2: PR1 own LA; PR2/PR3 by default, configurable). */
export const DEFAULT_IN_HOUSE_PROVIDERS = ['PR1', 'PR2', 'PR3'] as const;

/**
 * The product category of an SSDA903 placement code (PLACE × PLACE_PROVIDER). Returns undefined for a code
 * that is not a placement code at all; whether a code is valid in a given collection year is checked in ingest.
 */
export function categoryOf903(
  place: string,
  provider: string | undefined,
  inHouseProviders: readonly string[] = DEFAULT_IN_HOUSE_PROVIDERS,
): Category | undefined {
  switch (place) {
    case 'U1':
    case 'U2':
    case 'U3':
    case 'Q1': // pre-2015 relative/friend fostering
      return 'kinship';
    case 'U4':
    case 'U5':
    case 'U6':
    case 'Q2': // pre-2015 other fostering
      return provider !== undefined && inHouseProviders.includes(provider) ? 'inHouseFoster' : 'agencyFoster';
    case 'K2':
    case 'R1':
    case 'S1':
    case 'P3':
      return 'residential';
    case 'H5':
    case 'P2':
    case 'K3':
      return 'supported';
    case 'P1':
      return 'withParents';
    case 'A3':
    case 'A4':
    case 'A5':
    case 'A6':
      return 'placedForAdoption';
    case 'K1':
    case 'R5':
      return 'secure';
    case 'R2':
    case 'R3':
    case 'T0':
    case 'T1':
    case 'T2':
    case 'T3':
    case 'T4':
    case 'Z1':
    case 'Z11':
    case 'Z12':
    case 'Z13':
    case 'Z14':
      return 'other';
    default:
      return undefined;
  }
}
