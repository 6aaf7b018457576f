/**
 * Reading and cleaning SSDA903 tables: each cleaning rule of docs/SSDA903.md on a tiny fixture, and each error class with
 * its exact message.
 */
import { describe, expect, it } from 'vitest';
import { ingestSsda903, type IngestOutcome } from '#models/ingest/pipeline';
import type { QualityProblem } from '#models/ingest/quality';

const HEADER_COLS = 'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB';
const EPISODE_COLS = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';

/** A header row for a child born in June 2005 (12 at the 2017/18 data end). */
const header = (...children: string[]) =>
  [HEADER_COLS, ...children.map((c) => `${c},1,15/06/2005,WBRI,A123,,`)].join('\n');
/** Episode rows: [child, DECOM, RNE, LS, PLACE, PROVIDER, DEC, REC] */
const episodes = (...rows: string[][]) =>
  [
    EPISODE_COLS,
    ...rows.map(
      ([c, decom, rne, ls, place, prov, dec, rec]) =>
        `${c},${decom},${rne},${ls},N1,${place},${prov},${dec},${rec},,PE1 1AA,PE2 2BB,`,
    ),
  ].join('\n');

function ingest(files: Record<string, string>, mode: 'strict' | 'lenient' = 'strict'): IngestOutcome {
  return ingestSsda903(
    Object.entries(files).map(([name, text]) => ({ name, text })),
    // one rule at a time on a handful of rows: the refusals of data that cannot support a forecast are tested apart
    { salt: 'test-salt', referenceYear: 2026, mode, refuse: { maxDroppedShare: 1, withoutFlows: false } },
  );
}
function ok(outcome: IngestOutcome) {
  if (!outcome.ok) throw new Error(`expected ok, got ${JSON.stringify(outcome.report.problems)}`);
  return outcome.dataset;
}
function problems(outcome: IngestOutcome): QualityProblem[] {
  return outcome.ok ? outcome.dataset.quality.problems : outcome.report.problems;
}

describe('SSDA903 cleaning rules', () => {
  it('rule 1: drops a row with no CHILD and reports it (lenient keeps the rest)', () => {
    const out = ingest(
      {
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['', '01/06/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
        ),
      },
      'lenient',
    );
    const d = ok(out);
    expect(d.counts.episodes).toBe(1);
    expect(d.counts.rowsDropped).toBe(1);
    expect(d.quality.problems).toEqual([
      {
        file: 'episodes.csv',
        row: 3,
        column: 'CHILD',
        code: 'missing-value',
        message: 'missing CHILD',
        action: 'dropped',
        severity: 'error',
      },
    ]);
  });

  it('rule 1: drops a row with no DECOM', () => {
    const out = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '', 'S', 'C2', 'U4', 'PR1', '', '']),
    });
    expect(out.ok).toBe(false);
    expect(problems(out)[0]).toMatchObject({
      row: 2,
      column: 'DECOM',
      code: 'missing-value',
      message: 'missing DECOM',
      action: 'dropped',
    });
  });

  it('rule 1: a child with no DOB loses its episodes, reported once on the header row', () => {
    const out = ingest(
      {
        'header.csv': [HEADER_COLS, '1,1,,WBRI,,,', '2,2,01/01/2010,WBRI,,,'].join('\n'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['2', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
        ),
      },
      'lenient',
    );
    const d = ok(out);
    expect(d.counts.children).toBe(1);
    expect(d.quality.problems).toEqual([
      {
        file: 'header.csv',
        row: 2,
        column: 'DOB',
        code: 'missing-value',
        message: 'child has no DOB: its episodes are dropped',
        action: 'dropped',
        severity: 'error',
      },
    ]);
  });

  it('rule 2: the same CHILD and DECOM twice keeps the last row', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['1', '01/05/2017', 'S', 'C2', 'K2', 'PR4', '', ''],
        ),
      }),
    );
    expect(d.children[0]!.episodes).toHaveLength(1);
    expect(d.children[0]!.episodes[0]!.category).toBe('residential');
    expect(d.quality.problems).toEqual([
      {
        file: 'episodes.csv',
        row: 2,
        column: 'DECOM',
        code: 'duplicate-episode',
        message: 'same CHILD and DECOM as row 3: the later row kept',
        action: 'dropped',
        severity: 'warning',
      },
    ]);
  });

  it('rule 2: the same CHILD and DEC twice keeps the longest episode', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '01/09/2017', 'E4A'],
          ['1', '01/07/2017', 'P', 'C2', 'K2', 'PR4', '01/09/2017', 'E4A'],
        ),
      }),
    );
    expect(d.children[0]!.episodes).toEqual([
      {
        start: '2017-05-01',
        end: '2017-09-01',
        category: 'inHouseFoster',
        place: 'U4',
        legalStatus: 'C2',
        reasonEnded: 'E4A',
        // a start of care (RNE S) with a home postcode: a group of one
        entryGroupSize: 1,
      },
    ]);
    expect(d.quality.problems[0]).toMatchObject({
      row: 3,
      column: 'DEC',
      code: 'duplicate-end',
      message: 'same CHILD and DEC as row 2: the longer episode kept',
      severity: 'warning',
    });
  });

  it('rule 3: an episode that overlaps the next one is ended at the next start', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '20/06/2017', 'X1'],
          ['1', '10/06/2017', 'P', 'C2', 'K2', 'PR4', '', ''],
        ),
      }),
    );
    expect(d.children[0]!.episodes.map((e) => [e.start, e.end])).toEqual([
      ['2017-05-01', '2017-06-10'],
      ['2017-06-10', null],
    ]);
    expect(d.quality.problems).toEqual([
      {
        file: 'episodes.csv',
        row: 2,
        column: 'DEC',
        code: 'overlap',
        message: 'episode overlaps the next one (row 3): end set to the next start',
        action: 'repaired: end set to next start',
        severity: 'warning',
      },
    ]);
  });

  it('rule 4: legal-status-only and same-carer episodes on the same day continue the placement', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'V2', 'U4', 'PR1', '01/06/2017', 'X1'],
          ['1', '01/06/2017', 'L', 'C1', 'U4', 'PR1', '01/07/2017', 'X1'],
          ['1', '01/07/2017', 'T', 'C2', 'U6', 'PR1', '01/08/2017', 'X1'],
          ['1', '01/08/2017', 'P', 'C2', 'U6', 'PR1', '', ''],
        ),
      }),
    );
    // three rows merge into one placement; the P row is a new placement (same category, so not a move)
    expect(d.children[0]!.episodes.map((e) => [e.start, e.end, e.legalStatus])).toEqual([
      ['2017-05-01', '2017-08-01', 'C2'],
      ['2017-08-01', null, 'C2'],
    ]);
    expect(d.quality.notes).toContain('2 episodes merged into the previous placement (RNE L, T or U on the same day)');
    expect(d.initial[0]!.monthsInPlacement).toBe(7); // placement from August 2017 to a forecast starting April 2018
  });

  it('rule 5: an open episode is open at the data end date (31 March of the last collection year)', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(['1', '01/05/2017', 'S', 'C2', 'K2', 'PR4', '', '']),
      }),
    );
    expect(d.period).toMatchObject({ start: '2017-04-01', end: '2018-03-31' });
    expect(d.stock.byCategory.residential).toBe(1);
    expect(d.initial).toEqual([{ ageMonths: 153, category: 'residential', uasc: false, monthsInPlacement: 10 }]);
  });

  it('respite episodes (LS V3/V4) are left out of the stock and the rates', () => {
    const d = ok(
      ingest({
        'header.csv': header('1', '2'),
        'episodes.csv': episodes(
          ['1', '01/03/2018', 'S', 'V3', 'U4', 'PR1', '', ''],
          ['2', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
        ),
      }),
    );
    expect(d.stock.total).toBe(1);
    expect(d.estimate.tables.totals.entries).toBe(1);
    expect(d.quality.notes).toContain('1 respite episodes (LS V3/V4) left out of the stock and the rates');
  });

  it('a respite episode inside a placement does not cut the placement short', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['1', '03/06/2017', 'S', 'V3', 'U4', 'PR1', '05/06/2017', 'E8'],
        ),
      }),
    );
    expect(d.children[0]!.episodes.map((e) => [e.start, e.end])).toEqual([['2017-05-01', null]]);
    expect(d.quality.problems).toEqual([]);
  });

  it('stores no postcode, UPN or birth day, and only a salted hash of the child id', () => {
    const d = ok(
      ingest({
        'header.csv': header('CHILD-SECRET-77'),
        'episodes.csv': episodes(['CHILD-SECRET-77', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', '']),
      }),
    );
    const json = JSON.stringify(d);
    for (const leak of ['CHILD-SECRET-77', 'PE1 1AA', 'PE2 2BB', 'A123', '2005-06-15', '15/06/2005'])
      expect(json).not.toContain(leak);
    expect(d.children[0]!.birthMonth).toBe('2005-06');
    expect(d.children[0]!.key).toMatch(/^[0-9a-f]{20}$/);
    const other = ok(
      ingestSsda903(
        [
          { name: 'header.csv', text: header('CHILD-SECRET-77') },
          { name: 'episodes.csv', text: episodes(['CHILD-SECRET-77', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', '']) },
        ],
        { salt: 'another-council', referenceYear: 2026, refuse: { withoutFlows: false } },
      ),
    );
    expect(other.children[0]!.key).not.toBe(d.children[0]!.key);
  });

  it('a sibling group counts only the children kept: one of three dropped (no header row, or no valid episode) leaves a group of 2', () => {
    // every row of `episodes` has the home postcode PE1 1AA: three siblings start care on 1 May 2017, three on 1 June
    const out = ingest(
      {
        'header.csv': header('1', '2', '4', '5', '6'),
        'episodes.csv': episodes(
          ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['2', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['3', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['4', '01/06/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['5', '01/06/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
          ['6', '01/06/2017', 'S', 'C2', 'XX', 'PR1', '', ''],
        ),
      },
      'lenient',
    );
    const d = ok(out);
    expect(problems(out).map((p) => [p.row, p.column, p.code])).toEqual([
      [7, 'PLACE', 'unknown-code'],
      [4, 'CHILD', 'no-header'],
    ]);
    expect(d.counts.children).toBe(4);
    expect(d.children.flatMap((c) => c.episodes.map((e) => `${e.start}: group of ${e.entryGroupSize}`)).sort()).toEqual(
      ['2017-05-01: group of 2', '2017-05-01: group of 2', '2017-06-01: group of 2', '2017-06-01: group of 2'],
    );
    expect(d.estimate.parameters.entryGroups).toEqual({
      sizes: { '2': 1 },
      basis: 'sibling groups read at ingest (same start day, same home postcode): 2 groups, 4 children',
    });
  });

  it("keeps a UASC child's DUC (normally the 18th birthday) by its month only, so no birth day is stored", () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': episodes(['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', '']),
        'uasc.csv': 'CHILD,SEX,DOB,DUC\n1,1,15/06/2005,15/06/2023',
      }),
    );
    const json = JSON.stringify(d);
    for (const leak of ['2005-06-15', '2023-06-15', '15/06/2023']) expect(json).not.toContain(leak);
    expect(d.children[0]!.uascUntil).toBe('2023-06-30');
    expect(d.stock.uasc).toBe(1);
  });

  it('reads ISO dates and a stacked YEAR column, keeping the latest year of a repeated episode', () => {
    const text = [
      `YEAR,${EPISODE_COLS}`,
      '2017,1,2016-05-01,S,C2,N1,U4,PR1,,,,,,',
      '2018,1,2016-05-01,S,C2,N1,U4,PR1,2017-06-01,E4A,,,,',
    ].join('\n');
    const d = ok(
      ingest({
        'header.csv': [`YEAR,${HEADER_COLS}`, '2017,1,1,2005-06-15,WBRI,,,', '2018,1,1,2005-06-15,WBRI,,,'].join('\n'),
        'episodes.csv': text,
      }),
    );
    expect(d.period).toMatchObject({ start: '2016-04-01', end: '2018-03-31' });
    expect(d.children[0]!.episodes[0]!.end).toBe('2017-06-01');
    expect(d.quality.problems).toEqual([]);
    expect(d.quality.notes).toContain('dates: yyyy-mm-dd');
    expect(d.quality.notes).toContain("1 episodes repeated in a later collection year: the latest year's row kept");
  });

  it('reads a multi-year stack given as one file per collection year, named by year', () => {
    const d = ok(
      ingest({
        'header_2016-17.csv': header('1'),
        'header_2017-18.csv': header('1'),
        'episodes_2016-17.csv': episodes(['1', '01/05/2016', 'S', 'C2', 'U4', 'PR1', '', '']),
        'episodes_2017-18.csv': episodes(
          ['1', '01/05/2016', 'S', 'C2', 'U4', 'PR1', '01/07/2017', 'X1'],
          ['1', '01/07/2017', 'P', 'C2', 'K2', 'PR4', '', ''],
        ),
      }),
    );
    expect(d.period).toMatchObject({ start: '2016-04-01', end: '2018-03-31' });
    expect(d.children[0]!.episodes.map((e) => [e.start, e.end, e.category])).toEqual([
      ['2016-05-01', '2017-07-01', 'inHouseFoster'],
      ['2017-07-01', null, 'residential'],
    ]);
    expect(d.estimate.tables.totals.moves).toBe(1);
    expect(d.quality.problems).toEqual([]);
  });
});

describe('SSDA903 error classes and their messages', () => {
  const goodEpisodes = episodes(['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', '']);

  it('missing column', () => {
    const out = ingest({ 'header.csv': 'CHILD,SEX,ETHNIC,UPN\n1,1,WBRI,\n', 'episodes.csv': goodEpisodes }, 'lenient');
    expect(out.ok).toBe(false);
    expect(problems(out)).toContainEqual({
      file: 'header.csv',
      row: 1,
      column: 'DOB',
      code: 'missing-column',
      message: 'missing column DOB in the Header table',
      action: 'none',
      severity: 'error',
    });
  });

  it('bad date', () => {
    const out = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '31/02/2017', 'S', 'C2', 'U4', 'PR1', '', '']),
    });
    expect(out.ok).toBe(false);
    expect(problems(out)).toContainEqual({
      file: 'episodes.csv',
      row: 2,
      column: 'DECOM',
      code: 'bad-date',
      message: 'not a real date (no such day in that month, or no such month)',
      action: 'dropped',
      severity: 'error',
    });
    const notDate = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', 'n/k', 'S', 'C2', 'U4', 'PR1', '', '']),
    });
    expect(problems(notDate)[0]).toMatchObject({
      column: 'DECOM',
      code: 'bad-date',
      message: 'not a date (expected dd/mm/yyyy, dd/mm/yy, dd-mmm-yy (01-Apr-18), yyyy-mm-dd or an Excel date number)',
    });
  });

  it('two-digit years are placed by the year of ingest the caller passes, and the notes say the window', () => {
    // ingested in 2036: 01/05/30 is 2030, not 1930 (which would be before the child's birth in 2022)
    const files = [
      { name: 'header.csv', text: `${HEADER_COLS}\n1,1,15/06/22,WBRI,,,` },
      { name: 'episodes.csv', text: `${EPISODE_COLS}\n1,01/05/30,S,C2,N1,U4,PR1,01/09/30,E11,,,,` },
    ];
    const d = ok(
      ingestSsda903(files, {
        salt: 's',
        referenceYear: 2036,
        refuse: { maxDroppedShare: 1, withoutFlows: false },
      }),
    );
    expect(d.quality.errors).toBe(0);
    expect(d.children.map((c) => [c.birthMonth, c.episodes.map((e) => [e.start, e.end])])).toEqual([
      ['2022-06', [['2030-05-01', '2030-09-01']]],
    ]);
    expect(d.quality.notes).toContain(
      'dates: dd/mm/yy (two-digit years read in 1947–2046, the hundred years up to ten after the year of ingest 2036)',
    );
  });

  it('a bad DOB is reported without echoing it', () => {
    const out = ingest({ 'header.csv': `${HEADER_COLS}\n1,1,99/99/2005,WBRI,,,`, 'episodes.csv': goodEpisodes });
    expect(problems(out)[0]).toMatchObject({
      column: 'DOB',
      code: 'bad-date',
      message: 'not a real date (no such day in that month, or no such month)',
    });
  });

  it('unknown code', () => {
    const out = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '01/05/2017', 'S', 'C2', 'X9', 'PR1', '', '']),
    });
    expect(problems(out)).toContainEqual({
      file: 'episodes.csv',
      row: 2,
      column: 'PLACE',
      code: 'unknown-code',
      message: 'not a code of the PLACE list (the value is not shown: it is not a 903 code)',
      action: 'dropped',
      severity: 'error',
    });
  });

  it('code retired that year (and a code not valid yet)', () => {
    const retired = ingest({
      'header.csv': header('1'),
      'episodes.csv': [`YEAR,${EPISODE_COLS}`, '2026,1,01/05/2025,S,C2,N1,Z1,PR3,,,,,,'].join('\n'),
    });
    expect(problems(retired)).toContainEqual({
      file: 'episodes.csv',
      row: 2,
      column: 'PLACE',
      code: 'invalid-code-for-year',
      message: "code 'Z1' is not valid in collection year 2025/26 (retired after 2024/25)",
      action: 'dropped',
      severity: 'error',
    });
    const early = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '01/05/2017', 'S', 'C2', 'K3', 'PR4', '', '']),
    });
    expect(problems(early)[0]).toMatchObject({
      code: 'invalid-code-for-year',
      message: "code 'K3' is not valid in collection year 2017/18 (valid from 2024/25)",
    });
    const q2 = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '01/05/2014', 'S', 'C2', 'Q2', 'PR1', '01/06/2014', 'E4A']),
    });
    expect(q2.ok).toBe(true); // Q2 was still valid in 2014/15
  });

  it('DEC before DECOM', () => {
    const out = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '01/04/2017', 'E4A']),
    });
    expect(problems(out)).toContainEqual({
      file: 'episodes.csv',
      row: 2,
      column: 'DEC',
      code: 'end-before-start',
      message: 'DEC is before DECOM',
      action: 'dropped',
      severity: 'error',
    });
  });

  it('child with no header row', () => {
    const out = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(
        ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
        ['2', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
      ),
    });
    expect(out.ok).toBe(false);
    expect(problems(out)).toContainEqual({
      file: 'episodes.csv',
      row: 3,
      column: 'CHILD',
      code: 'no-header',
      message: 'child has 1 episode but no header row: dropped',
      action: 'dropped',
      severity: 'error',
    });
  });

  it('empty file', () => {
    const out = ingest({ 'header.csv': '', 'episodes.csv': goodEpisodes }, 'lenient');
    expect(out.ok).toBe(false);
    expect(problems(out)).toContainEqual({
      file: 'header.csv',
      row: null,
      column: null,
      code: 'empty-file',
      message: 'the file is empty (it should hold the Header table)',
      action: 'none',
      severity: 'error',
    });
  });

  it('an empty UASC file is ignored with a warning that says what it costs', () => {
    const d = ok(ingest({ 'header.csv': header('1'), 'episodes.csv': goodEpisodes, 'uasc.csv': '' }, 'lenient'));
    expect(d.quality.problems).toContainEqual({
      file: 'uasc.csv',
      row: null,
      column: null,
      code: 'empty-file-ignored',
      message: 'ignored empty file uasc.csv: the file is empty, so no child is treated as UASC',
      action: 'none',
      severity: 'warning',
    });
  });

  it('wrong encoding; a UTF-8 byte-order mark is removed with a note', () => {
    const utf16 = Buffer.from(`\uFEFF${header('1')}`, 'utf16le').toString('utf8');
    const bad = ingest({ 'header.csv': utf16, 'episodes.csv': goodEpisodes }, 'lenient');
    expect(bad.ok).toBe(false);
    expect(problems(bad)).toContainEqual({
      file: 'header.csv',
      row: null,
      column: null,
      code: 'encoding',
      message: 'not UTF-8 text: save the file as "CSV UTF-8" and upload it again',
      action: 'none',
      severity: 'error',
    });
    // text decoded wrongly before it reached us: an error naming the column when it is one we read
    const latin1Row = ingest(
      { 'header.csv': header('1'), 'episodes.csv': `${goodEpisodes}\n1,01/06/2017,P,C2,N1,U\uFFFD,PR1,,,,,,` },
      'lenient',
    );
    expect(problems(latin1Row)[0]).toMatchObject({
      row: 3,
      column: 'PLACE',
      code: 'unreadable-text',
      action: 'dropped',
    });
    const bom = ok(ingest({ 'header.csv': `\uFEFF${header('1')}`, 'episodes.csv': goodEpisodes }));
    expect(bom.quality.notes).toContain('header.csv: UTF-8 byte-order mark removed');
    expect(bom.counts.children).toBe(1);
  });

  it('a 903 table we do not use is ignored with a note', () => {
    const d = ok(
      ingest({
        'header.csv': header('1'),
        'episodes.csv': goodEpisodes,
        'reviews.csv': 'CHILD,DOB,REVIEW,REVIEW_CODE\n1,15/06/2005,01/06/2017,PN1\n',
      }),
    );
    expect(d.quality.notes).toContain('ignored table Reviews (reviews.csv)');
    expect(d.quality.problems).toEqual([
      {
        file: 'reviews.csv',
        row: null,
        column: null,
        code: 'ignored-table',
        message: 'ignored table Reviews (reviews.csv): the forecast needs only Header, Episodes and UASC',
        action: 'none',
        severity: 'warning',
      },
    ]);
  });

  it('a file that is no 903 table at all, and a missing Episodes table', () => {
    const out = ingest({ 'header.csv': header('1'), 'notes.csv': 'NAME,VALUE\na,b\n' });
    expect(problems(out)).toEqual([
      {
        file: 'notes.csv',
        row: 1,
        column: null,
        code: 'unknown-table',
        message:
          'the file notes.csv holds none of the 903 column names (its first row has 2 columns, none of them a 903 column name). If it is no part of the return (a contacts list, notes), leave it out and upload again; if it is a 903 table whose header line is missing, add the header line (export with column names) and upload again',
        action: 'none',
        severity: 'error',
      },
      {
        file: '(all files)',
        row: null,
        column: null,
        code: 'missing-table',
        message: 'no Episodes table among the files',
        action: 'none',
        severity: 'error',
      },
    ]);
  });

  it('dates outside the data period or before the birth month', () => {
    const stacked = [
      `YEAR,${EPISODE_COLS}`,
      '2018,1,01/05/2017,S,C2,N1,U4,PR1,,,,,,',
      '2018,1,01/05/2018,P,C2,N1,K2,PR4,,,,,,',
    ].join('\n');
    expect(problems(ingest({ 'header.csv': header('1'), 'episodes.csv': stacked }))).toContainEqual({
      file: 'episodes.csv',
      row: 3,
      column: 'DECOM',
      code: 'after-data-end',
      message: 'DECOM is after the data end date 2018-03-31',
      action: 'dropped',
      severity: 'warning',
    });
    const early = ingest({
      'header.csv': header('1'),
      'episodes.csv': episodes(['1', '01/05/2004', 'S', 'C2', 'U4', 'PR1', '01/06/2017', 'E4A']),
    });
    expect(problems(early)[0]).toMatchObject({
      column: 'DECOM',
      code: 'before-birth',
      message: "DECOM is before the child's birth month",
    });
  });

  it('reports, without forcing, a Header table that lists children with no episodes', () => {
    const d = ok(ingest({ 'header.csv': header('1', '2', '3'), 'episodes.csv': goodEpisodes }));
    expect(d.counts.children).toBe(1);
    expect(d.quality.notes).toContain('2 children in the Header table have no valid episode (not counted)');
  });

  it('strict mode keeps nothing when there is an error; lenient keeps the valid rows; warnings never block', () => {
    const files = {
      'header.csv': header('1', '2'),
      'episodes.csv': episodes(
        ['1', '01/05/2017', 'S', 'C2', 'U4', 'PR1', '', ''],
        ['1', '01/05/2017', 'S', 'C2', 'U5', 'PR1', '', ''],
        ['2', '01/05/2017', 'S', 'C2', 'ZZ', 'PR1', '', ''],
      ),
    };
    const strict = ingest(files);
    expect(strict.ok).toBe(false);
    if (!strict.ok)
      expect(strict.report).toMatchObject({
        errors: 1,
        warnings: 1,
        counts: { 'unknown-code': 1, 'duplicate-episode': 1 },
      });
    const lenient = ok(ingest(files, 'lenient'));
    expect(lenient.counts.children).toBe(1);
    expect(
      ok(
        ingest({ 'header.csv': header('1'), 'episodes.csv': files['episodes.csv'].split('\n').slice(0, 3).join('\n') }),
      ).quality.warnings,
    ).toBe(1);
  });
});

describe('messages quote no date from the data (a start of care at birth is the date of birth)', () => {
  it('a reversed DEC, an overlap and a stale open row of a child who entered care the day they were born', () => {
    const born = '15/06/2005';
    const out = ingest(
      {
        'header.csv': header('1', '2', '3'),
        'episodes.csv': episodes(
          // entered care at birth, DEC before DECOM
          ['1', born, 'S', 'C2', 'U4', 'PR1', '01/04/2005', 'E4A'],
          // entered care at birth, the episode overlaps the next
          ['2', born, 'S', 'C2', 'U4', 'PR1', '20/06/2017', 'X1'],
          ['2', '10/06/2017', 'P', 'C2', 'K2', 'PR4', '', ''],
          // entered care at birth and left open, with a later episode
          ['3', born, 'S', 'C2', 'U4', 'PR1', '', ''],
          ['3', '01/07/2010', 'P', 'C2', 'K2', 'PR4', '', ''],
        ),
      },
      'lenient',
    );
    const codes = problems(out).map((p) => p.code);
    expect(codes).toEqual(expect.arrayContaining(['end-before-start', 'overlap', 'stale-open-episode']));
    const text = JSON.stringify(problems(out));
    for (const date of ['2005-06-15', born, '2005-04-01', '2017-06-10', '10/06/2017', '2010-07-01', '01/07/2010'])
      expect(text).not.toContain(date);
    // the rows are named instead, so the officer can find them
    expect(problems(out).find((p) => p.code === 'overlap')?.message).toBe(
      'episode overlaps the next one (row 4): end set to the next start',
    );
    expect(problems(out).find((p) => p.code === 'stale-open-episode')?.message).toBe(
      'episode left open although the child has a later episode (row 6): closed at its start',
    );
  });
});

describe('one child repeated tens of thousands of times (a 2 MB upload)', () => {
  // Grouping the rows by DECOM and by DEC copied each group on every row: 40,000 rows of one child and one DECOM took
  // minutes of one thread (the API's, for an upload); linear now. The result is asserted, not the time.
  it('is cleaned: every repeat but one reported, the upload answered', () => {
    const n = 40_000;
    const rows = Array.from({ length: n }, (_, i) => [
      '1',
      '01/05/2017',
      'S',
      'C2',
      'U4',
      'PR1',
      i % 2 ? '' : '01/06/2017',
      'E4A',
    ]);
    const out = ingest({ 'header.csv': header('1'), 'episodes.csv': episodes(...rows) }, 'lenient');
    const d = ok(out);
    expect(d.counts.episodes).toBe(1);
    // the repeats of the kept closed row are the same news (not problems); the open rows are older news of it
    expect(d.counts.rowsRead).toBe(n + 1);
  });
});
