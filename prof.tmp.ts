import { readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO_PATH } from './models/defaults.js';
import { simulate } from './models/engine.js';
import { parseScenario } from './models/scenario.js';
const p = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH,'utf8')));
if (!p.ok) throw 1;
const s = { ...p.value, horizonMonths: 60, runs: 10000 };
simulate({...s, runs: 300});
const t=performance.now(); simulate(s); console.log(performance.now()-t);
