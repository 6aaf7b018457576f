/**
 * Estimation in the engine's monthly chain: a hand-worked history, and recovery of known parameters from data
 * simulated with them.
 */
import { describe, expect, it } from 'vitest';
import { AGE_BANDS, CATEGORIES } from '#models/placement';
import { estimateFromChildren } from '#models/estimate';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { demoParameters, generateDemo } from '../../bin/demo/synthetic.js';
import { Rng } from '#models/random';
import type { CleanChild } from '#models/dataset';

const child = (
  birthMonth: string,
  episodes: Array<[string, string | null, CleanChild['episodes'][number]['category'], string | null]>,
  uascUntil?: string,
): CleanChild => ({
  key: 'k',
  birthMonth,
  ...(uascUntil ? { uascUntil } : {}),
  episodes: episodes.map(([start, end, category, rec]) => ({
    start,
    end,
    category,
    place: '',
    legalStatus: 'C2',
    reasonEnded: rec,
  })),
});

describe('estimateFromChildren (hand-worked)', () => {
  it('counts child-months at the start of each month, moves and exits at the month end, entries by month-end presence', () => {
    // Born 2010-05: at the start of every month of 2017 the child is 79–90 months old (band 5-9).
    const a = child('2010-05', [
      ['2017-01-10', '2017-03-15', 'inHouseFoster', 'X1'], // enters in January (in care at the end of January)
      ['2017-03-15', '2017-06-20', 'residential', 'E4A'], // a move in March, home in June
    ]);
    const r = estimateFromChildren([a], '2017-01', '2017-12');
    const ev = r.parameters.evidence!;
    // start of Feb and Mar in in-house (2 months), start of Apr, May, Jun in residential (3 months)
    expect(ev.exposureMonths).toEqual({ '5-9': { inHouseFoster: 2, residential: 3 } });
    expect(ev.moves).toEqual({ '5-9': { inHouseFoster: { residential: 1 } } });
    expect(ev.exits).toEqual({ '5-9': { inHouseFoster: 0, residential: 1 } });
    expect(ev.entries).toEqual({ '5-9': { inHouseFoster: 1 } });
    expect(ev.entryMonths).toBe(12);
    expect(r.parameters.exitProbability['5-9']).toEqual({ inHouseFoster: 0, residential: 1 / 3 });
    expect(r.parameters.moveProbability['5-9']?.inHouseFoster?.residential).toBe(1 / 2);
    expect(r.parameters.entriesPerMonth['5-9']?.inHouseFoster).toBe(1 / 12);
    expect(r.tables.exitsByReason['5-9'].residential.home).toBe(1);
    // bands with no exposure borrow the category's exit rate over all ages (exits only, never moves)
    expect(r.parameters.exitProbability['10-15']).toEqual({ inHouseFoster: 0, residential: 1 / 3 });
    expect(r.parameters.moveProbability['10-15']).toBeUndefined();
    expect(r.tables.borrowedExitRates).toEqual([
      '0 inHouseFoster',
      '1-4 inHouseFoster',
      '10-15 inHouseFoster',
      '16-17 inHouseFoster',
      '0 residential',
      '1-4 residential',
      '10-15 residential',
      '16-17 residential',
    ]);
    expect(r.parameters.evidence!.exposureMonths['10-15']).toBeUndefined();
  });

  it("leaves the 18th-birthday month to the engine's own rule and UASC arrivals to the UASC rules", () => {
    const leaver = child('2000-06', [['2017-01-01', '2018-06-15', 'supported', 'E17']]);
    const uasc = child('2001-03', [['2017-05-03', null, 'agencyFoster', null]], '2019-03-10');
    const r = estimateFromChildren([leaver, uasc], '2018-01', '2018-06');
    // the leaver is 215 months old at the start of June 2018: that month adds no exposure and its exit is '18'
    expect(r.parameters.evidence!.exposureMonths['16-17']).toEqual({ supported: 5, agencyFoster: 6 });
    expect(r.parameters.exitProbability['16-17']?.supported).toBe(0);
    expect(r.tables.exitsByReason['16-17'].supported['18']).toBe(1);
    const entry = estimateFromChildren([uasc], '2017-05', '2017-05');
    expect(entry.tables.uascEntries).toBe(1);
    expect(entry.parameters.entriesPerMonth).toEqual({});
  });
});

describe('recovery of known parameters', () => {
  it('every rate with enough exposure is within 3 standard errors of the truth', () => {
    // Constant parameters, a council three times Peterborough's size, five collection years, a 60-month window.
    const demo = generateDemo(new Rng(2024), { drift: false, mess: false, entryMultiplier: 3 });
    const out = ingestSsda903(
      [
        { name: 'header.csv', text: demo.header },
        { name: 'episodes.csv', text: demo.episodes },
        { name: 'uasc.csv', text: demo.uasc },
      ],
      { salt: 's', referenceYear: 2026, windowMonths: 60 },
    );
    if (!out.ok) throw new Error(JSON.stringify(out.report.problems.slice(0, 3)));
    const est = out.dataset.estimate;
    expect(est.window).toEqual({ from: '2013-04', to: '2018-03', months: 60 });
    const truth = demoParameters(2016, false, 3);
    const ev = est.parameters.evidence!;
    const months = est.window.months;
    const checked = { exits: 0, moves: 0, entries: 0 };
    const failures: string[] = [];
    // "Enough exposure": at least 10 expected events, where the normal approximation to the binomial/Poisson count holds.
    for (const b of AGE_BANDS) {
      for (const c of CATEGORIES) {
        const n = ev.exposureMonths[b]?.[c] ?? 0;
        const p = truth.exitProbability[b]?.[c] ?? 0;
        if (n * p >= 10) {
          checked.exits++;
          const se = Math.sqrt((p * (1 - p)) / n); // binomial SE of events ÷ exposure
          const got = est.parameters.exitProbability[b]?.[c] ?? 0;
          if (Math.abs(got - p) > 3 * se) failures.push(`exit ${b} ${c}: ${got} vs ${p} (SE ${se})`);
        }
        for (const j of CATEGORIES) {
          const q = truth.moveProbability[b]?.[c]?.[j] ?? 0;
          if (n * q < 10) continue;
          checked.moves++;
          const se = Math.sqrt((q * (1 - q)) / n);
          const got = est.parameters.moveProbability[b]?.[c]?.[j] ?? 0;
          if (Math.abs(got - q) > 3 * se) failures.push(`move ${b} ${c}→${j}: ${got} vs ${q} (SE ${se})`);
        }
        const lambda = truth.entriesPerMonth[b]?.[c] ?? 0;
        if (lambda * months >= 10) {
          checked.entries++;
          const se = Math.sqrt(lambda / months); // Poisson SE of a count ÷ months
          const got = est.parameters.entriesPerMonth[b]?.[c] ?? 0;
          if (Math.abs(got - lambda) > 3 * se) failures.push(`entries ${b} ${c}: ${got} vs ${lambda} (SE ${se})`);
        }
      }
    }
    expect(checked.exits).toBeGreaterThanOrEqual(25);
    expect(checked.moves).toBeGreaterThanOrEqual(10);
    expect(checked.entries).toBeGreaterThanOrEqual(20);
    expect(failures).toEqual([]);
  });
});
