/**
 * The world's arrays grow while children arrive (World.alloc doubles them): an entrant's draws must not depend on
 * whether its slot was the one that made them grow. A sibling group that crossed the boundary read its first draws
 * from the arrays as they were before the growth (a stale copy), so the children beyond it took the same fixed
 * band and age whatever their own streams said.
 */
import { describe, expect, it } from 'vitest';
import { World } from '../../models/engine/world.js';
import { NB, NC } from '../../models/engine/constants.js';
import { AliasTable, mix32 } from '#models/random';

const H = 24;
/** entry weights over every band and category, and each category's weights over bands */
const weights = Float64Array.from({ length: NB * NC }, (_, cell) => 1 + (cell % 5));
const alias = new AliasTable(weights);
const bandAlias = Array.from(
  { length: NC },
  (_, c) => new AliasTable(Float64Array.from({ length: NB }, (_, b) => weights[b * NC + c]!)),
);

/** The group's children (birth month and category), entering after `before` children hold slots. */
function groupAfter(before: number, freeThemFirst: boolean): { birth: number; cat: number }[] {
  const world = new World(H, Array(NC).fill(500));
  world.reset();
  const held = Array.from({ length: before }, () => world.alloc());
  if (freeThemFirst) for (const c of held) world.free[world.freeTop++] = c;
  const runMix = mix32(12345);
  world.enterGroup(0, 0, 6, alias, bandAlias, runMix, Infinity, 1);
  const out: { birth: number; cat: number }[] = [];
  for (let k = 0; k < NC; k++)
    for (let i = 0; i < world.counts[k]!; i++) {
      const c = world.lists[k]![i]!;
      out.push({ birth: world.birth[c]!, cat: world.cat[c]! });
    }
  return out.sort((a, b) => a.birth - b.birth || a.cat - b.cat);
}

describe('the world growing mid-group', () => {
  it('gives a sibling group the same children whether or not its slots made the arrays grow', () => {
    const start = new World(H, Array(NC).fill(500)).cap;
    // 1,021 slots taken: the group of 6 takes the last three and makes the arrays grow for the other three
    const grown = groupAfter(start - 3, false);
    // the same group with every earlier slot free again: its children reuse them, nothing grows
    const notGrown = groupAfter(start - 3, true);
    expect(grown).toHaveLength(6);
    expect(grown).toEqual(notGrown);
    // and the children are not all alike (each drew its own age)
    expect(new Set(grown.map((g) => g.birth)).size).toBeGreaterThan(1);
  });
});
