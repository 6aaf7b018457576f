/** Placement code lists by collection year (docs/SSDA903.md): what each year accepts, and why it refuses. */
import { describe, expect, it } from 'vitest';
import { checkPlaceCode, exitGroupOfRec } from '#models/ingest/ssda903/codes';
import {
  collectionYearFromFileName,
  collectionYearOf,
  parseCollectionYear,
  parseDate,
  twoDigitYear,
} from '#models/ingest/ssda903/dates';

const valid = (code: string, year: number) => checkPlaceCode(code, year).ok;

describe('PLACE codes by collection year', () => {
  it('Q1/Q2 until 2014/15; K3 from 2024/25; H5, P2, Z1 until 2024/25; Z11–Z14 from 2025/26', () => {
    expect([2013, 2014, 2015].map((y) => valid('Q2', y))).toEqual([true, true, false]);
    expect([2023, 2024, 2025].map((y) => valid('K3', y))).toEqual([false, true, true]);
    for (const c of ['H5', 'P2', 'Z1']) expect([2024, 2025].map((y) => valid(c, y))).toEqual([true, false]);
    for (const c of ['Z11', 'Z12', 'Z13', 'Z14'])
      expect([2024, 2025, 2026].map((y) => valid(c, y))).toEqual([false, true, true]);
    for (const c of ['U1', 'U6', 'K2', 'A6', 'T4']) expect([2013, 2026].map((y) => valid(c, y))).toEqual([true, true]);
    expect(checkPlaceCode('Z1', 2025)).toEqual({
      ok: false,
      reason: 'retired',
      message: "code 'Z1' is not valid in collection year 2025/26 (retired after 2024/25)",
    });
    expect(checkPlaceCode('Z9', 2017)).toEqual({
      ok: false,
      reason: 'unknown',
      message: 'not a code of the PLACE list (the value is not shown: it is not a 903 code)',
    });
    // a code of another list is quoted (it cannot be personal data)
    expect(checkPlaceCode('E4A', 2017)).toMatchObject({ message: "'E4A' is not a code of the PLACE list" });
    // older and newer returns are checked against the nearest list we hold
    expect([valid('U4', 2010), valid('Q2', 2010), valid('Z12', 2030)]).toEqual([true, true, true]);
  });

  it('groups exit reasons as the tables show them', () => {
    expect(['E4A', 'E4B', 'E13', 'E4'].map(exitGroupOfRec)).toEqual(['home', 'home', 'home', 'home']);
    expect(['E41', 'E45', 'E48', 'E43'].map(exitGroupOfRec)).toEqual(['sgoCao', 'sgoCao', 'sgoCao', 'sgoCao']);
    expect(['E11', 'E12'].map(exitGroupOfRec)).toEqual(['adoption', 'adoption']);
    expect(['E8', 'E17', null].map(exitGroupOfRec)).toEqual(['other', 'other', 'other']);
  });
});

describe('dates and collection years', () => {
  it('reads dd/mm/yyyy and ISO dates, refusing impossible ones', () => {
    expect(parseDate('01/02/2017', 2026)).toEqual({ date: '2017-02-01', format: 'dd/mm/yyyy' });
    expect(parseDate('2017-02-01', 2026)).toEqual({ date: '2017-02-01', format: 'yyyy-mm-dd' });
    expect(parseDate('2017-02-01T00:00:00', 2026)?.date).toBe('2017-02-01');
    expect(parseDate('29/02/2017', 2026)).toBeNull();
    expect(parseDate('29/02/2016', 2026)?.date).toBe('2016-02-29');
    // two-digit years (a file saved by Excel), ingested in 2026: 37–99 are 1937–1999, 00–36 are 2000–2036
    expect(parseDate('02/01/17', 2026)).toEqual({ date: '2017-01-02', format: 'dd/mm/yy' });
    expect(parseDate('26/07/99', 2026)?.date).toBe('1999-07-26');
    expect(parseDate('26/07/29', 2026)?.date).toBe('2029-07-26');
    expect(parseDate('26/07/37', 2026)?.date).toBe('1937-07-26');
    expect(parseDate('26-07-2021 00:00', 2026)?.date).toBe('2021-07-26');
    // Excel day numbers in a date column formatted as a number
    expect(parseDate('43190', 2026)).toEqual({ date: '2018-03-31', format: 'excel serial' });
    expect(parseDate('123', 2026)).toBeNull();
  });

  it('two-digit years slide with the year of ingest: read in the hundred years up to ten after it', () => {
    // ingested in 2026: 1937–2036
    expect([36, 37, 30, 0, 99].map((yy) => twoDigitYear(yy, 2026))).toEqual([2036, 1937, 2030, 2000, 1999]);
    // from 2030 a fixed pivot (00–29 → 2000s) reads 1930; the window reads 2030 (ingested in 2031: 1942–2041)
    expect(parseDate('01/04/30', 2031)).toEqual({ date: '2030-04-01', format: 'dd/mm/yy' });
    expect(parseDate('01-Apr-30', 2031)).toEqual({ date: '2030-04-01', format: 'dd-mmm-yy' });
    expect([parseDate('15/06/41', 2031)?.date, parseDate('15/06/42', 2031)?.date]).toEqual([
      '2041-06-15',
      '1942-06-15',
    ]);
    // ingested in 2090, a 903 file's births of the 2060s and its dates of the 2080s still read right: 2001–2100
    expect([parseDate('15/06/65', 2090)?.date, parseDate('31/03/89', 2090)?.date]).toEqual([
      '2065-06-15',
      '2089-03-31',
    ]);
    // the demo's dates (1995–2018) read as before for any year of ingest from 2019 to 2084
    for (const ref of [2019, 2026, 2050, 2084])
      for (let y = 1995; y <= 2018; y++)
        expect(parseDate(`01/04/${String(y % 100).padStart(2, '0')}`, ref)?.date, `${y} in ${ref}`).toBe(`${y}-04-01`);
  });

  it('names collection years by their start year from dates, YEAR values and file names', () => {
    expect([collectionYearOf('2017-03-31'), collectionYearOf('2017-04-01')]).toEqual([2016, 2017]);
    expect([
      parseCollectionYear('2018'),
      parseCollectionYear('2017/18'),
      parseCollectionYear('2017-18'),
      parseCollectionYear('2017/19'),
    ]).toEqual([2017, 2017, 2017, null]);
    expect([
      collectionYearFromFileName('episodes_2017-18.csv'),
      collectionYearFromFileName('episodes_2018.csv'),
      collectionYearFromFileName('episodes.csv'),
    ]).toEqual([2017, 2017, null]);
  });

  it('a date in a file name (the day it was exported) names no collection year', () => {
    expect([
      collectionYearFromFileName('episodes_export_2017-12-01.csv'),
      collectionYearFromFileName('SSDA903 header 20171201.csv'),
      collectionYearFromFileName('uasc 01.12.2017.csv'),
      collectionYearFromFileName('episodes_2017-18_exported_2018-05-14.csv'),
      collectionYearFromFileName('episodes_20172018.csv'),
    ]).toEqual([null, null, null, 2017, 2017]);
  });
});
