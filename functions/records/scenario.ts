/** The `scenario` record: one queued scenario run. Blobs: `scenario` (resolved input), `result`, `runTotals`. */
import type { ForecastResult } from '#models/result';
import { config } from '#functions/config';
import { Conflict, NotFound } from '#functions/errors';
import type { Store, StoredRecord } from '#functions/store/store';
import { KIND } from './kinds.js';
import { effectiveStatus, type RunRecordSummary, runRecordView } from './status.js';

export interface ScenarioSummary extends RunRecordSummary {
  datasetId?: string;
  /** the council (ONS code) and its profile version the scenario was resolved with */
  council?: string;
  profileVersion?: number;
}

/** What clients see of a scenario (lists, and the head of GET /scenarios/{id}); the effective status. */
export function scenarioView(r: StoredRecord<ScenarioSummary>, now: Date) {
  return runRecordView(r, now, config().STALE_RUN_SECONDS, (s) => ({
    ...(s.datasetId !== undefined ? { datasetId: s.datasetId } : {}),
    ...(s.council !== undefined ? { council: s.council } : {}),
    ...(s.profileVersion !== undefined ? { profileVersion: s.profileVersion } : {}),
  }));
}

/** A complete scenario with its resolved inputs and result, for exports and charts; 404 / 409 otherwise. */
export async function loadCompleteScenario(
  store: Store,
  id: string,
  now: Date,
): Promise<{ record: StoredRecord<ScenarioSummary>; scenario: unknown; result: ForecastResult }> {
  const record = await store.get<ScenarioSummary>(KIND.scenario, id);
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
