/**
 * POST /datasets: ingest SSDA903 files in any layout (CSV, year folders, .xlsx, zip) or JSON records. The id is the
 * content hash of the upload, so the same upload twice is the same dataset (idempotent with or without a key). Nothing
 * is stored when the upload has errors in strict mode, or cannot support a forecast in either mode; every answer
 * (201, 200 or 422) carries the quality summary and the first problems.
 */
import { createHash } from 'node:crypto';
import { qualitySummary } from '#models/ingest/quality';
import { ingestRecords } from '#models/ingest/records';
import { ingestUpload } from '#models/ingest/upload';
import { dataSalt } from '#functions/config';
import { Conflict, Forbidden, InvalidInput } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { DatasetUploadSchema } from '#functions/schemas';
import { adoptIfNewer, finishAdoption } from '#functions/records/current-dataset';
import { getStore } from '#functions/store/index';
import { type DatasetSummary, datasetView, saveDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import { tenantKey } from '#functions/tenancy';

export const handler = httpRoute('CreateDataset', { body: DatasetUploadSchema }, async (req) => {
  const upload = req.body;
  const contentHash = createHash('sha256').update(JSON.stringify(upload)).digest('hex');
  // the same upload by another council is another council's dataset: the id is the council's and the content's
  const tenant = req.principal?.tenant;
  const owner = tenant ? tenantKey(tenant) : '';
  const id = `ds_${createHash('sha256').update(`${owner}\n${contentHash}`).digest('hex').slice(0, 20)}`;
  const store = getStore();
  // the council is the caller's (the token's), never the body's: an upload naming another council is refused
  if (tenant?.council === undefined) throw new Forbidden("a dataset belongs to a council: use a council's token");
  if (upload.council !== undefined && upload.council !== tenant.council)
    throw new InvalidInput([
      {
        path: 'council',
        code: 'not_your_council',
        message: `must be your own council (${tenant.council}) or left out: the council comes from your token`,
      },
    ]);
  const council = tenant.council;
  // the same content stored before (or by a concurrent request while this one read it): 200 with that dataset, made
  // current if the attempt that stored it died before it could (finishAdoption)
  const stored = async () => {
    const existing = await store.get<DatasetSummary>(KIND.dataset, id);
    if (!existing) return undefined;
    const current = await finishAdoption(store, existing, req.now.toISOString(), req.principal?.sub);
    return ok(datasetView(existing, current ? existing.id : undefined), 200);
  };
  const before = await stored();
  if (before) return before;

  // the year of ingest places two-digit years (models/ is pure: the clock is read here)
  const options = {
    mode: upload.mode,
    salt: dataSalt(),
    referenceYear: new Date().getUTCFullYear(),
    today: req.now.toISOString().slice(0, 10),
  };
  const outcome =
    upload.format === 'ssda903'
      ? await ingestUpload(
          Object.entries(upload.files).map(([name, data]) => ({ name, data })),
          options,
        )
      : ingestRecords(
          { children: upload.children, ...(upload.dataEnd !== undefined ? { dataEnd: upload.dataEnd } : {}) },
          options,
        );
  if (!outcome.ok) {
    const { report } = outcome;
    const issues = report.problems
      .filter((p) => p.severity === 'error')
      .slice(0, 1000)
      .map((p) => ({ file: p.file, row: p.row, column: p.column, code: p.code, message: p.message }));
    throw new InvalidInput(
      issues,
      report.refusal
        ? `the upload cannot support a forecast: nothing was stored (${report.refusal.message})`
        : 'the upload has errors: nothing was stored',
      { quality: qualitySummary(report) },
    );
  }
  const createdBy = req.principal?.sub;
  let record: Awaited<ReturnType<typeof saveDataset>>;
  try {
    record = await saveDataset(store, outcome.dataset, {
      id,
      format: upload.format,
      mode: upload.mode,
      contentHash,
      createdAt: req.now.toISOString(),
      ...(createdBy ? { createdBy } : {}),
      council,
    });
  } catch (e) {
    const meanwhile = e instanceof Conflict ? await stored() : undefined;
    if (meanwhile) return meanwhile;
    throw e;
  }
  const current = await adoptIfNewer(store, record, req.now.toISOString(), createdBy);
  req.logger.info('dataset stored', {
    id,
    children: record.summary.counts.children,
    errors: record.summary.quality.errors,
    current,
  });
  const view = datasetView(record, current ? record.id : undefined);
  return ok({ ...view, quality: qualitySummary(outcome.dataset.quality) }, 201);
});
