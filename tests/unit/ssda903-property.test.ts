/**
 * Property tests: whatever the CSV, ingest never throws, and any dataset it yields has no episode that ends before it
 * starts and no two episodes of one child that overlap.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ingestSsda903, type IngestOutcome } from '#models/ingest/pipeline';

const EPISODE_COLS = 'CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,REASON_PLACE_CHANGE,HOME_POST,PL_POST,URN';

let datasets = 0;
function assertSound(out: IngestOutcome): void {
  if (out.ok) datasets++;
  if (!out.ok) {
    expect(out.report.errors).toBeGreaterThan(0);
    return;
  }
  for (const child of out.dataset.children) {
    const eps = [...child.episodes].sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
    for (const [i, e] of eps.entries()) {
      if (e.end !== null) expect(e.end >= e.start).toBe(true);
      const next = eps[i + 1];
      if (next) {
        // the next episode may start on the day this one ends, never before
        expect(e.end).not.toBeNull();
        expect((e.end as string) <= next.start).toBe(true);
      }
    }
  }
  const stock = out.dataset.stock;
  expect(Object.values(stock.byCategory).reduce((a, b) => a + b, 0)).toBe(stock.total);
}

const isoDate = fc
  .date({ min: new Date('2015-01-01'), max: new Date('2018-03-31'), noInvalidDate: true })
  .map((d) => d.toISOString().slice(0, 10));
const dateText = fc.oneof(
  { weight: 4, arbitrary: isoDate },
  { weight: 4, arbitrary: isoDate.map((iso) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`) },
  {
    weight: 2,
    arbitrary: fc.constantFrom('', '31/02/2017', '2017-13-01', 'yesterday', '00/00/0000', '1/1/17', '2019-01-01'),
  },
);
const dob = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('01/01/2003', '2008-06-30', '15/11/2012') },
  { weight: 1, arbitrary: dateText },
);
const code = (valid: string[], invalid: string[]) =>
  fc.oneof(
    { weight: 12, arbitrary: fc.constantFrom(...valid) },
    { weight: 1, arbitrary: fc.constantFrom(...invalid, '') },
  );
const fmt = (d: Date, dmy: boolean): string => {
  const iso = d.toISOString().slice(0, 10);
  return dmy ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;
};
/** DECOM mostly valid; DEC mostly open or some days after DECOM (sometimes before it: an error to report). */
const episodeDates = fc
  .tuple(
    fc.date({ min: new Date('2015-01-01'), max: new Date('2018-03-31'), noInvalidDate: true }),
    fc.boolean(),
    fc.option(fc.integer({ min: -20, max: 700 }), { freq: 3 }),
    fc.option(dateText, { freq: 8 }),
  )
  .map(([start, dmy, offset, garbage]) => {
    const end =
      offset === null
        ? ''
        : fmt(new Date(Math.min(start.getTime() + offset * 86400000, Date.parse('2018-03-31'))), dmy);
    return garbage !== null && garbage.length % 2 === 0 ? [garbage, end] : [fmt(start, dmy), end];
  });
const episodeRow = fc
  .tuple(
    fc.constantFrom('1', '2', '3', '', '4'),
    episodeDates,
    code(['S', 'P', 'L', 'T', 'B', 'U'], ['Q', 's ']),
    code(['C1', 'C2', 'V2', 'V3', 'E1'], ['V9']),
    code(['U1', 'U4', 'U6', 'K2', 'H5', 'P1', 'A4', 'Q2', 'Z1', 'K3'], ['X9', 'u4']),
    code(['PR0', 'PR1', 'PR4'], ['PR9']),
    code(['X1', 'E4A', 'E11', 'E45', 'E17'], ['E99']),
  )
  .map(([c, [decom, dec], rne, ls, place, prov, rec]) => [c, decom, rne, ls, place, prov, dec, rec] as const);
const csvCell = fc.oneof(
  fc.string({ maxLength: 6 }),
  fc.constantFrom('"', '""', '"a,b"', '\n', '\r\n', ',', '\uFEFF', '\uFFFD', '\u0000'),
);

describe('ingest never throws and never yields overlapping or reversed episodes', () => {
  it('on structured rows with bad dates, codes and blanks, in both modes', () => {
    fc.assert(
      fc.property(
        fc.array(episodeRow, { maxLength: 14 }),
        fc.array(fc.tuple(fc.constantFrom('1', '2', '3', ''), dob), { minLength: 1, maxLength: 4 }),
        fc.boolean(),
        (rows, headers, lenient) => {
          const episodes = [
            EPISODE_COLS,
            ...rows.map(
              ([c, decom, rne, ls, place, prov, dec, rec]) =>
                `${c},${decom},${rne},${ls},N1,${place},${prov},${dec},${rec},,,,`,
            ),
          ].join('\n');
          const header = [
            'CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB',
            ...headers.map(([c, dob]) => `${c},1,${dob},WBRI,,,`),
          ].join('\n');
          const out = ingestSsda903(
            [
              { name: 'header.csv', text: header },
              { name: 'episodes.csv', text: episodes },
            ],
            // the refusals of thin data are tested apart: here every dataset that survives cleaning is checked
            {
              salt: 's',
              referenceYear: 2026,
              mode: lenient ? 'lenient' : 'strict',
              refuse: { maxDroppedShare: 1, withoutFlows: false },
            },
          );
          assertSound(out);
        },
      ),
      { numRuns: 400, seed: 903 },
    );
    // the property must have been tested on real datasets, not only on rejections
    expect(datasets).toBeGreaterThan(40);
  });

  it('on arbitrary malformed CSV text (quotes, line breaks, BOMs, NULs, ragged rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(csvCell, { maxLength: 14 }), { maxLength: 8 }),
        fc.string({ maxLength: 200 }),
        fc.boolean(),
        (cells, junk, useHeader) => {
          const body = cells.map((r) => r.join(',')).join('\n');
          const episodes = useHeader ? `${EPISODE_COLS}\n${body}` : body + junk;
          const out = ingestSsda903(
            [
              { name: 'header.csv', text: `CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n1,1,01/01/2010,,,,\n${junk}` },
              { name: 'episodes.csv', text: episodes },
            ],
            { salt: 's', referenceYear: 2026, mode: 'lenient' },
          );
          assertSound(out);
        },
      ),
      { numRuns: 400, seed: 18 },
    );
  });
});
