/**
 * GET /regional-forecasts/{id}: status, the inputs (every council's scenario whole) and, once complete, the result:
 * each council's forecast under `councils.<code>` and the region's totals under `region`. `?include=runTotals` adds
 * the region's per-run totals.
 */
import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { finishedRecord, immutableResponse, recordVersion } from '#functions/http/immutable';
import { KIND } from '#functions/records/kinds';
import { type RegionalForecastSummary, regionalForecastView } from '#functions/records/regional-forecast';
import { getStore } from '#functions/store/index';

export const handler = httpRoute('GetRegionalForecast', {}, async (req) => {
  const store = getStore();
  const id = req.params.id ?? '';
  const record = await finishedRecord<RegionalForecastSummary>(req, KIND.regionalForecast, id);
  if (!record) throw new NotFound(`no regional forecast ${id}`);
  const view = regionalForecastView(record, req.now);
  const complete = view.status === 'complete';
  const withRunTotals = complete && (req.query.include ?? '').split(',').includes('runTotals');
  const contentType = 'application/json; charset=utf-8';
  const build = async () => {
    const [inputs, result, runTotals] = await Promise.all([
      store.readBlobJson(record, 'region'),
      complete ? store.readBlobJson(record, 'result') : Promise.resolve(undefined),
      withRunTotals ? store.readBlobJson(record, 'runTotals') : Promise.resolve(undefined),
    ]);
    // the stored blobs are JSON already: spliced into the body, not parsed and serialised again
    let body = JSON.stringify(view).slice(0, -1);
    body += `,"inputs":${inputs ?? 'null'}`;
    if (result !== undefined)
      body += `,"result":${runTotals !== undefined ? `${result.slice(0, -1)},"runTotals":${runTotals}}` : result}`;
    return `${body}}`;
  };
  if (!complete) return { statusCode: 200, contentType, body: await build() };
  // a complete regional forecast never changes: ETag, 304, compression and the hot cache, as a scenario
  return immutableResponse(req, `${recordVersion(record)}#${withRunTotals}`, async () => ({
    body: await build(),
    contentType,
  }));
});
