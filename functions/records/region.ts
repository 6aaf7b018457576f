/**
 * The `region` record: a named set of councils that plan together, id the region's own ("eastern"). No
 * blobs. A council belongs to at most one region (its NTS rota and shared places are that region's), and only with
 * its own consent: its current profile names the region (`region`, models/council.ts).
 */
import { KIND } from './kinds.js';
import type { Store, StoredRecord } from '#functions/store/store';

export interface RegionSummary {
  name: string;
  /** ONS codes, in rota order */
  councils: string[];
}

export function regionView(r: StoredRecord<RegionSummary>) {
  return {
    id: r.id,
    name: r.summary.name,
    councils: r.summary.councils,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  };
}

/** Every region (a handful: England has nine regions), page by page. */
export async function allRegions(store: Store): Promise<StoredRecord<RegionSummary>[]> {
  const out: StoredRecord<RegionSummary>[] = [];
  let cursor: string | undefined;
  do {
    const page = await store.list<RegionSummary>(KIND.region, { limit: 100, ...(cursor ? { cursor } : {}) });
    out.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return out;
}

/**
 * A council leaves every region it no longer names: each region whose list holds `code` but is not `stays` (the
 * region its profile now names, if any) gets its list without the council. Called after the profile is written, on
 * every profile write (not only when `region` changed), so a retry of a write that died in between finishes the job;
 * removing a council that is not listed changes nothing. `store` is the whole store (the regions are not the
 * council's records). Returns the ids of the regions it left.
 */
export async function leaveRegions(store: Store, code: string, stays: string | undefined): Promise<string[]> {
  const left: string[] = [];
  for (const region of await allRegions(store)) {
    if (region.id === stays || !region.summary.councils.includes(code)) continue;
    const councils = region.summary.councils.filter((c) => c !== code);
    if (await store.update<RegionSummary>(KIND.region, region.id, { summary: { councils } })) left.push(region.id);
  }
  return left;
}
