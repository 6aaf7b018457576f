/** JSON placement records: read into the same cleaning and estimation as the 903 tables. */
import { describe, expect, it } from 'vitest';
import { ingestRecords } from '#models/ingest/records';

interface EpisodeIn {
  start: string;
  end?: string;
  placement: string;
  provider?: string;
  legalStatus?: string;
  reasonNew?: string;
  reasonEnded?: string;
}
const base = (): {
  dataEnd: string;
  children: Array<{
    childId: string | number;
    birthMonth: string;
    sex?: string;
    uasc?: { until: string };
    episodes: EpisodeIn[];
  }>;
} => ({
  dataEnd: '2018-03-31',
  children: [
    {
      childId: 'REC-SECRET-1',
      birthMonth: '2008-02',
      sex: 'F',
      episodes: [
        {
          start: '2017-01-05',
          end: '2017-06-01',
          placement: 'U4',
          provider: 'PR1',
          legalStatus: 'C2',
          reasonNew: 'S',
          reasonEnded: 'X1',
        },
        { start: '2017-06-01', placement: 'residential', reasonNew: 'P' },
      ],
    },
    {
      childId: 42,
      birthMonth: '2001-09',
      uasc: { until: '2019-09-10' },
      episodes: [{ start: '2017-10-02', placement: 'supported' }],
    },
  ],
});

describe('ingestRecords', () => {
  it('reads 903 codes and category ids, UASC status, and open episodes open at dataEnd', () => {
    const out = ingestRecords(base(), { salt: 's', referenceYear: 2026, refuse: { withoutFlows: false } });
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems));
    const d = out.dataset;
    expect(d.format).toBe('records');
    expect(d.period).toEqual({ start: '2017-01-05', end: '2018-03-31' });
    expect(d.stock.byCategory.residential).toBe(1);
    expect(d.stock.byCategory.supported).toBe(1);
    expect(d.stock.uasc).toBe(1);
    expect(d.initial).toEqual([
      { ageMonths: 121, category: 'residential', uasc: false, monthsInPlacement: 9 },
      { ageMonths: 198, category: 'supported', uasc: true, monthsInPlacement: 5 },
    ]);
    expect(JSON.stringify(d)).not.toContain('REC-SECRET-1');
    // the UASC child's arrival is left to the UASC rules; the other child's entry counts
    expect(d.estimate.tables.uascEntries).toBe(1);
  });

  it('reports problems by child position and field path, never by id', () => {
    const input = base();
    input.children[0]!.episodes[1]!.start = '2017-13-01';
    (input.children[1] as { birthMonth: string }).birthMonth = '2001';
    const out = ingestRecords(input, { salt: 's', referenceYear: 2026 });
    expect(out.ok).toBe(false);
    if (out.ok) return;
    expect(out.report.problems).toEqual([
      {
        file: 'records',
        row: 1,
        column: 'children[0].episodes[1].start',
        code: 'bad-date',
        message: 'not a date (expected yyyy-mm-dd)',
        action: 'dropped',
        severity: 'error',
      },
      {
        file: 'records',
        row: 2,
        column: 'children[1].birthMonth',
        code: 'missing-value',
        message: 'missing or bad birthMonth (expected "YYYY-MM"): the child is dropped',
        action: 'dropped',
        severity: 'error',
      },
    ]);
    // lenient keeps the valid rows, but two of three episodes dropped is not a history to forecast from
    const lenient = ingestRecords(input, { salt: 's', referenceYear: 2026, mode: 'lenient' });
    expect(!lenient.ok && lenient.report.refusal?.code).toBe('too-many-dropped');
    const thin = ingestRecords(input, {
      salt: 's',
      referenceYear: 2026,
      mode: 'lenient',
      refuse: { maxDroppedShare: 1, withoutFlows: false },
    });
    expect(thin.ok && thin.dataset.counts.children).toBe(1);
  });

  it('rejects input that is not a records object, and an end before a start', () => {
    const bad = ingestRecords([1, 2], { salt: 's', referenceYear: 2026 });
    expect(!bad.ok && bad.report.problems[0]!.message).toBe('expected an object with a "children" list');
    const input = base();
    input.children[0]!.episodes[0]!.end = '2016-01-01';
    const out = ingestRecords(input, { salt: 's', referenceYear: 2026 });
    expect(!out.ok && out.report.problems[0]).toMatchObject({
      code: 'end-before-start',
      message: 'end is before start',
    });
  });
});
