/**
 * POST /regional-forecasts: the region's councils forecast together. Each council comes with a whole scenario, or a
 * stored dataset and overrides; every council must belong to the region (PUT /regions/{id}). The resolved region —
 * every council's scenario whole, with the region's start, horizon, runs and seed — is validated, then submitted:
 * stored (the `region` blob, then the queued status item) and queued. Any problem is one 422 naming every field;
 * nothing is stored.
 */
import { randomUUID } from 'node:crypto';
import { resolveRegion } from '#models/region/resolve';
import { RegionalForecastSchema, type RegionalForecastRequest } from '#models/region/schema';
import type { Scenario } from '#models/scenario';
import { Forbidden, InvalidInput, type Issue, NotFound } from '#functions/errors';
import { httpRoute, ok } from '#functions/http/handler';
import { submitJob } from '#functions/jobs/submit';
import { getQueue } from '#functions/queue/index';
import { scenarioForDataset } from '#functions/records/dataset';
import { JOB, KIND, newId } from '#functions/records/kinds';
import type { RegionalForecastSummary } from '#functions/records/regional-forecast';
import type { RegionSummary } from '#functions/records/region';
import { getStore, rawStore } from '#functions/store/index';
import type { Store, StoredRecord } from '#functions/store/store';
import { describeTenant, scopedStore, type Tenant } from '#functions/tenancy';
import { currentDataset } from '#functions/records/current-dataset';

/** The store as a council's own users see it (the council is one of the caller's region's: checked before). */
const councilView = (code: string): Store => scopedStore(rawStore(), { tenant: { council: code } });

/**
 * The caller's region (a regional forecast is made by a region's users: the tenant comes from the token) and a 422
 * naming each council of the request that is not one of its councils.
 */
async function regionOf(
  store: Store,
  tenant: Tenant | undefined,
  request: RegionalForecastRequest,
): Promise<StoredRecord<RegionSummary>> {
  if (tenant?.region === undefined)
    throw new Forbidden(
      `a regional forecast is made by a region's users: ${tenant ? `${describeTenant(tenant)}'s` : 'your'} token names no region`,
    );
  const region = await store.get<RegionSummary>(KIND.region, tenant.region);
  if (!region) throw new NotFound(`no region ${tenant.region}: define it first (PUT /regions/${tenant.region})`);
  const issues: Issue[] = [];
  request.councils.forEach((c, i) => {
    if (!region.summary.councils.includes(c.code))
      issues.push({
        path: `councils.${i}.code`,
        code: 'not_in_region',
        message: `council ${c.code} is not a council of region ${region.id}`,
      });
  });
  if (issues.length) throw new InvalidInput(issues, 'every council must belong to the region');
  return region;
}

/**
 * Each council's scenario: given whole, or a dataset's with overrides — the dataset named, else the council's current
 * one. Problems name `councils.<i>.<field>`.
 */
async function councilScenarios(store: Store, request: RegionalForecastRequest): Promise<unknown[]> {
  const issues: Issue[] = [];
  const scenarios = await Promise.all(
    request.councils.map(async (c, i): Promise<Scenario | Record<string, unknown> | undefined> => {
      if (c.scenario !== undefined) return c.scenario;
      // neither a scenario nor a dataset: the council's current dataset, as the council's own users see it
      const datasetId = c.datasetId ?? (await currentDataset(councilView(c.code), c.code))?.id;
      if (datasetId === undefined) {
        issues.push({
          path: `councils.${i}`,
          code: 'required',
          message: `council ${c.code} has no dataset yet: give a whole scenario or a datasetId`,
        });
        return undefined;
      }
      // the dataset must be that council's own (the caller's region reads its councils' datasets)
      const dataset = await store.get(KIND.dataset, datasetId);
      if (dataset?.tenant !== `council:${c.code}`) {
        issues.push({
          path: `councils.${i}.datasetId`,
          code: 'not_found',
          message: `council ${c.code} has no dataset with this id`,
        });
        return undefined;
      }
      try {
        return await scenarioForDataset(store, datasetId, c.overrides);
      } catch (e) {
        if (!(e instanceof InvalidInput)) throw e;
        for (const issue of e.issues) issues.push({ ...issue, path: `councils.${i}.${issue.path ?? ''}` });
        return undefined;
      }
    }),
  );
  if (issues.length) throw new InvalidInput(issues, 'the councils’ scenarios could not be resolved');
  return scenarios;
}

export const handler = httpRoute('CreateRegionalForecast', { body: RegionalForecastSchema }, async (req) => {
  const store = getStore();
  const request = req.body;
  const region = await regionOf(store, req.principal?.tenant, request);
  const scenarios = await councilScenarios(store, request);
  const resolved = resolveRegion(request, scenarios);
  if (!resolved.ok) throw new InvalidInput(resolved.issues, 'the region is not valid');
  // stored in the request's own form, every council with its scenario whole (the job validates it again)
  const inputs = {
    name: request.name,
    start: request.start,
    horizonMonths: request.horizonMonths,
    runs: request.runs,
    seed: request.seed,
    councils: request.councils.map((c, i) => ({ code: c.code, scenario: scenarios[i] })),
    nts: request.nts,
    shared: request.shared,
    budgets: request.budgets,
  };
  const id = newId('regionalForecast', randomUUID);
  const summary: RegionalForecastSummary = {
    name: request.name,
    status: 'queued',
    progress: 0,
    region: region.id,
    councils: request.councils.map((c) => c.code),
    runs: request.runs,
    horizonMonths: request.horizonMonths,
    start: request.start,
  };
  await submitJob(
    store,
    getQueue(),
    {
      main: {
        record: {
          kind: KIND.regionalForecast,
          id,
          createdAt: req.now.toISOString(),
          ...(req.principal ? { createdBy: req.principal.sub } : {}),
          summary,
        },
        blobs: { region: inputs },
      },
      messages: [{ kind: JOB.regionalForecast, id }],
    },
    req.logger,
  );
  req.logger.info('regional forecast queued', { id, councils: summary.councils.length, runs: request.runs });
  return { ...ok({ id, status: 'queued' }, 202), headers: { location: `/regional-forecasts/${id}` } };
});
