/**
 * The record kinds of issue 4 and the summary each keeps in its small, listable item. Big things (a dataset's
 * children, a resolved scenario, a result) live in blobs, which the store splits into parts.
 */
import { scenarioFromDataset, type Dataset } from '#models/dataset';
import { parseScenario, type InputIssue, type Scenario } from '#models/scenario';
import { InvalidInput } from '#functions/http/errors';
import type { Store, StoredRecord } from './store.js';

export const KIND = { dataset: 'dataset', scenario: 'scenario', forecast: 'forecast' } as const;

export type RunStatus = 'queued' | 'running' | 'complete' | 'failed';

export interface ScenarioSummary {
  name: string;
  status: RunStatus;
  /** 0–100 */
  progress: number;
  reason?: string;
  runs: number;
  horizonMonths: number;
  start: string;
  datasetId?: string;
  startedAt?: string;
  completedAt?: string;
  /** last sign of life from the worker running it */
  heartbeatAt?: string;
  attempts?: number;
  elapsedMs?: number;
}

export interface DatasetSummary {
  format: 'ssda903' | 'records';
  mode: 'strict' | 'lenient';
  /** sha256 of the upload body: the same content is the same dataset */
  contentHash: string;
  period: { start: string; end: string };
  counts: { children: number; episodes: number; rowsRead: number; rowsDropped: number };
  quality: { errors: number; warnings: number; counts: Record<string, number> };
  stock: unknown;
}

export interface ForecastSummary {
  /** the month the forecast was made ("YYYY-MM"), also its id */
  month: string;
  status: RunStatus;
  reason?: string;
  datasetId: string;
  dataEnd: string;
  start: string;
  horizonMonths: number;
  runs: number;
  /** accuracy once later data covers some of its months */
  accuracy?: ForecastAccuracy;
}

export interface ForecastAccuracy {
  /** dataset the actual figures came from */
  datasetId: string;
  assessedAt: string;
  monthsCovered: string[];
  /** share of (month, series) actual values inside P10–P90 */
  coverage: number;
  /** kept in the forecast's `accuracy` blob (the summary item stays small) */
  rows?: Array<{
    month: string;
    series: string;
    actual: number;
    p10: number;
    p50: number;
    p90: number;
    inside: boolean;
  }>;
}

/** Failures are shown to users as a reason, never a stack; issue lists are kept short. */
export function describeIssues(issues: readonly InputIssue[]): string {
  const head = issues.slice(0, 5).map((i) => `${i.path}: ${i.message}`);
  return issues.length > 5 ? `${head.join('; ')}; and ${issues.length - 5} more` : head.join('; ');
}

/**
 * A crashed worker cannot say so: a run whose heartbeat is older than the runner could possibly take is reported
 * as failed, so nothing stays `running` for ever.
 */
export function effectiveStatus<S extends { status: RunStatus; reason?: string; heartbeatAt?: string }>(
  summary: S,
  updatedAt: string,
  now: Date,
  staleSeconds: number,
): S {
  if (summary.status !== 'running') return summary;
  const last = Date.parse(summary.heartbeatAt ?? updatedAt);
  if (now.getTime() - last <= staleSeconds * 1000) return summary;
  return {
    ...summary,
    status: 'failed',
    reason: `stalled: no sign of life from the worker since ${new Date(last).toISOString()}`,
  };
}

/** A stored dataset whole again: its detail blob and its children blob. */
export async function loadDataset(store: Store, record: StoredRecord<DatasetSummary>): Promise<Dataset> {
  const [detail, children] = await Promise.all([
    store.readBlob<Omit<Dataset, 'children'>>(record, 'detail'),
    store.readBlob<Dataset['children']>(record, 'children'),
  ]);
  if (!detail || !children) throw new Error(`dataset ${record.id} has no stored detail`);
  return { ...detail, children };
}

/**
 * The scenario a stored dataset makes with the caller's overrides, validated: the one place that resolves
 * `{ datasetId, overrides }` for scenarios, comparisons and targets. Problems name `datasetId` or `overrides.<field>`.
 */
export async function scenarioForDataset(store: Store, datasetId: string, overrides: unknown): Promise<Scenario> {
  const record = await store.get<DatasetSummary>(KIND.dataset, datasetId);
  if (!record) throw new InvalidInput([{ path: 'datasetId', code: 'not_found', message: 'no dataset with this id' }]);
  const parsed = parseScenario(scenarioFromDataset(await loadDataset(store, record), overrides));
  if (!parsed.ok) {
    throw new InvalidInput(
      parsed.issues.map((i) => ({ ...i, path: `overrides.${i.path}` })),
      'the dataset with these overrides does not make a valid scenario',
    );
  }
  return parsed.value;
}

/** Store a dataset: the detail and the children as blobs (parts first), then the summary item. */
export async function saveDataset(
  store: Store,
  dataset: Dataset,
  meta: {
    id: string;
    format: DatasetSummary['format'];
    mode: DatasetSummary['mode'];
    contentHash: string;
    createdAt: string;
    createdBy?: string;
  },
): Promise<StoredRecord<DatasetSummary>> {
  const { children, ...detail } = dataset;
  const summary: DatasetSummary = {
    format: meta.format,
    mode: meta.mode,
    contentHash: meta.contentHash,
    period: detail.period,
    counts: detail.counts,
    quality: { errors: detail.quality.errors, warnings: detail.quality.warnings, counts: detail.quality.counts },
    stock: detail.stock,
  };
  return store.create(
    {
      kind: KIND.dataset,
      id: meta.id,
      createdAt: meta.createdAt,
      ...(meta.createdBy !== undefined ? { createdBy: meta.createdBy } : {}),
      summary,
    },
    { detail, children },
  );
}
