import { readFileSync } from 'node:fs';
import { simulate } from '../models/engine/index.js';
import { parseScenario } from '../models/scenario.js';
import { floorLoop } from '../bench/floor.js';
const p = parseScenario(JSON.parse(readFileSync('/work/h-lead/data/scenarios/peterborough-2018.json', 'utf8')));
if (!p.ok) throw new Error('bad');
const base = { ...p.value, horizonMonths: 60 };
const runs = Number(process.argv[2] ?? 3000);
simulate({ ...base, runs: 300 });
floorLoop(base, 300);
for (let k = 0; k < 2; k++) {
const t0 = performance.now();
const r = simulate({ ...base, runs });
const s = (performance.now() - t0) / 1000;
const cm = r.population.total.mean.reduce((a, b) => a + b, 0) * runs;
const f = floorLoop(base, runs);
console.log('engine s', s.toFixed(2), 'cm/s', Math.round(cm / s), 'floor cm/s', Math.round(f.childMonths / f.seconds), 'ratio', ((cm / s) / (f.childMonths / f.seconds)).toFixed(3));
}
import { featureScenario } from './features.js';
const off = { ...featureScenario(base, 'off'), runs };
simulate({ ...off, runs: 300 });
for (let k = 0; k < 2; k++) {
const t0 = performance.now();
const r = simulate(off);
const s = (performance.now() - t0) / 1000;
const cm = r.population.total.mean.reduce((a, b) => a + b, 0) * runs;
const f = floorLoop(base, runs);
console.log('OFF engine s', s.toFixed(2), 'cm/s', Math.round(cm / s), 'floor cm/s', Math.round(f.childMonths / f.seconds), 'ratio', ((cm / s) / (f.childMonths / f.seconds)).toFixed(3));
}
