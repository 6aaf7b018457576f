import { MONTH_RE } from '#models/calendar';
import { BadRequest, NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { getStore } from '#functions/store/index';
import { type ForecastSummary, forecastView } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('GetForecast', {}, async (req) => {
  const month = req.params.month ?? '';
  if (!MONTH_RE.test(month)) throw new BadRequest('the forecast month must be "YYYY-MM"');
  const store = getStore();
  const record = await store.get<ForecastSummary>(KIND.forecast, month);
  if (!record) throw new NotFound(`no forecast for ${month}`);
  const view = forecastView(record, req.now);
  const [result, rows] = await Promise.all([
    view.status === 'complete' ? store.readBlob(record, 'result') : Promise.resolve(undefined),
    store.readBlob(record, 'accuracy'),
  ]);
  return ok({
    ...view,
    ...(view.accuracy && rows !== undefined ? { accuracy: { ...view.accuracy, rows } } : {}),
    ...(result !== undefined ? { result } : {}),
  });
});
