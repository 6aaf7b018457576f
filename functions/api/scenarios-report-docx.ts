/** GET /scenarios/{id}/report.docx: the committee report of a complete scenario (409 until it is complete). */
import { httpRoute } from '#functions/http/handler';
import { DOCX_MEDIA_TYPE, scenarioReport } from '#functions/render/report';
import { getStore } from '#functions/store/index';
import { recordedHistory } from '#functions/records/dataset';
import { loadCompleteScenario } from '#functions/records/scenario';

/** two years of history before the forecast, as in chart.svg */
const HISTORY_MONTHS = 24;

export const handler = httpRoute('ScenarioReportDocx', {}, async (req) => {
  const id = req.params.id ?? '';
  const store = getStore();
  const { record, scenario, result } = await loadCompleteScenario(store, id, req.now);
  const history = (await recordedHistory(store, record.summary.datasetId, 'total'))
    .filter((h) => h.month < (result.months[0] ?? ''))
    .slice(-HISTORY_MONTHS);
  const doc = await scenarioReport({ id, scenario, result, history, generatedAt: req.now });
  return {
    statusCode: 200,
    contentType: DOCX_MEDIA_TYPE,
    body: doc.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-disposition': `attachment; filename="scenario-${id}.docx"` },
  };
});
