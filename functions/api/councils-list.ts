/**
 * GET /councils: the councils with a profile (name, current version), paginated. `?region=ID`: the councils of that
 * region in its rota order — one call per page instead of one per council — as far as the caller may read them (the
 * store is the caller's view: a region's users read every council of their region, a council's users only their own;
 * a region the caller may not see is a 404). A page covers `limit` places of the region's list, so it may hold fewer
 * items when some councils have no profile yet; its cursor, signed and bound to the region, says where the next
 * page starts.
 */
import { cursorSecret } from '#functions/config';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { COUNCIL_KIND, type CouncilSummary, councilView } from '#functions/records/council';
import { KIND } from '#functions/records/kinds';
import type { RegionSummary } from '#functions/records/region';
import { ListCouncilsQuerySchema } from '#functions/schemas';
import { decodePositionCursor, encodePositionCursor } from '#functions/store/cursor';
import { getStore } from '#functions/store/index';
import type { Store } from '#functions/store/store';
import { pageParams } from './views.js';

async function regionPage(store: Store, id: string, query: Record<string, string>) {
  const region = await store.get<RegionSummary>(KIND.region, id);
  if (!region) throw new NotFound(`no region ${id}`);
  const codes = region.summary.councils ?? [];
  const { limit, cursor } = pageParams(query);
  const list = `region:${id}`;
  const start = cursor === undefined ? 0 : decodePositionCursor(cursor, list, codes.length, cursorSecret());
  // one batch read for the page (BatchGetItem on AWS), not a read per council
  const heads = await store.getMany<CouncilSummary>(COUNCIL_KIND.head, codes.slice(start, start + limit));
  const next = start + limit;
  return {
    items: heads.flatMap((h) => (h ? [councilView(h)] : [])),
    ...(next < codes.length ? { cursor: encodePositionCursor(list, next, cursorSecret()) } : {}),
  };
}

export const handler = httpRoute('ListCouncils', { query: ListCouncilsQuerySchema }, async (req) => {
  const store = getStore();
  if (req.query.region !== undefined) return ok(await regionPage(store, req.query.region, req.query));
  const page = await store.list<CouncilSummary>(COUNCIL_KIND.head, pageParams(req.query));
  return ok({
    items: page.items.map((r) => councilView(r)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
