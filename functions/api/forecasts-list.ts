import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { type ForecastSummary, forecastView } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';
import { pageParams } from './views.js';

export const handler = httpRoute('ListForecasts', {}, async (req) => {
  const page = await getStore().list<ForecastSummary>(KIND.forecast, pageParams(req.query));
  return ok({
    items: page.items.map((r) => forecastView(r, req.now)),
    ...(page.cursor ? { cursor: page.cursor } : {}),
  });
});
