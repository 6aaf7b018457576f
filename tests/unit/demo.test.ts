/**
 * The demo data: reproducible from its seed (the committed files are what the generator writes), Peterborough-sized,
 * and a round trip demo data → dataset → scenario → forecast whose initial stock is the 903 stock at the data end.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CATEGORIES, categoryOf903, type Category } from '#models/placement';
import { DEMO_SEED, generateDemo } from '../../bin/demo/synthetic.js';
import { Rng } from '#models/random';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { scenarioFromDataset } from '#models/council-resolve';
import { parseScenario } from '#models/scenario';
import { simulate } from '#models/engine';
import { loadDataDirectory } from '../../bin/data-dir.js';

const demo = generateDemo(new Rng(DEMO_SEED));
const files = [
  { name: 'header.csv', text: demo.header },
  { name: 'episodes.csv', text: demo.episodes },
  { name: 'uasc.csv', text: demo.uasc },
];

describe('demo data', () => {
  it('the committed data/demo files are exactly what the generator writes for the demo seed', () => {
    expect(readFileSync('data/demo/header.csv', 'utf8')).toBe(demo.header);
    expect(readFileSync('data/demo/episodes.csv', 'utf8')).toBe(demo.episodes);
    expect(readFileSync('data/demo/uasc.csv', 'utf8')).toBe(demo.uasc);
    const known = JSON.parse(readFileSync('data/demo/known-parameters.json', 'utf8')) as {
      seed: number;
      byCollectionYear: unknown;
    };
    expect(known.seed).toBe(DEMO_SEED);
    expect(known.byCollectionYear).toEqual(demo.known.byCollectionYear);
  });

  it('is Peterborough-sized: 330–400 in care at each 31 March, 170–210 non-UASC starts a year, UASC arrivals peaking in 2016/17', () => {
    const out = ingestSsda903(files, { salt: 's', referenceYear: 2026, mode: 'lenient' });
    if (!out.ok) throw new Error('demo data did not load');
    for (const [year, stock] of Object.entries(demo.truth)) {
      const total = CATEGORIES.reduce((n, c) => n + stock[c], 0);
      expect(total, year).toBeGreaterThanOrEqual(330);
      expect(total, year).toBeLessThanOrEqual(400);
    }
    // non-UASC starts per collection year: RNE S rows (not respite) of children not in the UASC table, once each
    const uascChildren = new Set(
      demo.uasc
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[1]),
    );
    const starts = new Map<number, Set<string>>();
    for (const line of demo.episodes.trim().split('\n').slice(1)) {
      const [, child, decom, rne, ls] = line.split(',') as string[];
      if (rne !== 'S' || ls === 'V3' || uascChildren.has(child)) continue;
      const [m, y] = [Number(decom!.slice(3, 5)), Number(decom!.slice(6))];
      const fy = m >= 4 ? y : y - 1;
      starts.set(fy, (starts.get(fy) ?? new Set()).add(`${child}|${decom}`));
    }
    for (let fy = 2013; fy <= 2017; fy++) {
      expect(starts.get(fy)?.size, String(fy)).toBeGreaterThanOrEqual(170);
      expect(starts.get(fy)?.size, String(fy)).toBeLessThanOrEqual(210);
    }
    const uascArrivals = demo.known.uascArrivalsPerMonth;
    expect(Math.max(...Object.values(uascArrivals))).toBe(uascArrivals['2016/17']);
  });

  it('has the mess real returns have: strict mode reports the retired code, lenient repairs the rest', () => {
    const strict = ingestSsda903(files, { salt: 's', referenceYear: 2026 });
    expect(strict.ok).toBe(false);
    if (strict.ok) return;
    expect(strict.report.counts).toEqual({ 'invalid-code-for-year': 1, overlap: 3, 'stale-open-episode': 2 });
    // the three duplicate rows are the same row twice: counted in a note, not a problem each
    expect(strict.report.notes).toContain(
      '3 episode rows repeated within the data (the same rows twice, or an open row of an episode closed in a later row): the closed or later row kept',
    );
    expect(strict.report.problems.find((p) => p.severity === 'error')?.message).toBe(
      "code 'Q2' is not valid in collection year 2015/16 (retired after 2014/15)",
    );
  });
});

describe('round trip: demo data → estimate → forecast', () => {
  it('the initial stock equals the 903 stock at the data end date, and the forecast runs from it', async () => {
    const out = await loadDataDirectory('data/demo', { salt: 's', referenceYear: 2026, mode: 'lenient' });
    if (!out.ok) throw new Error('demo data did not load');
    const d = out.dataset;
    expect(d.period).toMatchObject({ start: '2013-04-01', end: '2018-03-31' });

    // The 903 stock at 31 March 2018, read straight from the last year's rows: open, not respite, one per child
    // (the latest DECOM wins, as a child's later episode supersedes one left open).
    const latest = new Map<string, { decom: string; category: Category }>();
    for (const line of readFileSync('data/demo/episodes.csv', 'utf8').trim().split('\n').slice(1)) {
      const [year, child, decom, , ls, , place, provider, dec] = line.split(',') as string[];
      if (year !== '2018' || dec !== '' || ls === 'V3' || ls === 'V4') continue;
      const iso = `${decom!.slice(6)}-${decom!.slice(3, 5)}-${decom!.slice(0, 2)}`;
      const prev = latest.get(child!);
      if (!prev || iso > prev.decom)
        latest.set(child!, { decom: iso, category: categoryOf903(place!, provider) ?? 'other' });
    }
    const expected = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    for (const v of latest.values()) expected[v.category]++;
    expect(d.stock.byCategory).toEqual(expected);
    expect(d.stock.total).toBe(latest.size);
    expect(d.stock.byCategory).toEqual(demo.truth['2017/18']);
    const initialByCategory = Object.fromEntries(
      CATEGORIES.map((c) => [c, d.initial.filter((x) => x.category === c).length]),
    );
    expect(initialByCategory).toEqual(expected);
    expect(d.initial.filter((x) => x.uasc).length).toBe(d.stock.uasc);

    const scenario = parseScenario(scenarioFromDataset(d, { runs: 200, horizonMonths: 24, seed: 7 }));
    if (!scenario.ok) throw new Error(JSON.stringify(scenario.issues));
    expect(scenario.value.start).toBe('2018-04');
    expect(scenario.value.initial.reduce((n, c) => n + c.count, 0)).toBe(d.stock.total);
    expect(scenario.value.uasc?.initial).toBe(d.stock.uasc);
    const result = simulate(scenario.value);
    expect(result.months).toHaveLength(24);
    // One month on, the mean stock is near the starting stock (entries and exits roughly balance in the demo).
    expect(Math.abs(result.population.total.mean[0]! - d.stock.total)).toBeLessThan(0.1 * d.stock.total);
  });
});
