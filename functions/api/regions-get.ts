/** GET /regions/{id}: one region and its councils in rota order. */
import { REGION_ID_RE } from '#models/region/schema';
import { NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type RegionSummary, regionView } from '#functions/records/region';
import { getStore } from '#functions/store/index';

export const handler = httpRoute('GetRegion', {}, async (req) => {
  const id = req.params.id ?? '';
  const record = REGION_ID_RE.test(id) ? await getStore().get<RegionSummary>(KIND.region, id) : undefined;
  if (!record) throw new NotFound(`no region ${id}`);
  return ok(regionView(record));
});
