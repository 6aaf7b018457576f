/**
 * The `regional-forecast` record: one queued regional forecast. Blobs: `region` (the resolved region:
 * every council's whole scenario, the rota and the shared places), `result`, `runTotals`.
 */
import { config } from '#functions/config';
import type { StoredRecord } from '#functions/store/store';
import { type RunRecordSummary, runRecordView } from './status.js';

export interface RegionalForecastSummary extends RunRecordSummary {
  /** the region it was made for */
  region: string;
  /** the member councils in rota order */
  councils: string[];
  /** the dataset each council's scenario was made from (councils given a whole scenario are not listed) */
  datasets?: Record<string, string>;
}

export function regionalForecastView(r: StoredRecord<RegionalForecastSummary>, now: Date) {
  return runRecordView(r, now, config().STALE_RUN_SECONDS, (s) => ({
    region: s.region,
    councils: s.councils,
    ...(s.datasets !== undefined ? { datasets: s.datasets } : {}),
  }));
}
