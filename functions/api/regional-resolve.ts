/**
 * How a request names a region's councils: each council's scenario given whole, from a stored dataset of that council
 * with overrides, or — naming neither — from the council's current dataset and profile (with any overrides), the way a
 * single-council forecast resolves. Shared by POST /regional-forecasts and the regional base of POST /comparisons and
 * /targets. The caller must be a region's user and every council one of that region's. Problems come back as one 422
 * whose paths name the request's own fields (`<prefix>councils.1.datasetId`).
 */
import { resolveRegion } from '#models/region/resolve';
import type { RegionalForecastRequest } from '#models/region/schema';
import type { RegionalScenario } from '#models/region/simulate';
import { Forbidden, InvalidInput, type Issue, NotFound } from '#functions/errors';
import { currentDataset } from '#functions/records/current-dataset';
import { loadDataset, scenarioForDataset, scenarioForDatasetRecord } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import type { RegionSummary } from '#functions/records/region';
import type { Store, StoredRecord } from '#functions/store/store';
import { describeTenant, type Tenant } from '#functions/tenancy';

/**
 * The caller's region (regional work is a region's users': the tenant comes from the token) and a 422 naming each
 * council of the request that is not one of its councils — or one saying the region has no councils at all.
 */
export async function regionOf(
  store: Store,
  tenant: Tenant | undefined,
  request: Pick<RegionalForecastRequest, 'councils'>,
  prefix = '',
): Promise<StoredRecord<RegionSummary>> {
  if (tenant?.region === undefined)
    throw new Forbidden(
      `regional work is a region's users': ${tenant ? `${describeTenant(tenant)}'s` : 'your'} token names no region`,
    );
  const region = await store.get<RegionSummary>(KIND.region, tenant.region);
  if (!region) throw new NotFound(`no region ${tenant.region}: define it first (PUT /regions/${tenant.region})`);
  // A region whose last council left stays (its users and forecasts do) with an empty list: say so, not "council X is
  // not a council of region Y" for each council the request names.
  if (region.summary.councils.length === 0)
    throw new InvalidInput(
      [
        {
          path: `${prefix}councils`,
          code: 'region_empty',
          message: `region ${region.id} has no councils: every council on its list has left it. A council joins by naming the region on its profile (its data manager: PUT /councils/{code}); then the region's data manager lists it (PUT /regions/${region.id})`,
        },
      ],
      `region ${region.id} has no councils`,
    );
  const issues: Issue[] = [];
  request.councils.forEach((c, i) => {
    if (!region.summary.councils.includes(c.code))
      issues.push({
        path: `${prefix}councils.${i}.code`,
        code: 'not_in_region',
        message: `council ${c.code} is not a council of region ${region.id}`,
      });
  });
  if (issues.length) throw new InvalidInput(issues, 'every council must belong to the region');
  return region;
}

type Council = RegionalForecastRequest['councils'][number];

/** One council's scenario input; problems are pushed to `issues` with paths under `at`. */
async function councilScenario(
  store: Store,
  c: Council,
  at: string,
  issues: Issue[],
): Promise<{ scenario?: unknown; datasetId?: string }> {
  if (c.scenario !== undefined) return { scenario: c.scenario };
  const named = (e: unknown): { scenario?: unknown } => {
    if (!(e instanceof InvalidInput)) throw e;
    for (const issue of e.issues) issues.push({ ...issue, path: `${at}.${issue.path ?? ''}` });
    return {};
  };
  if (c.datasetId !== undefined) {
    // the dataset must be that council's own (the caller's region reads its councils' datasets)
    const dataset = await store.get(KIND.dataset, c.datasetId);
    if (dataset?.tenant !== `council:${c.code}`) {
      issues.push({
        path: `${at}.datasetId`,
        code: 'not_found',
        message: `council ${c.code} has no dataset with this id`,
      });
      return {};
    }
    const datasetId = c.datasetId;
    return scenarioForDataset(store, datasetId, c.overrides).then((scenario) => ({ scenario, datasetId }), named);
  }
  // neither: the council's current dataset and profile, as its own forecasts use them
  const current = await currentDataset(store, c.code);
  if (!current) {
    issues.push({
      path: at,
      code: 'no_current_dataset',
      message: `council ${c.code} has no current dataset: its data manager uploads one (POST /datasets), or give this council a datasetId or a whole scenario`,
    });
    return {};
  }
  return scenarioForDatasetRecord(store, current, await loadDataset(store, current), c.overrides).then(
    (scenario) => ({ scenario, datasetId: current.id }),
    named,
  );
}

export interface ResolvedRegion {
  region: StoredRecord<RegionSummary>;
  /** the request with every council's scenario whole (the form stored and run) */
  inputs: RegionalForecastRequest;
  /** ready to simulate */
  value: RegionalScenario;
  /** the dataset each council's scenario was made from, when it was */
  datasets: Record<string, string>;
}

/** The region of a request, resolved and validated (see the module comment); `prefix` is the request's field. */
export async function resolveRegionalRequest(
  store: Store,
  tenant: Tenant | undefined,
  request: RegionalForecastRequest,
  prefix = '',
): Promise<ResolvedRegion> {
  const region = await regionOf(store, tenant, request, prefix);
  const issues: Issue[] = [];
  const found = await Promise.all(
    request.councils.map((c, i) => councilScenario(store, c, `${prefix}councils.${i}`, issues)),
  );
  const scenarios = found.map((f) => f.scenario);
  if (issues.length) throw new InvalidInput(issues, 'the councils’ scenarios could not be resolved');
  const resolved = resolveRegion(request, scenarios);
  if (!resolved.ok)
    throw new InvalidInput(
      resolved.issues.map((i) => ({ ...i, path: `${prefix}${i.path}` })),
      'the region is not valid',
    );
  const datasets: Record<string, string> = {};
  found.forEach((f, i) => {
    if (f.datasetId !== undefined) datasets[request.councils[i]!.code] = f.datasetId;
  });
  const councils = request.councils.map((c, i) => ({
    code: c.code,
    scenario: scenarios[i] as Record<string, unknown>,
  }));
  return { region, inputs: { ...request, councils }, value: resolved.value, datasets };
}
