/** GET /scenarios/{id}/export.csv: monthly quantiles of children and cost by category (409 until complete). */
import { httpRoute } from '#functions/http/handler';
import { scenarioCsv } from '#functions/render/csv';
import { getStore } from '#functions/store/index';
import { loadCompleteScenario } from '#functions/jobs/decisions';

export const handler = httpRoute('ExportScenarioCsv', {}, async (req) => {
  const id = req.params.id ?? '';
  const { result } = await loadCompleteScenario(getStore(), id, req.now);
  return {
    statusCode: 200,
    contentType: 'text/csv; charset=utf-8',
    body: scenarioCsv(result),
    headers: { 'content-disposition': `attachment; filename="scenario-${id}.csv"` },
  };
});
