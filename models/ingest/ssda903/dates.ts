/**
 * Dates in 903 files: `dd/mm/yyyy` in the DfE's own CSVs, ISO `yyyy-mm-dd` in stacked multi-year files, `dd/mm/yy`
 * once a file has been opened and saved in Excel, `dd-mmm-yy` / `dd-mmm-yyyy` (`01-Apr-18`) when Excel's cells had that
 * format, and Excel serial day numbers when a date column was formatted as a number. `-` and `.` are accepted for `/`
 * in day-first dates, `/` and a space for `-` around a month name, and a midnight time after any form is ignored.
 */

export type DateFormat = 'dd/mm/yyyy' | 'yyyy-mm-dd' | 'dd/mm/yy' | 'dd-mmm-yy' | 'dd-mmm-yyyy' | 'excel serial';

/**
 * Two-digit years (`dd/mm/yy` and `dd-mmm-yy` alike) are read in the hundred years that end ten years after a reference
 * year, the year of ingest, passed in by the caller (models/ reads no clock): `yy` is the year ending in `yy` between
 * `referenceYear − 89` and `referenceYear + 10`. A 903 file holds births up to about 25 years back and dates up to
 * today (a planned date a few years ahead at most), so the window reads every one of them right, whatever the year of
 * ingest; a fixed pivot (Excel's 00–29 → 2000s) would read 1930 for 2030 from that year on.
 *
 * @example twoDigitYear(30, 2026) === 2030; twoDigitYear(37, 2026) === 1937; twoDigitYear(36, 2026) === 2036
 */
export function twoDigitYear(yy: number, referenceYear: number): number {
  const first = referenceYear - 89;
  return first + ((((yy - first) % 100) + 100) % 100);
}

/** The rule as the quality report's notes state it (once, whenever a two-digit year was read). */
export const twoDigitYearRule = (referenceYear: number): string =>
  `two-digit years read in ${referenceYear - 89}–${referenceYear + 10}, the hundred years up to ten after the year of ingest ${referenceYear}`;

const TIME = String.raw`(?:[T ]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?`;
const DMY = new RegExp(String.raw`^(\d{1,2})([/.-])(\d{1,2})\2(\d{4}|\d{2})${TIME}$`);
/** A day, a month by its English name or abbreviation (any case), a year; `-`, `/` or spaces between them. */
const DMONY = new RegExp(String.raw`^(\d{1,2})(-|/| +)([A-Za-z]{3,9})\2(\d{4}|\d{2})${TIME}$`);
const MONTHS = [
  'january',
  'february',
  'march',
  'april',
  'may',
  'june',
  'july',
  'august',
  'september',
  'october',
  'november',
  'december',
];
/** 1–12 for a month's English name or its three-letter abbreviation (and `sept`), any case; 0 for anything else. */
function monthNumber(name: string): number {
  const n = name.toLowerCase();
  if (n === 'sept') return 9;
  return MONTHS.findIndex((m) => n === m || n === m.slice(0, 3)) + 1;
}
const ISO = new RegExp(String.raw`^(\d{4})-(\d{2})-(\d{2})${TIME}$`);
/**
 * Excel's day numbers (1900 date system): 1 January 1927 is 9863, 31 December 2099 is 73415. A fraction is the time of
 * day (`45536.5` is noon on 1 September 2024, a date-and-time cell exported as a number) and is ignored, as a time
 * written after a date is. A workbook saved in the 1904 date system (Mac Excel; its workbook property `date1904`)
 * counts from 1 January 1904 instead: its numbers are 1,462 days fewer for the same day (DATE_1904_OFFSET).
 */
const SERIAL = /^(\d{4,5})(?:\.\d+)?$/;
const SERIAL_MIN = 9863;
const SERIAL_MAX = 73415;
/** Days between the 1900 and the 1904 date systems' day numbers of the same day. */
export const DATE_1904_OFFSET = 1462;

function validDay(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  return d <= new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const iso = (y: number, m: number, d: number): string =>
  `${String(y).padStart(4, '0')}-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`;

/** The ISO date of an Excel serial day number (day 25569 is 1 January 1970; Excel's 1900 leap-year bug is before 1927). */
export function excelSerialDate(serial: number): string {
  return new Date((serial - 25569) * 86_400_000).toISOString().slice(0, 10);
}

/**
 * A date from its day, month and year as written (two or four digits; a two-digit year placed by `referenceYear`),
 * with the form it was in (`forms`: the two-digit one, then the four-digit one).
 */
function fromParts(
  d: number,
  mo: number,
  yText: string,
  referenceYear: number,
  forms: [DateFormat, DateFormat],
): { date: string; format: DateFormat } | 'no such day' | null {
  const short = yText.length === 2;
  const y = short ? twoDigitYear(Number(yText), referenceYear) : Number(yText);
  if (y < 1900) return null;
  if (!validDay(y, mo, d)) return 'no such day';
  return { date: iso(y, mo, d), format: short ? forms[0] : forms[1] };
}

/**
 * An ISO date from any of the forms, with the form found; 'no such day' when the text has a date's form but names a day
 * that does not exist (31 February, month 13); null when it is no date at all. `referenceYear` (the year of ingest)
 * places two-digit years (`twoDigitYear`); `date1904`: a day number is in Excel's 1904 date system (a cell of a
 * workbook saved in it), not the 1900 one.
 */
export function readDate(
  text: string,
  referenceYear: number,
  date1904 = false,
): { date: string; format: DateFormat } | 'no such day' | null {
  const t = text.trim();
  let m = DMY.exec(t);
  if (m) {
    return fromParts(Number(m[1]), Number(m[3]), m[4] as string, referenceYear, ['dd/mm/yy', 'dd/mm/yyyy']);
  }
  m = DMONY.exec(t);
  if (m) {
    const mo = monthNumber(m[3] as string);
    if (mo === 0) return null;
    return fromParts(Number(m[1]), mo, m[4] as string, referenceYear, ['dd-mmm-yy', 'dd-mmm-yyyy']);
  }
  m = ISO.exec(t);
  if (m) {
    const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
    if (y < 1900) return null;
    return validDay(y, mo, d) ? { date: iso(y, mo, d), format: 'yyyy-mm-dd' } : 'no such day';
  }
  m = SERIAL.exec(t);
  if (m) {
    const n = Number(m[1]) + (date1904 ? DATE_1904_OFFSET : 0);
    return n >= SERIAL_MIN && n <= SERIAL_MAX ? { date: excelSerialDate(n), format: 'excel serial' } : null;
  }
  return null;
}

/**
 * A day-first date whose month is over 12 while its day is 12 or less (`09/13/2024`): written month first, as a
 * computer set to US English writes dates. Said in the error, since every such file has dates of days up to 12 that
 * read as another day.
 */
export function looksMonthFirst(text: string): boolean {
  const m = DMY.exec(text.trim());
  return m !== null && Number(m[3]) > 12 && Number(m[1]) <= 12;
}

/** An ISO date from any of the forms, with the form found; null when the text is not a real calendar date. */
export function parseDate(text: string, referenceYear: number): { date: string; format: DateFormat } | null {
  const d = readDate(text, referenceYear);
  return d === 'no such day' ? null : d;
}

/** The forms a date may take, for messages. */
export const DATE_FORMS = 'dd/mm/yyyy, dd/mm/yy, dd-mmm-yy (01-Apr-18), yyyy-mm-dd or an Excel date number';

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
 * "2017/18", "2017-18" and "2017/2018" name it directly. Returns the start year.
 */
export function parseCollectionYear(text: string): number | null {
  const t = text.trim();
  let m = /^(\d{4})$/.exec(t);
  if (m) return Number(m[1]) - 1;
  m = /^(\d{4})[/-](\d{2})$/.exec(t);
  if (m && (Number(m[1]) + 1) % 100 === Number(m[2])) return Number(m[1]);
  // both years whole (`2017/2018`, `2017-2018`), as some exports write them
  m = /^(\d{4})[/-](\d{4})$/.exec(t);
  if (m && Number(m[1]) + 1 === Number(m[2])) return Number(m[1]);
  return null;
}

/** A whole date in a name (`2018-05-14`, `20180514`, `14.05.2018`): the day a file was exported, not a year it holds. */
const DATE_IN_NAME =
  /(?<!\d)(?:(?:19|20)\d\d([-_. ]?)(?:0[1-9]|1[0-2])\1(?:0[1-9]|[12]\d|3[01])|(?:0?[1-9]|[12]\d|3[01])([-_. ])(?:0?[1-9]|1[0-2])\2(?:19|20)\d\d)(?!\d)/g;

/**
 * A collection year named in a file name ("episodes_2017-18.csv" → 2017, "episodes_2018.csv" → 2017), else null.
 * Dates in the name are left out first: "episodes_2017-12-01.csv" names no year (it was exported that day).
 */
export function collectionYearFromFileName(fileName: string): number | null {
  const name = fileName.replace(DATE_IN_NAME, ' ');
  const full = /(?<!\d)(20\d\d)[-_ ]?(20\d\d)(?!\d)/.exec(name);
  if (full && Number(full[1]) + 1 === Number(full[2])) return Number(full[1]);
  const pair = /(?<!\d)(20\d\d)[-_ ]?(\d\d)(?!\d)/.exec(name);
  if (pair && (Number(pair[1]) + 1) % 100 === Number(pair[2])) return Number(pair[1]);
  const single = /(?<!\d)(20\d\d)(?!\d)/.exec(name);
  return single ? Number(single[1]) - 1 : null;
}

/**
 * The collection year a file's path names: the file's own name first, then its folders from the innermost out
 * (`2017-18/episodes.csv`, `returns/201718/header.csv`, `2018/uasc.csv` → 2017). Null when nothing names one.
 */
export function collectionYearFromPath(path: string): { year: number; from: 'file name' | 'folder name' } | null {
  const parts = path.split(/[\\/]/).filter((p) => p !== '');
  const base = (parts.pop() ?? '').replace(/\.[a-z0-9]+$/i, '');
  const own = collectionYearFromFileName(base);
  if (own !== null) return { year: own, from: 'file name' };
  for (let i = parts.length - 1; i >= 0; i--) {
    const y = collectionYearFromFileName(parts[i] as string);
    if (y !== null) return { year: y, from: 'folder name' };
  }
  return null;
}
