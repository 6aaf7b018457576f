/**
 * SSDA903 tables recognised by their columns (docs/SSDA903.md). We use Header, Episodes and UASC; the other 903 tables
 * are recognised only so that they can be ignored with a note rather than rejected as unknown files.
 */

export type UsedTable = 'header' | 'episodes' | 'uasc';

export const TABLE_LABELS: Record<UsedTable, string> = { header: 'Header', episodes: 'Episodes', uasc: 'UASC' };

export const TABLE_COLUMNS: Record<UsedTable, readonly string[]> = {
  header: ['CHILD', 'SEX', 'DOB', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'],
  episodes: [
    'CHILD',
    'DECOM',
    'RNE',
    'LS',
    'CIN',
    'PLACE',
    'PLACE_PROVIDER',
    'DEC',
    'REC',
    'REASON_PLACE_CHANGE',
    'HOME_POST',
    'PL_POST',
    'URN',
  ],
  uasc: ['CHILD', 'SEX', 'DOB', 'DUC'],
};

/** The columns we read; a recognised table without one of them is rejected with "missing column". */
export const REQUIRED_COLUMNS: Record<UsedTable, readonly string[]> = {
  header: ['CHILD', 'DOB'],
  episodes: ['CHILD', 'DECOM', 'RNE', 'LS', 'PLACE', 'PLACE_PROVIDER', 'DEC', 'REC'],
  uasc: ['CHILD', 'DUC'],
};

/** Every column the reader reads a value from (a stacked file's YEAR, HOME_POST for sibling groups). */
export const READ_COLUMNS: Record<UsedTable, readonly string[]> = {
  header: [...REQUIRED_COLUMNS.header, 'DUC', 'YEAR'],
  episodes: [...REQUIRED_COLUMNS.episodes, 'HOME_POST', 'YEAR'],
  uasc: [...REQUIRED_COLUMNS.uasc, 'YEAR'],
};

/** A column that only this table has: enough to tell it apart from the tables we use. */
const IGNORED_TABLE_SIGNATURES: Array<{ table: string; columns: string[] }> = [
  { table: 'Reviews', columns: ['REVIEW', 'REVIEW_CODE'] },
  { table: 'OC2', columns: ['SDQ_SCORE', 'CONVICTED', 'HEALTH_CHECK', 'SUBSTANCE_MISUSE'] },
  { table: 'OC3', columns: ['IN_TOUCH', 'ACTIV', 'ACCOM'] },
  { table: 'AD1', columns: ['DATE_INT', 'DATE_MATCH', 'FOSTER_CARE', 'NB_ADOPTR'] },
  { table: 'PlacedAdoption', columns: ['DATE_PLACED', 'DATE_PLACED_CEASED', 'REASON_PLACED_CEASED'] },
  { table: 'PrevPerm', columns: ['PREV_PERM', 'LA_PERM', 'DATE_PERM'] },
  { table: 'Missing', columns: ['MISSING', 'MIS_START', 'MIS_END'] },
  { table: 'SWEpisodes', columns: ['SW_ID', 'SW_DECOM', 'SW_DEC', 'SW_REASON'] },
  { table: 'DoLo', columns: ['DOLO_START', 'DOLO_END', 'DOLO_STATUS'] },
];

/** Every column name of the 903 tables we know, used or not (the only header cells an error message may quote). */
export const KNOWN_COLUMNS: ReadonlySet<string> = new Set([
  ...Object.values(TABLE_COLUMNS).flat(),
  ...IGNORED_TABLE_SIGNATURES.flatMap((s) => s.columns),
  'YEAR',
  'LA',
]);

/** How many of the Header's own columns (not shared with the UASC table, which has CHILD, SEX, DOB and DUC) a line has. */
const headerIdentity = (set: ReadonlySet<string>): number =>
  ['ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'].filter((c) => set.has(c)).length;

export type TableGuess =
  | { kind: 'used'; table: UsedTable; missing: string[] }
  | { kind: 'ignored'; table: string }
  | { kind: 'unknown' };

/**
 * Characters that show as nothing (zero-width spaces and joiners, a byte-order mark inside a file), pasted in with a
 * code from a web page or an email: `\u200BS` reads as `S`. A code that still does not match is an error that cannot
 * show the value, so an officer would have nothing to look for.
 */
const INVISIBLE = /[\u200B-\u200D\u2060\uFEFF]/;
const INVISIBLE_ALL = new RegExp(INVISIBLE.source, 'g');
export const invisible = (v: string): string => (INVISIBLE.test(v) ? v.replace(INVISIBLE_ALL, '').trim() : v);

/**
 * Column names are compared upper-case and trimmed, with runs of spaces or hyphens read as the underscore the 903 names
 * use: exports differ in case and in how the words are joined (`PLACE PROVIDER`, `place-provider`), never in spelling.
 */
export const normaliseColumn = (c: string): string =>
  invisible(c.trim())
    .toUpperCase()
    .replace(/[\s-]+/g, '_');

/**
 * Which table a file holds. Distinctive columns first (DECOM → Episodes, DUC → UASC, another table's signature →
 * ignored); then the used table whose column list overlaps most, or the one the file is named after
 * (`header.csv`, the service's `episodes` key), so that a table missing a column is named, not called unknown.
 */
export function recogniseTable(columns: readonly string[], fileName: string): TableGuess {
  const set = new Set(columns.map(normaliseColumn));
  const missingOf = (t: UsedTable) => REQUIRED_COLUMNS[t].filter((c) => !set.has(c));
  if (set.has('DECOM')) return { kind: 'used', table: 'episodes', missing: missingOf('episodes') };
  // A Header table with the UASC table's DUC added as a column (some councils keep them as one): a Header, its DUC
  // read as the UASC table (read.ts). The UASC table itself has none of the Header's identity columns.
  if (set.has('DUC') && set.has('CHILD') && headerIdentity(set) >= 2)
    return { kind: 'used', table: 'header', missing: missingOf('header') };
  if (set.has('DUC')) return { kind: 'used', table: 'uasc', missing: missingOf('uasc') };
  for (const sig of IGNORED_TABLE_SIGNATURES) {
    if (sig.columns.some((c) => set.has(c))) return { kind: 'ignored', table: sig.table };
  }
  const base = fileName.toLowerCase().replace(/\.[a-z]+$/, '');
  for (const t of ['episodes', 'header', 'uasc'] as const) {
    if (new RegExp(`(^|[^a-z])${t}([^a-z]|$)`).test(base)) return { kind: 'used', table: t, missing: missingOf(t) };
  }
  // Header has no distinctive column of its own: its identity columns (SEX, ETHNIC, UPN, MOTHER) are enough.
  const headerHits = ['SEX', 'ETHNIC', 'UPN', 'MOTHER', 'MC_DOB'].filter((c) => set.has(c)).length;
  if (set.has('CHILD') && headerHits >= 2) return { kind: 'used', table: 'header', missing: missingOf('header') };
  const episodeHits = TABLE_COLUMNS.episodes.filter((c) => set.has(c)).length;
  if (episodeHits >= 6) return { kind: 'used', table: 'episodes', missing: missingOf('episodes') };
  return { kind: 'unknown' };
}
