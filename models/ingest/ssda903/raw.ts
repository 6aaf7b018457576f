/**
 * The raw, row-level form both inputs (903 CSV and JSON records) are read into before cleaning. Only the fields the
 * forecast needs survive this step: no postcodes, no UPN, no URN, birth month rather than birth date.
 */
import type { Category } from '../../placement.js';
import type { QualityProblem } from '../quality.js';

export interface RawEpisode {
  file: string;
  row: number | null;
  child: string;
  /** collection year (start year) the row was returned in; null when neither a YEAR column nor the file name says */
  year: number | null;
  start: string;
  end: string | null;
  rne: string;
  ls: string;
  place: string;
  provider: string;
  rec: string | null;
  /** set when the input names a product category instead of a 903 code (JSON records) */
  category?: Category;
  /**
   * Sibling groups: on a start of care (RNE S) with a HOME_POST, a number shared by the starts of the same day from the
   * same home postcode. The postcode itself is never kept: the number is all that leaves the reader.
   */
  homeGroup?: number;
  /** set when the codes were checked while reading (the collection year was known): the row's category */
  checkedCategory?: Category;
  /**
   * set while reading when DECOM is before the child's date of birth, which only the reader holds (the birth month is
   * all that is kept): a DOB later in the month the episode starts in, that the month alone cannot tell
   */
  beforeBirth?: true;
}

export interface RawChild {
  file: string;
  row: number | null;
  child: string;
  year: number | null;
  birthMonth: string;
}

export interface RawUasc {
  file: string;
  row: number | null;
  child: string;
  year: number | null;
  /** DUC: the date UASC status ceased (normally the 18th birthday); null when not given */
  until: string | null;
}

export interface RawData {
  episodes: RawEpisode[];
  headers: RawChild[];
  uasc: RawUasc[];
  problems: QualityProblem[];
  notes: string[];
  rowsRead: number;
  /** rows dropped while reading (bad dates, missing values) */
  rowsDropped: number;
  /** children whose header row was unusable (no DOB): their episodes are dropped too */
  childrenWithoutDob: Set<string>;
  /** collection years named by YEAR columns, file names or folder names */
  years: Set<number>;
  /** what named the years: 'a YEAR column', 'year-named files', 'year folders' */
  yearSources: Set<string>;
  /** how many episode dates (DECOM and DEC) fall in each collection year */
  dateYears: Map<number, number>;
  /**
   * how many episode ends (DEC) fall in each collection year: a return holds only the episodes open during its year,
   * so its starts reach back years but its ends fall in its own year; the bulk of the ends dates the returns
   */
  endYears: Map<number, number>;
  /** episode rows read and dropped as errors (the share dropped decides whether lenient ingest can go on) */
  episodeRowsRead: number;
  episodeRowsDropped: number;
  /** latest date seen in any episode (DECOM or DEC) */
  latestDate: string | null;
  earliestDate: string | null;
  /** rows of an episode returned again in a later collection year, already folded into the latest year's row */
  repeatedAcrossYears: number;
}

export function emptyRaw(): RawData {
  return {
    episodes: [],
    headers: [],
    uasc: [],
    problems: [],
    notes: [],
    rowsRead: 0,
    rowsDropped: 0,
    childrenWithoutDob: new Set(),
    years: new Set(),
    yearSources: new Set(),
    dateYears: new Map(),
    endYears: new Map(),
    episodeRowsRead: 0,
    episodeRowsDropped: 0,
    latestDate: null,
    earliestDate: null,
    repeatedAcrossYears: 0,
  };
}

export function seeDate(raw: RawData, date: string): void {
  const y = Number(date.slice(0, 4)) - (Number(date.slice(5, 7)) >= 4 ? 0 : 1);
  raw.dateYears.set(y, (raw.dateYears.get(y) ?? 0) + 1);
  if (raw.latestDate === null || date > raw.latestDate) raw.latestDate = date;
  if (raw.earliestDate === null || date < raw.earliestDate) raw.earliestDate = date;
}
