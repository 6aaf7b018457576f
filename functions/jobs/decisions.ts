/**
 * Records of the decision tools (issue 6) and what their handlers and jobs share: the record kinds and summaries,
 * and how a request's base scenario is resolved (a full scenario, or a dataset + overrides, like POST /scenarios).
 *
 * A comparison is one `comparison` record (the request, the resolved base, and the paired summary once complete) and
 * one `comparison-variant` record per variant, each run by its own queue message so variants fan out on AWS. Variants
 * never write to the comparison's summary concurrently except to finish it, which is a conditional update.
 */
import { stockByMonth, type Dataset } from '#models/dataset';
import type { ForecastResult, Series } from '#models/result';
import { applyOverrides, parseScenario, type Scenario } from '#models/scenario';
import { config } from '#functions/config';
import { Conflict, InvalidInput, NotFound } from '#functions/http/errors';
import type { Store, StoredRecord } from '#functions/store/store';
import {
  KIND as SERVICE_KIND,
  effectiveStatus,
  scenarioForDataset,
  type DatasetSummary,
  type RunStatus,
  type ScenarioSummary,
} from '#functions/store/records';

export const DECISION_KIND = {
  comparison: 'comparison',
  variant: 'comparison-variant',
  target: 'target',
} as const;

export const JOB = {
  variant: 'comparison-variant',
  target: 'target',
} as const;

export interface ComparisonRecordSummary {
  status: RunStatus;
  reason?: string;
  runs: number;
  seed: number;
  datasetId?: string;
  /** names (and sweep values) in order; index 0 is the base */
  variants: { name: string; value?: number }[];
  completedAt?: string;
}

export interface VariantRecordSummary {
  comparisonId: string;
  index: number;
  name: string;
  /** the swept path and value, for a sweep */
  path?: string;
  value?: number;
  status: RunStatus;
  /** 0–100 while running */
  progress?: number;
  reason?: string;
  startedAt?: string;
  heartbeatAt?: string;
  completedAt?: string;
  elapsedMs?: number;
}

export interface TargetRecordSummary {
  status: RunStatus;
  progress: number;
  reason?: string;
  runs: number;
  datasetId?: string;
  path: string;
  metric: string;
  startedAt?: string;
  heartbeatAt?: string;
  completedAt?: string;
}

export const variantId = (comparisonId: string, index: number): string => `${comparisonId}.${index}`;

export interface BaseRequest {
  base?: Record<string, unknown>;
  datasetId?: string;
  overrides?: Record<string, unknown>;
}

/** The base scenario of a comparison or target: a full scenario (with overrides applied), or a dataset's. */
export async function resolveBase(store: Store, req: BaseRequest): Promise<{ scenario: Scenario; datasetId?: string }> {
  if (req.base !== undefined) {
    const parsed = parseScenario(applyOverrides(req.base, req.overrides));
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

/** A complete scenario with its resolved inputs and result, for exports and charts; 404 / 409 otherwise. */
export async function loadCompleteScenario(
  store: Store,
  id: string,
  now: Date,
): Promise<{ record: StoredRecord<ScenarioSummary>; scenario: unknown; result: ForecastResult }> {
  const record = await store.get<ScenarioSummary>(SERVICE_KIND.scenario, id);
  if (!record) throw new NotFound(`no scenario ${id}`);
  const s = effectiveStatus(record.summary, record.updatedAt, now, config().STALE_RUN_SECONDS);
  if (s.status !== 'complete')
    throw new Conflict(`scenario ${id} is ${s.status}: there is nothing to export until it is complete`);
  const [scenario, result] = await Promise.all([
    store.readBlob(record, 'scenario'),
    store.readBlob<ForecastResult>(record, 'result'),
  ]);
  if (!result) throw new Conflict(`scenario ${id} has no result`);
  return { record, scenario, result };
}

/** Recorded monthly stock of one series from the dataset behind a scenario, for the history part of a chart. */
export async function recordedHistory(
  store: Store,
  datasetId: string | undefined,
  series: Series,
): Promise<{ month: string; value: number }[]> {
  if (!datasetId) return [];
  const record = await store.get<DatasetSummary>(SERVICE_KIND.dataset, datasetId);
  if (!record) return [];
  const [detail, children] = await Promise.all([
    store.readBlob<Omit<Dataset, 'children'>>(record, 'detail'),
    store.readBlob<Dataset['children']>(record, 'children'),
  ]);
  if (!detail || !children) return [];
  return stockByMonth({ ...detail, children } as Dataset).map((m) => ({
    month: m.month,
    value: series === 'total' ? m.total : (m.byCategory[series] ?? 0),
  }));
}
