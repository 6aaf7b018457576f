/**
 * One variant of bench/features.ts timed in this process (run by `timeFeatures`, one process per variant and round):
 * `node --import tsx bench/feature-one.ts <variant> <runs>` prints {"cpuMs", "wallMs"} a run.
 */
import { readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO_PATH } from '../models/defaults.js';
import { parseScenario } from '../models/scenario.js';
import { FEATURE_VARIANTS, type FeatureVariant, timeVariant } from './features.js';

const [variant, runsArg] = process.argv.slice(2);
if (!FEATURE_VARIANTS.includes(variant as FeatureVariant)) {
  console.error(`usage: feature-one.ts <${FEATURE_VARIANTS.join('|')}> <runs>`);
  process.exit(2);
}
const parsed = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')));
if (!parsed.ok) throw new Error('default scenario is invalid');
console.log(
  JSON.stringify(timeVariant({ ...parsed.value, horizonMonths: 60 }, variant as FeatureVariant, Number(runsArg))),
);
