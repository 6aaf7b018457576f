/**
 * The demo tenants of `npm start`: two councils in one region (bin/local/auth.ts names them), each with a profile
 * naming the region and the demo dataset (data/demo/) loaded as its own, the first with this month's baseline
 * forecast, and the region defined with the councils that joined it.
 * Only what is missing is made, so a restart changes nothing.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '#functions/http/logger';
import { parseCouncilProfile } from '#models/council';
import { type CouncilSummary, ensureDemoCouncil, putCouncilProfile } from '#functions/records/council';
import { saveDataset } from '#functions/records/dataset';
import { KIND } from '#functions/records/kinds';
import type { Store } from '#functions/store/store';
import { scopedStore } from '#functions/tenancy';
import { DEMO_COUNCILS, DEMO_REGION } from './auth.js';
import { ROOT } from './paths.js';

export async function setUpDemoTenants(store: Store, salt: string, say: (line: string) => void, log: Logger) {
  // Each council joins the demo region by its own profile (its consent: docs/regions.md) before the region lists it.
  // Peterborough gets the profile the demo data belong to (docs/COUNCILS.md); Cambridgeshire, which borrows the demo
  // data, the least a profile is — a name — and the region (every other figure is then the example's, and a forecast
  // says so). A council that already has a profile keeps it, whatever it names.
  for (const [i, council] of DEMO_COUNCILS.entries()) {
    const own = scopedStore(store, { tenant: { council: council.code } });
    if (await own.get(KIND.council, council.code)) continue;
    const profile =
      i === 0
        ? await ensureDemoCouncil(own, new Date(), DEMO_REGION.id)
        : await putDemoProfile(own, council.code, council.name);
    say(`created the ${council.name} council profile ${council.code} v${profile.version}, in region ${DEMO_REGION.id}`);
  }
  if (!(await store.get(KIND.region, DEMO_REGION.id))) {
    const heads = await store.getMany<CouncilSummary>(
      KIND.council,
      DEMO_COUNCILS.map((c) => c.code),
    );
    const councils = DEMO_COUNCILS.filter((_, i) => heads[i]?.summary.region === DEMO_REGION.id).map((c) => c.code);
    if (councils.length)
      await store.create({
        kind: KIND.region,
        id: DEMO_REGION.id,
        createdAt: new Date().toISOString(),
        tenant: `region:${DEMO_REGION.id}`,
        summary: { name: DEMO_REGION.name, councils },
      });
    else say(`no demo council names region ${DEMO_REGION.id} on its profile: the region was not made`);
  }
  for (const [i, council] of DEMO_COUNCILS.entries()) {
    const own = scopedStore(store, { tenant: { council: council.code } });
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

/** A minimal profile (a name) naming the demo region. */
async function putDemoProfile(store: Store, code: string, name: string): Promise<{ version: number }> {
  const parsed = parseCouncilProfile({ name, region: DEMO_REGION.id });
  if (!parsed.ok) throw new Error(`the demo profile of ${code} is not valid: ${parsed.issues[0]?.path}`);
  return putCouncilProfile(store, code, parsed.value, { now: new Date() });
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
  const { ingestYear, loadDataDirectory } = await import('../data-dir.js');
  const outcome = await loadDataDirectory(demoDir, { mode: 'lenient', salt, referenceYear: ingestYear() });
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
