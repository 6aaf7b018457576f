/**
 * Council profiles and scenario resolution: profile validation names each impossible field; a dataset
 * resolves data → profile → overrides, and what the profile lacks is inferred from the data (households) or filled
 * from the named example and listed in the warnings; the seam rule holds; the source of every figure is recorded.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseCouncilProfile, COUNCIL_CODE_RE, type CouncilProfile } from '#models/council';
import { householdsFor, resolveScenario } from '#models/council-resolve';
import type { Dataset } from '#models/dataset';
import { ingestSsda903 } from '#models/ingest/pipeline';
import { PETERBOROUGH_PROFILE } from '#models/defaults';
import { parseRegionDefinition } from '#models/region/schema';
import { parseScenario } from '#models/scenario';

function demoDataset(): Dataset {
  const files = ['header', 'episodes', 'uasc'].map((t) => ({
    name: `${t}.csv`,
    text: readFileSync(`data/demo/${t}.csv`, 'utf8'),
  }));
  const out = ingestSsda903(files, { salt: 's', referenceYear: 2026, mode: 'lenient' });
  if (!out.ok) throw new Error('demo data did not load');
  return out.dataset;
}

const PETERBOROUGH_SCENARIO = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const profileOf = (input: unknown): CouncilProfile => {
  const p = parseCouncilProfile(input);
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
};

describe('council profile validation', () => {
  it('accepts the issue’s example and the Peterborough profile', () => {
    const p = parseCouncilProfile({
      name: 'Cambridgeshire',
      childPopulation: { base: 140000, year: 2018, annualGrowth: 0.01 },
      capacity: {
        inHouseHouseholds: 250,
        placesPerHousehold: 1.7,
        recruitmentPerYear: 20,
        householdLossPerYear: 0.1,
        stepAcrossProbability: 0.01,
        agencyAvailability: 0.9,
      },
      costs: {
        priceBase: '2018-04',
        annualInflation: 0.03,
        weekly: { inHouseFoster: 480, residential: { min: 3500, mode: 4500, max: 7000 } },
      },
      budgets: { '2018/19': 40000000 },
      stayingPut: { share: 0.5, months: 24, weekly: 300 },
      uascGrant: { rates: [{ from: '2016-07-01', dailyUnder16: 114, daily16to17: 91 }] },
      requireProfile: false,
    });
    expect(p.ok).toBe(true);
    expect(parseCouncilProfile(PETERBOROUGH_PROFILE).ok).toBe(true);
  });

  it('refuses a name that could not be printed in a report: control characters, a broken character', () => {
    // every place a person names something shares the rule (models/scenario.ts `label`)
    const refused = (name: string) => {
      const results = [
        parseCouncilProfile({ name }),
        parseRegionDefinition({ name, councils: ['E06000031'] }),
        parseScenario({ ...PETERBOROUGH_SCENARIO, name }),
      ];
      return results.map((r) => (r.ok ? 'accepted' : r.issues.find((i) => i.path === 'name')?.message));
    };
    const message = 'must not contain control characters or broken characters';
    expect(refused('Peterborough\u0000')).toEqual([message, message, message]);
    expect(refused('Peter\u0007borough')).toEqual([message, message, message]);
    expect(refused('Peterborough \ud800')).toEqual([message, message, message]);
    // letters, accents, pound signs and emoji are names like any other
    expect(refused('Peterborough — Ely £ é 😀')).toEqual(['accepted', 'accepted', 'accepted']);
  });

  it('names each impossible field', () => {
    const p = parseCouncilProfile({
      name: 'X',
      childPopulation: { base: -5, year: 2018 },
      capacity: { placesPerHousehold: 0 },
      budgets: { '2018-19': 1000 },
      stayingPut: { share: 1.5, months: 48, weekly: 300 },
    });
    expect(p.ok).toBe(false);
    if (p.ok) return;
    const paths = p.issues.map((i) => i.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'childPopulation.base',
        'capacity.placesPerHousehold',
        'budgets.2018-19',
        'stayingPut.share',
        'stayingPut.months',
      ]),
    );
    const tooMany = parseCouncilProfile({ name: 'X', capacity: { placesPerHousehold: 6.5 } });
    expect(tooMany.ok).toBe(false);
    if (!tooMany.ok) expect(tooMany.issues[0]).toMatchObject({ path: 'capacity.placesPerHousehold' });
    const unknown = parseCouncilProfile({ name: 'X', childPopulaton: {} });
    expect(unknown.ok).toBe(false);
    if (!unknown.ok) expect(unknown.issues[0]).toMatchObject({ path: 'childPopulaton', code: 'unrecognized_keys' });
  });

  it('keeps a children-in-care target, a whole number from 1 to 100,000, and leaves it out of the forecast', () => {
    const p = parseCouncilProfile({ name: 'X', targets: { childrenInCare: 330 } });
    expect(p.ok && p.value.targets).toEqual({ childrenInCare: 330 });
    const bad = (childrenInCare: unknown) => {
      const r = parseCouncilProfile({ name: 'X', targets: { childrenInCare } });
      return r.ok ? [] : r.issues.map((i) => `${i.path}: ${i.message}`);
    };
    expect(bad(0)).toEqual(['targets.childrenInCare: must be at least 1']);
    expect(bad(330.5)).toEqual(['targets.childrenInCare: must be a whole number of children']);
    expect(bad(100001)).toEqual(['targets.childrenInCare: must be at most 100,000']);
    expect(bad('330')).toEqual(['targets.childrenInCare: must be a number of children']);
    const other = parseCouncilProfile({ name: 'X', targets: { childrenInCare: 330, costs: 1 } });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.issues[0]).toMatchObject({ path: 'targets.costs', code: 'unrecognized_keys' });
  });

  it('keeps the region the council plans with, a region id, and leaves it out of the forecast', () => {
    const p = parseCouncilProfile({ name: 'X', region: 'demo-region' });
    expect(p.ok && p.value.region).toBe('demo-region');
    const none = parseCouncilProfile({ name: 'X' });
    expect(none.ok && none.value.region).toBeUndefined();
    const bad = (region: unknown) => {
      const r = parseCouncilProfile({ name: 'X', region });
      return r.ok ? [] : r.issues.map((i) => i.path);
    };
    for (const region of ['Eastern', 'east_region', '-east', '', 'a'.repeat(64), 7])
      expect(bad(region)).toEqual(['region']);
    expect(bad('a'.repeat(63))).toEqual([]);
    const dataset = demoDataset();
    const without = resolveScenario(dataset, {
      profile: { code: 'E06000031', version: 1, profile: profileOf({ name: 'X' }) },
    });
    const withRegion = resolveScenario(dataset, {
      profile: { code: 'E06000031', version: 1, profile: profileOf({ name: 'X', region: 'eastern' }) },
    });
    expect(withRegion.scenario).toEqual(without.scenario);
  });

  it('checks the ONS code shape', () => {
    for (const ok of ['E06000031', 'E10000003', 'E08000025', 'E09000001']) expect(COUNCIL_CODE_RE.test(ok)).toBe(true);
    for (const bad of ['E05000031', 'E11000003', 'E0600003', 'e06000031', 'W06000001', 'E06000031 '])
      expect(COUNCIL_CODE_RE.test(bad)).toBe(false);
  });
});

describe('resolving a dataset with a council profile', () => {
  const dataset = demoDataset();
  const inHouseAtEnd = dataset.initial.filter((c) => c.category === 'inHouseFoster').length;

  it('without a profile: households inferred from the data, every example value named in the warnings', () => {
    const r = resolveScenario(dataset, { council: 'E06000099' });
    const s = parseScenario(r.scenario);
    if (!s.ok) throw new Error(JSON.stringify(s.issues));
    const sc = s.value;
    expect(sc.capacity?.inHouseHouseholds).toBe(householdsFor(inHouseAtEnd, 1.6));
    expect(Math.floor(((sc.capacity?.inHouseHouseholds as number) ?? 0) * 1.6)).toBeGreaterThanOrEqual(inHouseAtEnd);
    expect(sc.sources?.['capacity.inHouseHouseholds']).toBe(
      `inferred from data to ${dataset.period.end}: ${inHouseAtEnd} children in in-house foster care at ${dataset.period.end} ÷ 1.6 places per household`,
    );
    expect(sc.uncertainty.parameters).toBe(true);
    expect(r.missing).toEqual(
      expect.arrayContaining([
        'childPopulation',
        'capacity.placesPerHousehold',
        'capacity.recruitmentPerYear',
        'costs.weekly.inHouseFoster',
        'costs.weekly.residential',
        'stayingPut',
        'budgets',
      ]),
    );
    for (const path of r.missing) {
      expect(sc.sources?.[path.startsWith('childPopulation') ? 'childPopulation.base' : path]).toMatch(
        /example: Peterborough 2018/,
      );
      expect(r.warnings.some((w) => w.startsWith(`${path} = `) && w.includes('Peterborough 2018 example'))).toBe(true);
    }
    expect(sc.notes).toEqual(r.warnings);
    expect(sc.council).toEqual({ code: 'E06000099' });
    expect(Object.keys(sc.budgets)).toContain('2018/19');
  });

  it('with a profile: its figures, its version, nothing from the example where it gives everything', () => {
    const full = profileOf({ ...PETERBOROUGH_PROFILE, name: 'Full' });
    const r = resolveScenario(dataset, {
      council: 'E06000031',
      profile: { code: 'E06000031', version: 3, profile: full },
    });
    expect(r.missing).toEqual([]);
    const s = r.scenario;
    expect(s.council).toEqual({ code: 'E06000031', name: 'Full', version: 3 });
    expect(s.sources?.['capacity.recruitmentPerYear']).toBe('profile v3');
    expect(s.sources?.['costs.weekly.residential']).toBe('profile v3');
    // the profile's 108 households × 1.6 = 172 places do not hold the children in in-house care at the data end
    expect(inHouseAtEnd).toBeGreaterThan(172);
    expect(s.capacity?.inHouseHouseholds).toBe(householdsFor(inHouseAtEnd, 1.6));
    expect(r.warnings.some((w) => w.startsWith('capacity.inHouseHouseholds raised from 108'))).toBe(true);
    // a target is the council's aim, never an input: the same scenario with or without one
    const aimed = resolveScenario(dataset, {
      council: 'E06000031',
      profile: { code: 'E06000031', version: 3, profile: profileOf({ ...full, targets: { childrenInCare: 330 } }) },
    });
    expect(aimed.scenario).toEqual(s);
  });

  it('overrides win and are marked as such', () => {
    const r = resolveScenario(dataset, {
      overrides: { capacity: { recruitmentPerYear: 30 }, uncertainty: { parameters: false } },
    });
    expect(r.scenario.capacity?.recruitmentPerYear).toBe(30);
    expect(r.scenario.uncertainty?.parameters).toBe(false);
    expect(r.scenario.sources?.['capacity.recruitmentPerYear']).toBe('override');
    expect(r.scenario.sources?.['uncertainty.parameters']).toBe('override');
  });

  it('overrides of the wrong shape are left for validation to name, not read (they threw: a 500)', () => {
    const cases: [unknown, string][] = [
      [{ capacity: 5 }, 'capacity'],
      [{ costs: 5 }, 'costs'],
      [{ start: 5 }, 'start'],
      [{ horizonMonths: 'x' }, 'horizonMonths'],
      [{ capacity: { inHouseHouseholds: null } }, 'capacity.inHouseHouseholds'],
      [{ costs: { priceBase: null } }, 'costs.priceBase'],
    ];
    for (const [overrides, path] of cases) {
      const parsed = parseScenario(resolveScenario(dataset, { overrides }).scenario, { strict: true });
      expect(!parsed.ok && parsed.issues.map((i) => i.path)).toContain(path);
    }
  });

  it('the example’s April 2018 price base moves to the start when it is after the forecast’s last month, not before', () => {
    // April 2017 to March 2018 (12 months) ends a month before April 2018: the price base moves to April 2017
    const before = resolveScenario(dataset, { overrides: { start: '2017-04', horizonMonths: 12 } }).scenario;
    expect((before.costs as { priceBase: string }).priceBase).toBe('2017-04');
    expect(before.sources?.['costs.priceBase']).toMatch(
      /moved to the forecast start \(it was after the forecast's last month\)$/,
    );
    expect(parseScenario(before).ok).toBe(true);
    // May 2017 to April 2018 holds April 2018: it stays
    const holds = resolveScenario(dataset, { overrides: { start: '2017-05', horizonMonths: 12 } }).scenario;
    expect((holds.costs as { priceBase: string }).priceBase).toBe('2018-04');
    expect(parseScenario(holds).ok).toBe(true);
  });

  it('a price base the caller typed is never moved: it is left for validation to refuse, naming the last month', () => {
    // April 2017 to March 2018 ends before April 2018: typed in the request, the price base stays April 2018
    const typed = resolveScenario(dataset, {
      overrides: { start: '2017-04', horizonMonths: 12, costs: { priceBase: '2018-04' } },
    }).scenario;
    expect((typed.costs as { priceBase: string }).priceBase).toBe('2018-04');
    expect(typed.sources?.['costs.priceBase']).toBe('override');
    const parsed = parseScenario(typed, { strict: true });
    expect(!parsed.ok && parsed.issues.filter((i) => i.path === 'costs.priceBase')).toEqual([
      { path: 'costs.priceBase', code: 'custom', message: "must not be after the forecast's last month (2018-03)" },
    ]);
    // typed within the forecast, it is used as given (March 2018 is the last month)
    const within = resolveScenario(dataset, {
      overrides: { start: '2017-04', horizonMonths: 12, costs: { priceBase: '2018-03' } },
    }).scenario;
    expect((within.costs as { priceBase: string }).priceBase).toBe('2018-03');
    expect(parseScenario(within).ok).toBe(true);
    // the council's own price base (not typed in this request) still moves, with the note: the caller did not choose it
    const profiled = resolveScenario(dataset, {
      council: 'E06000031',
      profile: {
        code: 'E06000031',
        version: 2,
        profile: profileOf({ name: 'P', costs: { priceBase: '2019-04', annualInflation: 0.02, weekly: {} } }),
      },
      overrides: { start: '2017-04', horizonMonths: 12, costs: { annualInflation: 0.03 } },
    }).scenario;
    expect((profiled.costs as { priceBase: string }).priceBase).toBe('2017-04');
    expect(profiled.sources?.['costs.priceBase']).toBe(
      "profile v2, moved to the forecast start (it was after the forecast's last month)",
    );
    expect(parseScenario(profiled).ok).toBe(true);
  });

  it('an override of a whole group marks its parts as overridden', () => {
    const r = resolveScenario(dataset, { overrides: { costs: { annualInflation: 0.02 }, capacity: 5 } });
    expect(r.scenario.sources?.['costs.annualInflation']).toBe('override');
    expect(r.scenario.sources?.capacity).toBe('override');
    expect(r.scenario.sources?.['capacity.inHouseHouseholds']).toBe('override');
    expect(r.scenario.sources?.['costs.weekly']).not.toBe('override');
  });

  // each override path was checked against every source, the sources growing with the paths: 300,000 fields in one
  // request (a 4 MB body) held the API for hours; 30,000 took ~20 s so. The result is asserted, not the time (speed is
  // the benchmarks' business).
  it('30,000 override fields resolve, each named as an override', () => {
    const many = Object.fromEntries(Array.from({ length: 30_000 }, (_, i) => [`k${i}`, 1]));
    const r = resolveScenario(dataset, { overrides: { capacity: many } });
    expect(r.scenario.sources?.['capacity.k29999']).toBe('override');
  });

  it('strict validation of 300,000 unknown fields names the first 100 (it threw a RangeError: a 500)', () => {
    const many = Object.fromEntries(Array.from({ length: 300_000 }, (_, i) => [`k${i}`, 1]));
    const r = resolveScenario(dataset, {});
    const parsed = parseScenario({ ...r.scenario, capacity: { ...r.scenario.capacity, ...many } }, { strict: true });
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.issues).toHaveLength(101);
    expect(parsed.issues[0]).toEqual({ path: 'capacity.k0', code: 'unrecognized_keys', message: 'unknown field "k0"' });
    expect(parsed.issues[100]).toEqual({
      path: '(root)',
      code: 'too_many_issues',
      message: '299900 more problems not listed: fix these and send it again',
    });
  });

  it('projects the child population from its mid-year to the forecast start', () => {
    const p = profileOf({ name: 'G', childPopulation: { base: 100000, year: 2017, annualGrowth: 0.02 } });
    const r = resolveScenario(dataset, { profile: { code: 'E06000001', version: 1, profile: p } });
    // data end 2018-03-31: start 2018-04, 10 months after mid-2017
    expect(r.scenario.start).toBe('2018-04');
    expect(r.scenario.childPopulation?.base).toBeCloseTo(100000 * 1.02 ** (10 / 12), 6);
  });
});
