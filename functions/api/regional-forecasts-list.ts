/** GET /regional-forecasts: regional forecasts newest first, `?createdBy=me` for the caller's own. */
import { httpRoute, ok } from '#functions/http/handler';
import { KIND } from '#functions/records/kinds';
import { type RegionalForecastSummary, regionalForecastView } from '#functions/records/regional-forecast';
import { getStore } from '#functions/store/index';
import { listParams } from './views.js';

export const handler = httpRoute('ListRegionalForecasts', {}, async (req) => {
  const page = await getStore().list<RegionalForecastSummary>(
    KIND.regionalForecast,
    listParams(req.query, req.principal?.sub),
  );
  return ok({
    items: page.items.map((r) => regionalForecastView(r, req.now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
