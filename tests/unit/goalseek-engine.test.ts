/** Goal seeking with the real engine on the shipped Peterborough scenario (300 runs: the curve, not the tails). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { simulate } from '#models/engine';
import { parseScenario, setPath, type Scenario } from '#models/scenario';
import { goalMetric, goalSeek, GoalSchema, SearchSchema } from '#models/goalseek';
import { DEFAULT_SCENARIO_PATH } from '#models/defaults';

function base(runs: number): Scenario {
  const p = parseScenario({ ...JSON.parse(readFileSync(DEFAULT_SCENARIO_PATH, 'utf8')), runs, seed: 2024 });
  if (!p.ok) throw new Error(JSON.stringify(p.issues));
  return p.value;
}

describe('goal seeking with the engine', () => {
  const scenario = base(300);
  const evaluate = (goal: ReturnType<typeof GoalSchema.parse>) => (value: number) => {
    const p = parseScenario(setPath(scenario, 'capacity.recruitmentPerYear', value));
    if (!p.ok) throw new Error('invalid');
    return goalMetric(simulate(p.value, { collectRunTotals: true }), goal);
  };

  it('finds a recruitment target for agency fostering whose curve is monotone under common random numbers', () => {
    const goal = GoalSchema.parse({ metric: 'agencyFoster', atMost: 95, withProbability: 0.8 });
    const answer = goalSeek(
      SearchSchema.parse({ path: 'capacity.recruitmentPerYear', min: 0, max: 40 }),
      goal.atMost,
      evaluate(goal),
    );
    console.log('agency fostering target', answer.message, answer.curve.map((p) => `${p.value}:${p.metric}`).join(' '));
    expect(answer.reachable).toBe(true);
    expect(answer.monotone).toBe(true);
    const at = answer.curve.find((p) => p.value === answer.value)!;
    const below = answer.curve.filter((p) => p.value < answer.value!);
    expect(at.metric).toBeLessThanOrEqual(95);
    expect(below.every((p) => p.metric > 95)).toBe(true);
  });

  it('reports a goal that no value in the range can meet', () => {
    const goal = GoalSchema.parse({ metric: 'residential', atMost: 0 });
    const answer = goalSeek(
      SearchSchema.parse({ path: 'capacity.recruitmentPerYear', min: 0, max: 40 }),
      0,
      evaluate(goal),
    );
    expect(answer.reachable).toBe(false);
    expect(answer.message).toMatch(/^not reachable within the range 0–40/);
  });
});
