import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { DEFAULT_SCENARIO_PATH } from './models/defaults.js';
import { simulate } from './models/engine.js';
import { parseScenario } from './models/scenario.js';
const p = parseScenario(JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH,'utf8')));
if (!p.ok) throw 1;
const s = { ...p.value, horizonMonths: 60, runs: 10000 };
simulate({...s, runs: 300});
let best = 1e9; let r: any;
for (let i = 0; i < 4; i++) { const t = performance.now(); r = simulate(s); best = Math.min(best, performance.now() - t); }
const h = createHash('sha1').update(JSON.stringify({ ...r, elapsedMs: 0 })).digest('hex').slice(0, 12);
const u = simulate({ ...s, runs: 500, uncertainty: { parameters: true } });
const h2 = createHash('sha1').update(JSON.stringify({ ...u, elapsedMs: 0 })).digest('hex').slice(0, 12);
console.log('best ms', best.toFixed(0), 'hash', h, h2);
