import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { KIND, type ForecastSummary } from '#functions/store/records';
import { forecastView, pageParams } from './views.js';

export const handler = httpRoute('ListForecasts', {}, async (req) => {
  const page = await getStore().list<ForecastSummary>(KIND.forecast, pageParams(req.query));
  return ok({
    items: page.items.map((r) => forecastView(r, req.now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
