/**
 * PUT /regions/{id}: create or replace a region — a named set of councils that plan together, in rota order. A council
 * belongs to one region at most (its NTS rota and shared places are that region's): naming a council that another
 * region holds is a 409 naming both. Only the region's own data managers (a token for region {id}) define it.
 */
import { RegionDefinitionSchema, REGION_ID_RE } from '#models/region/schema';
import { Conflict, Forbidden, InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type RegionSummary, regionView } from '#functions/records/region';
import { getStore, rawStore } from '#functions/store/index';
import type { Store, StoredRecord } from '#functions/store/store';

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

export const handler = httpRoute('PutRegion', { body: RegionDefinitionSchema }, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  if (!REGION_ID_RE.test(id))
    throw new InvalidInput([
      { path: 'id', code: 'invalid_string', message: 'a region id is 1–63 lower-case letters, digits or hyphens' },
    ]);
  const tenant = req.principal?.tenant;
  if (tenant?.region !== id) throw new Forbidden(`only region ${id}'s own users may define it`);
  const { name, councils } = req.body;
  // every region, whoever owns it: a council is in one region at most
  for (const other of await allRegions(rawStore())) {
    if (other.id === id) continue;
    const shared = councils.filter((c) => other.summary.councils.includes(c));
    if (shared.length)
      throw new Conflict(
        `council ${shared.join(', ')} already belongs to region ${other.id}: a council is in one region at most (remove it there first)`,
      );
  }
  const summary: RegionSummary = { name, councils };
  if (await store.update<RegionSummary>(KIND.region, id, { summary })) {
    const record = await store.get<RegionSummary>(KIND.region, id);
    return ok(regionView(record!), 200);
  }
  const record = await store.create({
    kind: KIND.region,
    id,
    createdAt: req.now.toISOString(),
    ...(req.principal ? { createdBy: req.principal.sub } : {}),
    summary,
  });
  return { ...ok(regionView(record), 201), headers: { location: `/regions/${id}` } };
});
