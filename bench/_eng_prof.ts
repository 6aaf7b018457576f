import { readFileSync } from 'node:fs';
import { simulate } from '../models/engine/index.js';
import { parseScenario } from '../models/scenario.js';
const p = parseScenario(JSON.parse(readFileSync('data/scenarios/peterborough-2018.json', 'utf8')));
if (!p.ok) throw new Error('bad');
const base = { ...p.value, horizonMonths: 60 };
simulate({ ...base, runs: 3000 });
