/**
 * The demo tenants of `npm start`: two councils in one region (bin/local/auth.ts names them), each with the demo
 * dataset (data/demo/) loaded as its own, the first with this month's baseline forecast, and the region defined.
 * Only what is missing is made, so a restart changes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '#functions/http/logger';
import { ensureDemoCouncil } from '#functions/records/council';
import { saveDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import type { Store } from '#functions/store/store';
import { scopedStore } from '#functions/tenancy';
import { DEMO_COUNCILS, DEMO_REGION } from './auth.js';
import { ROOT } from './paths.js';

export async function setUpDemoTenants(store: Store, salt: string, say: (line: string) => void, log: Logger) {
  if (!(await store.get(KIND.region, DEMO_REGION.id)))
    await store.create({
      kind: KIND.region,
      id: DEMO_REGION.id,
      createdAt: new Date().toISOString(),
      tenant: `region:${DEMO_REGION.id}`,
      summary: { name: DEMO_REGION.name, councils: DEMO_COUNCILS.map((c) => c.code) },
    });
  for (const [i, council] of DEMO_COUNCILS.entries()) {
    const own = scopedStore(store, { tenant: { council: council.code } });
    // the demo data belong to Peterborough, whose profile (docs/COUNCILS.md) is created with them
    if (i === 0 && !(await own.get(KIND.council, council.code))) {
      const profile = await ensureDemoCouncil(own, new Date());
      say(`created the Peterborough council profile ${profile.code} v${profile.version} (docs/COUNCILS.md)`);
    }
    if (!(await loadDemoIfEmpty(own, council.code, council.datasetId, salt, say)) || i > 0) continue;
    // First start: make this month's baseline forecast from the demo data, so the dashboard opens on a forecast
    // (the monthly schedule does this on AWS; POST /forecasts/run does it on demand).
    try {
      const { runMonthlyForecast } = await import('../../functions/jobs/monthly-forecast.js');
      const outcome = await runMonthlyForecast(own, new Date(), log, council.code);
      say(`made ${council.name}'s monthly baseline forecast ${outcome.forecast.month} from the demo data`);
    } catch (e) {
      say(`the first monthly forecast could not be made (${(e as Error).name}); run it with POST /forecasts/run`);
    }
  }
}

/** Loads data/demo/ as the council's dataset when it has none; true when it did. */
async function loadDemoIfEmpty(
  store: Store,
  council: string,
  id: string,
  salt: string,
  say: (line: string) => void,
): Promise<boolean> {
  const demoDir = join(ROOT, 'data', 'demo');
  if (!existsSync(demoDir)) return false;
  const { items } = await store.list(KIND.dataset, { limit: 1 });
  if (items.length > 0) return false;
  const { loadDataDirectory } = await import('../data-dir.js');
  const outcome = await loadDataDirectory(demoDir, { mode: 'lenient', salt });
  if (!outcome.ok) {
    say(`the demo data in ${demoDir} could not be loaded (${outcome.report.errors} errors)`);
    return false;
  }
  const record = await saveDataset(store, outcome.dataset, {
    id,
    format: outcome.dataset.format,
    mode: 'lenient',
    contentHash: 'demo',
    council,
    createdAt: new Date().toISOString(),
  });
  say(
    `loaded the demo dataset (${record.summary.counts.children} children, data to ${record.summary.period.end}) as ${record.id}`,
  );
  return true;
}
