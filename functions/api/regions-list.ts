/** GET /regions: the regions, paginated. */
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type RegionSummary, regionView } from '#functions/records/region';
import { getStore } from '#functions/store/index';
import { pageParams } from './views.js';

export const handler = httpRoute('ListRegions', {}, async (req) => {
  const page = await getStore().list<RegionSummary>(KIND.region, pageParams(req.query));
  return ok({ items: page.items.map(regionView), ...(page.cursor ? { cursor: page.cursor } : {}) });
});
