import { MONTH_RE } from '#models/calendar';
import { BadRequest, NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { finishedRecord, immutableResponse, recordVersion } from '#functions/http/immutable';
import { getStore } from '#functions/store/index';
import { type ForecastSummary, forecastView } from '#functions/records/forecast';
import { KIND } from '#functions/records/kinds';

export const handler = httpRoute('GetForecast', {}, async (req) => {
  const month = req.params.month ?? '';
  if (!MONTH_RE.test(month)) throw new BadRequest('the forecast month must be "YYYY-MM"');
  const store = getStore();
  const record = await finishedRecord<ForecastSummary>(req, KIND.forecast, month);
  if (!record) throw new NotFound(`no forecast for ${month}`);
  const view = forecastView(record, req.now);
  const build = async () => {
    const [result, rows] = await Promise.all([
      view.status === 'complete' ? store.readBlob(record, 'result') : Promise.resolve(undefined),
      store.readBlob(record, 'accuracy'),
    ]);
    return {
      ...view,
      ...(view.accuracy && rows !== undefined ? { accuracy: { ...view.accuracy, rows } } : {}),
      ...(result !== undefined ? { result } : {}),
    };
  };
  if (view.status !== 'complete') return ok(await build());
  // a complete forecast changes only when a later one scores it (its updatedAt and accuracy blob then change)
  return immutableResponse(req, recordVersion(record), async () => ({ body: await build() }));
});
