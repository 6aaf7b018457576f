/**
 * From a regional forecast request whose councils all carry a scenario (whole, or already resolved from a dataset
 * and profile by the API) to a region ready to simulate: each scenario takes the region's start, horizon and runs,
 * and its seed from the region's seed and its position, and is validated by the scenario schema. Problems name the
 * council's place in the request: `councils.1.scenario.costs.weekly.residential: must be ≥ 0`.
 */
import { type InputIssue, type ParseResult, parseScenario } from '../scenario.js';
import type { RegionalForecastRequest } from './schema.js';
import { councilSeed, type RegionalScenario } from './simulate.js';

export function resolveRegion(
  request: RegionalForecastRequest,
  scenarios: readonly unknown[] = request.councils.map((c) => c.scenario),
): ParseResult<RegionalScenario> {
  const issues: InputIssue[] = [];
  const councils: RegionalScenario['councils'] = [];
  request.councils.forEach((c, i) => {
    const input = scenarios[i];
    if (input === undefined || input === null || typeof input !== 'object' || Array.isArray(input)) {
      issues.push({ path: `councils.${i}.scenario`, code: 'required', message: `council ${c.code} needs a scenario` });
      return;
    }
    const stamped = {
      ...(input as Record<string, unknown>),
      start: request.start,
      horizonMonths: request.horizonMonths,
      runs: request.runs,
      seed: councilSeed(request.seed, i),
    };
    const parsed = parseScenario(stamped, { strict: true });
    if (!parsed.ok) {
      for (const issue of parsed.issues) issues.push({ ...issue, path: `councils.${i}.scenario.${issue.path}` });
      return;
    }
    councils.push({ code: c.code, scenario: parsed.value });
  });
  if (issues.length) return { ok: false, issues };
  return {
    ok: true,
    value: {
      name: request.name,
      start: request.start,
      horizonMonths: request.horizonMonths,
      runs: request.runs,
      seed: request.seed,
      councils,
      nts: request.nts,
      shared: request.shared,
      budgets: request.budgets,
    },
  };
}
