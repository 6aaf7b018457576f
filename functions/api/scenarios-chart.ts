/**
 * GET /scenarios/{id}/chart.svg?series=residential (a category, `total` or `cost`): a fan chart ready for a report,
 * with the recorded history where a dataset backs the scenario and the budget for cost.
 */
import { BadRequest } from '#functions/errors';
import { httpRoute } from '#functions/http/handler';
import { CHART_SERIES, forecastChart, type ChartSeries } from '#functions/render/chart';
import { getStore } from '#functions/store/index';
import { recordedHistory } from '#functions/records/dataset';
import { loadCompleteScenario } from '#functions/records/scenario';

/** two years of history is what a committee paper shows before the forecast */
const HISTORY_MONTHS = 24;

export const handler = httpRoute('ScenarioChart', {}, async (req) => {
  const id = req.params.id ?? '';
  const series = (req.query.series ?? 'total') as ChartSeries;
  if (!CHART_SERIES.includes(series)) throw new BadRequest(`series must be one of: ${CHART_SERIES.join(', ')}`);
  const store = getStore();
  const { record, result } = await loadCompleteScenario(store, id, req.now);
  const history = series === 'cost' ? [] : await recordedHistory(store, record.summary.datasetId, series);
  const before = history.filter((h) => h.month < (result.months[0] ?? '')).slice(-HISTORY_MONTHS);
  return {
    statusCode: 200,
    contentType: 'image/svg+xml; charset=utf-8',
    body: forecastChart(result, series, before),
    headers: { 'cache-control': 'private, max-age=60' },
  };
});
