/**
 * GET /scenarios/{id}/export.csv: about, cost by financial year (budget, chance over budget), monthly children and
 * cost by placement, and the inputs (409 until complete).
 */
import { httpRoute } from '#functions/http/handler';
import { scenarioCsv } from '#functions/render/csv';
import { getStore } from '#functions/store/index';
import { loadCompleteScenario } from '#functions/records/scenario';

export const handler = httpRoute('ExportScenarioCsv', {}, async (req) => {
  const id = req.params.id ?? '';
  const { scenario, result } = await loadCompleteScenario(getStore(), id, req.now);
  return {
    statusCode: 200,
    contentType: 'text/csv; charset=utf-8',
    body: scenarioCsv(result, { id, scenario }),
    headers: { 'content-disposition': `attachment; filename="scenario-${id}.csv"` },
  };
});
