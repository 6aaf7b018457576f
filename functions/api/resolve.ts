/**
 * How a request names the scenario it wants run: a full scenario, or `{ datasetId, overrides }` resolved against the
 * dataset's estimates. Shared by POST /scenarios (the body is one or the other) and POST /comparisons and /targets
 * (whose `base` or `datasetId` is). Problems come back as a 422 whose paths name the request's own fields.
 */
import { applyOverrides, parseScenario, type Scenario } from '#models/scenario';
import { InvalidInput } from '#functions/errors';
import { zodIssues } from '#functions/http/handler';
import { scenarioForDataset } from '#functions/records/dataset';
import { DatasetScenarioRequestSchema } from '#functions/schemas';
import type { Store } from '#functions/store/store';

export interface Resolved {
  scenario: Scenario;
  datasetId?: string;
}

/** The body of POST /scenarios. */
export async function resolveScenarioRequest(store: Store, body: Record<string, unknown>): Promise<Resolved> {
  if (!('datasetId' in body)) {
    const parsed = parseScenario(body, { strict: true });
    if (!parsed.ok) throw new InvalidInput(parsed.issues, 'the scenario is not valid');
    return { scenario: parsed.value };
  }
  const req = DatasetScenarioRequestSchema.safeParse(body);
  if (!req.success) throw new InvalidInput(zodIssues(req.error));
  return {
    scenario: await scenarioForDataset(store, req.data.datasetId, req.data.overrides, {
      ...(req.data.requireProfile !== undefined ? { requireProfile: req.data.requireProfile } : {}),
    }),
    datasetId: req.data.datasetId,
  };
}

export interface BaseRequest {
  base?: Record<string, unknown>;
  datasetId?: string;
  overrides?: Record<string, unknown>;
}

/** The base scenario of a comparison or target: a full scenario (with overrides applied), or a dataset's. */
export async function resolveBase(store: Store, req: BaseRequest): Promise<Resolved> {
  if (req.base !== undefined) {
    const parsed = parseScenario(applyOverrides(req.base, req.overrides), { strict: true });
    if (!parsed.ok)
      throw new InvalidInput(
        parsed.issues.map((i) => ({ ...i, path: `base.${i.path}` })),
        'the base scenario is not valid',
      );
    return { scenario: parsed.value };
  }
  const datasetId = req.datasetId ?? '';
  return { scenario: await scenarioForDataset(store, datasetId, req.overrides), datasetId };
}
