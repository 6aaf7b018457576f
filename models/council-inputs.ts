/**
 * The result's `inputs`: each figure a forecast used, its value and where it came from. Sources are the scenario's
 * `sources` by dotted path (set by resolution: `profile v3`, `inferred from data to …`, `example: Peterborough 2018`,
 * `national: …`, `override`), the nearest enclosing path's source where a figure has none of its own, else
 * `scenario as given` (a scenario posted whole).
 */
import { CATEGORIES } from './placement.js';
import type { Scenario } from './scenario.js';

export interface InputFigure {
  value: unknown;
  source: string;
}

export function sourceOf(sources: Record<string, string> | undefined, path: string): string {
  if (!sources) return 'scenario as given';
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = sources[p];
    if (s !== undefined) return s;
  }
  return 'scenario as given';
}

/** By dotted path: `{ "capacity.recruitmentPerYear": { value: 12, source: "profile v3" }, … }`. */
export function inputsOf(s: Scenario): Record<string, InputFigure> {
  const out: Record<string, InputFigure> = {};
  const add = (path: string, value: unknown, sourcePath = path) => {
    if (value !== undefined) out[path] = { value, source: sourceOf(s.sources, sourcePath) };
  };
  add(
    'initial.children',
    s.initial.reduce((n, c) => n + c.count, 0),
    'initial',
  );
  add('parameters', s.parameters.evidence ? 'rates with their evidence' : 'rates');
  add('uncertainty.parameters', s.uncertainty.parameters);
  add('entries.multiplier', s.entries.multiplier);
  add('childPopulation.base', s.childPopulation.base);
  add('childPopulation.annualGrowth', s.childPopulation.annualGrowth);
  if (s.capacity) for (const [k, v] of Object.entries(s.capacity)) add(`capacity.${k}`, v);
  add('costs.priceBase', s.costs.priceBase);
  add('costs.annualInflation', s.costs.annualInflation);
  for (const [k, v] of Object.entries(s.costs.inflationByCategory ?? {})) add(`costs.inflationByCategory.${k}`, v);
  for (const c of CATEGORIES) add(`costs.weekly.${c}`, s.costs.weekly[c]);
  for (const [fy, v] of Object.entries(s.budgets)) add(`budgets.${fy}`, v);
  if (s.stayingPut) for (const [k, v] of Object.entries(s.stayingPut)) add(`stayingPut.${k}`, v);
  if (s.uascGrant) add('uascGrant.rates', s.uascGrant.rates);
  if (s.uasc) for (const [k, v] of Object.entries(s.uasc)) add(`uasc.${k}`, v);
  return out;
}
