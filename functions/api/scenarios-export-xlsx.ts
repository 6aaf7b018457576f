/** GET /scenarios/{id}/export.xlsx: the workbook of a complete scenario (409 until it is complete). */
import { httpRoute } from '#functions/http/handler';
import { scenarioWorkbook, XLSX_MEDIA_TYPE } from '#functions/render/xlsx';
import { getStore } from '#functions/store/index';
import { loadCompleteScenario } from '#functions/records/scenario';

export const handler = httpRoute('ExportScenarioXlsx', {}, async (req) => {
  const id = req.params.id ?? '';
  const { scenario, result } = await loadCompleteScenario(getStore(), id, req.now);
  const book = await scenarioWorkbook({ id, scenario, result, generatedAt: req.now });
  return {
    statusCode: 200,
    contentType: XLSX_MEDIA_TYPE,
    body: book.toString('base64'),
    isBase64Encoded: true,
    headers: { 'content-disposition': `attachment; filename="scenario-${id}.xlsx"` },
  };
});
