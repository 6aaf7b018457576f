/** Dates in 903 files: `dd/mm/yyyy` in the DfE's own CSVs, ISO `yyyy-mm-dd` in stacked multi-year files. */

export type DateFormat = 'dd/mm/yyyy' | 'yyyy-mm-dd';

const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;
const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$/;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const iso = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** An ISO date from either form, with the form found; null when the text is not a real calendar date. */
export function parseDate(text: string): { date: string; format: DateFormat } | null {
  const t = text.trim();
  let m = DMY.exec(t);
  if (m) {
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDay(y, mo, d) && y >= 1900 ? { date: iso(y, mo, d), format: 'dd/mm/yyyy' } : null;
  }
  m = ISO.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    return validDay(y, mo, d) && y >= 1900 ? { date: iso(y, mo, d), format: 'yyyy-mm-dd' } : null;
  }
  return null;
}

/** 31 March ending the collection year that starts in `startYear`. */
export const collectionYearEnd = (startYear: number): string => `${startYear + 1}-03-31`;
/** The collection (financial) year, by its start year, that contains an ISO date. */
export function collectionYearOf(isoDate: string): number {
  const y = Number(isoDate.slice(0, 4));
  const mo = Number(isoDate.slice(5, 7));
  return mo >= 4 ? y : y - 1;
}

/**
 * A YEAR column value: "2018" is the collection year ending in 2018 (2017/18), as in stacked 903 files;
 * "2017/18" and "2017-18" name it directly. Returns the start year.
 */
export function parseCollectionYear(text: string): number | null {
  const t = text.trim();
  let m = /^(\d{4})$/.exec(t);
  if (m) return Number(m[1]) - 1;
  m = /^(\d{4})[/-](\d{2})$/.exec(t);
  if (m && (Number(m[1]) + 1) % 100 === Number(m[2])) return Number(m[1]);
  return null;
}

/** A collection year named in a file name ("episodes_2017-18.csv" → 2017, "episodes_2018.csv" → 2017), else null. */
export function collectionYearFromFileName(name: string): number | null {
  const pair = /(20\d\d)[-_]?(\d\d)(?!\d)/.exec(name);
  if (pair && (Number(pair[1]) + 1) % 100 === Number(pair[2])) return Number(pair[1]);
  const single = /(?<!\d)(20\d\d)(?!\d)/.exec(name);
  return single ? Number(single[1]) - 1 : null;
}
