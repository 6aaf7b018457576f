/**
 * The benchmark region: 11 councils of 200 to 1,500 children (5,000 in all), each the default scenario
 * (Peterborough 2018) scaled to its size — its starting stock, entries, carer households, child population, UASC and
 * budgets in proportion — under the NTS regional rota (6 transfers a month) with 20 shared residential beds.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO_PATH } from '../models/defaults.js';
import { resolveRegion } from '../models/region/resolve.js';
import { parseRegionalForecast } from '../models/region/schema.js';
import type { RegionalScenario } from '../models/region/simulate.js';
import { childrenOf } from '../models/shards.js';
import { budgetOf, parseScenario, type Scenario } from '../models/scenario.js';

/** children in care at the start, council by council */
export const BENCH_REGION_SIZES = [200, 220, 250, 280, 310, 350, 390, 440, 500, 560, 1500];

/** A number, or an uncertain input ({min, mode, max}, {p10, p90}), times f (each part rounded when `round`). */
function times<T>(v: T, f: number, round = false): T {
  const scale = (x: number) => (round ? Math.round(x * f) : x * f);
  if (typeof v === 'number') return scale(v) as T;
  if (v && typeof v === 'object')
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, typeof x === 'number' ? scale(x) : x])) as T;
  return v;
}

/** The default scenario scaled to a council of `children` children in care at the start. */
export function scaledScenario(base: Scenario, children: number, name: string): Scenario {
  const stock = base.initial.reduce((a, c) => a + c.count, 0);
  const f = children / stock;
  // every line scaled and rounded, the rounding spread so the total is exactly `children`
  let carried = 0;
  const initial = base.initial.flatMap((c) => {
    const exact = c.count * f + carried;
    const count = Math.round(exact);
    carried = exact - count;
    return count > 0 ? [{ ...c, count }] : [];
  });
  const parsed = parseScenario({
    ...base,
    name,
    initial,
    entries: { ...base.entries, multiplier: times(base.entries.multiplier, f) },
    childPopulation: { ...base.childPopulation, base: times(base.childPopulation.base, f, true) },
    capacity: base.capacity
      ? { ...base.capacity, inHouseHouseholds: times(base.capacity.inHouseHouseholds, f, true) }
      : null,
    uasc: base.uasc
      ? {
          ...base.uasc,
          initial: Math.round(base.uasc.initial * f),
          spontaneousPerMonth: times(base.uasc.spontaneousPerMonth, f),
          transfersPerMonthWhenOnRota: times(base.uasc.transfersPerMonthWhenOnRota, f),
        }
      : null,
    budgets: Object.fromEntries(
      Object.entries(base.budgets).map(([fy, b]) => [fy, Math.round((budgetOf(b)?.amount ?? 0) * f)]),
    ),
  });
  if (!parsed.ok) throw new Error(`scaled scenario ${name} is invalid: ${parsed.issues[0]?.message}`);
  return parsed.value;
}

export function defaultScenario(): Scenario {
  const parsed = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')));
  if (!parsed.ok) throw new Error('default scenario is invalid');
  return parsed.value;
}

/** The benchmark region at `runs` runs × 60 months. */
export function benchRegion(runs: number): { region: RegionalScenario; children: number; councils: Scenario[] } {
  const base = { ...defaultScenario(), horizonMonths: 60 };
  const councils = BENCH_REGION_SIZES.map((n, i) => scaledScenario(base, n, `Council ${i + 1} (${n} children)`));
  const parsed = parseRegionalForecast({
    name: 'Benchmark region: 11 councils, 5,000 children',
    start: base.start,
    horizonMonths: 60,
    runs,
    seed: 11,
    councils: councils.map((scenario, i) => ({ code: `E0600${String(i + 1).padStart(4, '0')}`, scenario })),
    nts: { regionalTransfersPerMonth: 6, rule: 'rota' },
    shared: { residentialBeds: 20, weeklyCost: 3800 },
    budgets: {},
  });
  if (!parsed.ok)
    throw new Error(`benchmark region is invalid: ${parsed.issues[0]?.path}: ${parsed.issues[0]?.message}`);
  const resolved = resolveRegion(parsed.value);
  if (!resolved.ok) throw new Error(`benchmark region does not resolve: ${resolved.issues[0]?.message}`);
  const children = councils.reduce((a, s) => a + s.initial.reduce((b, c) => b + c.count, 0), 0);
  return { region: resolved.value, children, councils: resolved.value.councils.map((c) => c.scenario) };
}

/** children a run simulates over the region (starting stock + expected entrants), for the work units */
export function regionChildren(councils: Scenario[]): number {
  return councils.reduce((a, s) => a + childrenOf(s), 0);
}
