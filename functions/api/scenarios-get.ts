/**
 * GET /scenarios/{id}: status, resolved scenario and, once complete, the result (?include=runTotals adds the per-run
 * totals). A complete scenario never changes: it is served as an immutable response (ETag, 304, compression, hot
 * cache — functions/http/immutable.ts). Its summary item is read once and then kept warm for a short time
 * (functions/store/final-cache.ts): a delete through this process is a 404 at once, through another within seconds.
 */
import { NotFound } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { finishedRecord, immutableResponse, recordVersion } from '#functions/http/immutable';
import { KIND } from '#functions/records/kinds';
import { type ScenarioSummary, scenarioView } from '#functions/records/scenario';
import { getStore } from '#functions/store/index';
import type { StoredRecord } from '#functions/store/store';

/** The stored blobs are JSON already: spliced into the body rather than parsed and re-serialised (~150 KB). */
async function body(record: StoredRecord<ScenarioSummary>, view: object, complete: boolean, withRunTotals: boolean) {
  const store = getStore();
  const [scenario, result, runTotals] = await Promise.all([
    store.readBlobJson(record, 'scenario'),
    complete ? store.readBlobJson(record, 'result') : Promise.resolve(undefined),
    withRunTotals ? store.readBlobJson(record, 'runTotals') : Promise.resolve(undefined),
  ]);
  let text = JSON.stringify(view).slice(0, -1);
  text += `,"scenario":${scenario ?? 'null'}`;
  if (result !== undefined)
    text += `,"result":${runTotals !== undefined ? `${result.slice(0, -1)},"runTotals":${runTotals}}` : result}`;
  return `${text}}`;
}

export const handler = httpRoute('GetScenario', {}, async (req) => {
  const id = req.params.id ?? '';
  const record = await finishedRecord<ScenarioSummary>(req, KIND.scenario, id);
  if (!record) throw new NotFound(`no scenario ${id}`);
  const view = scenarioView(record, req.now);
  const complete = view.status === 'complete';
  const withRunTotals = complete && (req.query.include ?? '').split(',').includes('runTotals');
  const contentType = 'application/json; charset=utf-8';
  if (!complete) return { statusCode: 200, contentType, body: await body(record, view, false, false) };
  return immutableResponse(req, `${recordVersion(record)}#${withRunTotals}`, async () => ({
    body: await body(record, view, true, withRunTotals),
    contentType,
  }));
});
