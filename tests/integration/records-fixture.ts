/**
 * Small JSON-records datasets for the API tests: a seeded history of children in care that can be cut at any date,
 * so an older and a newer upload describe the same children (the newer one covers the older one's forecast months).
 */
import { addMonths } from '#models/calendar';

interface Episode {
  start: string;
  end?: string;
  placement: string;
  reasonNew?: string;
  reasonEnded?: string;
}
interface Child {
  childId: string;
  birthMonth: string;
  episodes: Episode[];
}

const PLACEMENTS = ['inHouseFoster', 'inHouseFoster', 'agencyFoster', 'kinship', 'residential'] as const;

/** a small linear congruential generator: the fixture must be the same on every run */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

export function history(children: number, seed = 7): Child[] {
  const rnd = lcg(seed);
  const out: Child[] = [];
  for (let i = 0; i < children; i++) {
    const birthMonth = addMonths('2002-01', Math.floor(rnd() * 120));
    let month = addMonths('2013-01', Math.floor(rnd() * 48));
    const episodes: Episode[] = [];
    const spells = 1 + Math.floor(rnd() * 3);
    for (let k = 0; k < spells; k++) {
      const length = 2 + Math.floor(rnd() * 30);
      const end = addMonths(month, length);
      const last = k === spells - 1;
      episodes.push({
        start: `${month}-10`,
        ...(last && rnd() < 0.4 ? {} : { end: `${end}-09`, reasonEnded: last ? 'E4A' : 'X1' }),
        placement: PLACEMENTS[Math.floor(rnd() * PLACEMENTS.length)] as string,
        reasonNew: k === 0 ? 'S' : 'P',
      });
      month = end;
    }
    out.push({ childId: `c${i + 1}`, birthMonth, episodes });
  }
  return out;
}

/** The records as they stood on `dataEnd`: later episodes unknown, episodes running then still open. */
export function recordsAt(all: Child[], dataEnd: string): { dataEnd: string; children: Child[] } {
  const children: Child[] = [];
  for (const c of all) {
    const episodes = c.episodes
      .filter((e) => e.start <= dataEnd)
      .map((e) =>
        e.end !== undefined && e.end > dataEnd
          ? { start: e.start, placement: e.placement, ...(e.reasonNew ? { reasonNew: e.reasonNew } : {}) }
          : e,
      );
    if (episodes.length) children.push({ ...c, episodes });
  }
  return { dataEnd, children };
}
