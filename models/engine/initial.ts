/** The initial stock: the scenario's list of children expanded one per child and reconciled with the UASC count. */
import { type Category, categoryIndex } from '../placement.js';
import type { Scenario } from '../scenario.js';
import { cumulative, pick } from './categorical.js';
import { LAST_MONTH_IN_CARE } from './constants.js';

export interface InitialStock {
  ageMonths: Int32Array;
  category: Uint8Array;
  uasc: Uint8Array;
}

/**
 * Expand the scenario's initial list (which may carry `count`) to one entry per child, and reconcile it with
 * `uasc.initial`, the UASC count at the start. When fewer children are flagged than that count, the oldest unflagged
 * children old enough to have arrived as UASC are flagged (they are already in the stock), and if there are not enough
 * of them the rest are added with the arrival ages and placements of `uasc` (spread by their shares, no randomness).
 * When more are flagged, the flags win. Either way the result says so in its warnings.
 */
export function expandInitial(s: Scenario, warnings: string[]): InitialStock {
  const ageMonths: number[] = [];
  const category: number[] = [];
  const uasc: number[] = [];
  for (const c of s.initial) {
    for (let i = 0; i < c.count; i++) {
      ageMonths.push(c.ageMonths);
      category.push(categoryIndex[c.category]);
      uasc.push(c.uasc ? 1 : 0);
    }
  }
  const flagged = uasc.reduce((a, b) => a + b, 0);
  if (s.uasc && s.uasc.initial > flagged) {
    const years = Object.keys(s.uasc.arrivalAge).map(Number);
    const youngest = Math.min(...years) * 12;
    const eligible = ageMonths
      .map((age, i) => ({ age, i }))
      .filter((c) => !uasc[c.i] && c.age >= youngest)
      .sort((a, b) => b.age - a.age || a.i - b.i);
    let missing = s.uasc.initial - flagged;
    const marked = Math.min(missing, eligible.length);
    for (let k = 0; k < marked; k++) uasc[eligible[k]!.i] = 1;
    missing -= marked;
    const ageCum = cumulative(Object.values(s.uasc.arrivalAge) as number[]);
    const placeCats = (Object.keys(s.uasc.arrivalPlacement) as Category[]).map((c) => categoryIndex[c]);
    const placeCum = cumulative(Object.values(s.uasc.arrivalPlacement) as number[]);
    for (let k = 0; k < missing; k++) {
      const at = (k + 0.5) / missing;
      ageMonths.push(Math.min(LAST_MONTH_IN_CARE, years[pick(ageCum, at)]! * 12 + 6));
      category.push(placeCats[pick(placeCum, at)]!);
      uasc.push(1);
    }
    warnings.push(
      `uasc.initial is ${s.uasc.initial} but ${flagged} children in initial are flagged uasc: ` +
        (marked ? `${marked} of the oldest children aged ${youngest / 12}+ were counted as UASC` : '') +
        (marked && missing ? ' and ' : '') +
        (missing
          ? `${missing} UASC children were added to the starting stock (ages and placements from uasc.arrivalAge and uasc.arrivalPlacement)`
          : ''),
    );
  } else if (s.uasc && s.uasc.initial < flagged) {
    warnings.push(
      `uasc.initial is ${s.uasc.initial} but ${flagged} children in initial are flagged uasc: the flagged children are the starting count`,
    );
  } else if (!s.uasc && flagged > 0) {
    warnings.push(
      `uasc is null: the ${flagged} children flagged uasc in initial are forecast as any other child (no UASC rules)`,
    );
  }
  return { ageMonths: Int32Array.from(ageMonths), category: Uint8Array.from(category), uasc: Uint8Array.from(uasc) };
}
