/**
 * Sharded jobs in the local service: a scenario above the local shard size (models/shards.ts) runs as one
 * `shard` job per job process through the job host, then one `shard-merge` job; its stored result equals the
 * one-process result (counts and quantiles identical, money means within 1e-12). A small one stays one job. A shard
 * message for a finished job is dropped. Polls end on states.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SHARD_JOB, SHARD_MERGE_JOB, SHARD_RECORD, shardRecordId } from '#functions/jobs/shards';
import { getQueue } from '#functions/queue/index';
import { simulate } from '#models/engine';
import { applyRegionalOverrides, regionalOutcomeOf, summariseRegionalComparison } from '#models/region/compare';
import { resolveRegion } from '#models/region/resolve';
import type { RegionalForecastResult } from '#models/region/result';
import { parseRegionalForecast } from '#models/region/schema';
import { regionWorkUnits } from '#models/region/shards';
import { simulateRegion } from '#models/region/simulate';
import { parseScenario } from '#models/scenario';
import { LOCAL_WORK_PER_SHARD, workUnits } from '#models/shards';
import { useLocalService } from '../support/local-service.js';
import { expectSameResult } from '../fixtures/same-result.js';

const BASE = JSON.parse(
  readFileSync(new URL('../../data/scenarios/peterborough-2018.json', import.meta.url), 'utf8'),
) as Record<string, unknown>;

const { service, call, untilDone } = useLocalService({ workers: 2, drainSeconds: 0 });

/** job kinds the host finished, in order */
function watchFinished(): { kind: string; ok: boolean }[] {
  const seen: { kind: string; ok: boolean }[] = [];
  service().events.on('finished', (f: { message: { kind: string }; ok: boolean }) =>
    seen.push({ kind: f.message.kind, ok: f.ok }),
  );
  return seen;
}

/** wait for a state (the host reports a job finished just after the job has written its record) */
async function until(cond: () => boolean): Promise<void> {
  while (!cond()) await new Promise((r) => setTimeout(r, 20));
}

/** A merged regional result against the one-process one: counts and quantiles bit for bit, money means to 1e-12. */
function expectSameRegionalResult(got: RegionalForecastResult, want: RegionalForecastResult): void {
  // the stored result keeps no per-run totals (the region's are read apart); means and SDs are compared below
  const strip = (r: unknown) =>
    JSON.parse(
      JSON.stringify(r, (k, v) =>
        k === 'elapsedMs' || k === 'runTotals' ? undefined : k === 'mean' || k === 'sd' ? 0 : v,
      ),
    );
  expect(strip(got)).toEqual(strip(want));
  const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThanOrEqual(1e-12 * Math.abs(b));
  got.region.cost.financialYears.forEach((fy, f) => close(fy.mean, want.region.cost.financialYears[f]!.mean));
  for (const code of want.councilOrder)
    got.councils[code]!.cost.financialYears.forEach((fy, f) =>
      close(fy.mean, want.councils[code]!.cost.financialYears[f]!.mean),
    );
  // counts' means are exact sums of whole numbers
  expect(got.region.population.total.mean).toEqual(want.region.population.total.mean);
}

describe('sharded jobs in the local service', () => {
  it('run a large scenario as one shard per job process, merged into the one-process result', async () => {
    const finished = watchFinished();
    const input = { ...BASE, name: 'sharded', runs: 3000, seed: 77 };
    const parsed = parseScenario(input);
    if (!parsed.ok) throw new Error('invalid');
    expect(workUnits(parsed.value)).toBeGreaterThanOrEqual(2 * LOCAL_WORK_PER_SHARD);
    const posted = await call('POST', '/scenarios', { token: service().tokens.finance, body: input });
    expect(posted.status).toBe(202);
    const done = await untilDone(posted.body.id, service().tokens.finance);
    expect(done.body.status).toBe('complete');
    await until(() => finished.some((f) => f.kind === SHARD_MERGE_JOB));
    expect(finished.filter((f) => f.kind === SHARD_JOB)).toEqual([
      { kind: SHARD_JOB, ok: true },
      { kind: SHARD_JOB, ok: true },
    ]);
    expect(finished.filter((f) => f.kind === SHARD_MERGE_JOB)).toEqual([{ kind: SHARD_MERGE_JOB, ok: true }]);
    expect(finished.some((f) => f.kind === 'scenario')).toBe(false);
    expectSameResult(done.body.result, simulate(parsed.value, { collectRunTotals: true }));
    // the shards' summaries are removed once merged
    for (const i of [0, 1])
      expect(await service().store.get(SHARD_RECORD, shardRecordId('scenario', posted.body.id, i))).toBeUndefined();

    // a shard message for the finished job is dropped: nothing stored, the result unchanged
    const before = (await service().store.get('scenario', posted.body.id))!;
    await getQueue().send({
      kind: SHARD_JOB,
      id: posted.body.id,
      job: 'scenario',
      shard: { index: 0, of: 2, from: 0, to: 1500 },
    });
    await new Promise<void>((r) =>
      service().events.once('finished', (f: { message: { kind: string } }) => f.message.kind === SHARD_JOB && r()),
    );
    expect(await service().store.get(SHARD_RECORD, shardRecordId('scenario', posted.body.id, 0))).toBeUndefined();
    expect((await service().store.get('scenario', posted.body.id))!.updatedAt).toBe(before.updatedAt);
  });

  it('runs a large comparison variant in shards, its per-run totals in run order (paired savings exact)', async () => {
    const finished = watchFinished();
    const body = {
      // recruitment fixed at 12 in the base (the default scenario gives it as a range; a sweep value is a fixed number)
      base: { ...BASE, capacity: { ...(BASE.capacity as object), recruitmentPerYear: 12 }, runs: 3000, seed: 7 },
      // 12 a year is the base's own value: the same runs, so every paired difference must be exactly zero
      sweep: { path: 'capacity.recruitmentPerYear', values: [12, 30] },
    };
    const created = await call('POST', '/comparisons', { token: service().tokens.finance, body });
    expect(created.status).toBe(202);
    let c: { status: string; summary: any };
    for (;;) {
      c = (await call('GET', `/comparisons/${created.body.id}`, { token: service().tokens.finance })).body;
      if (c.status === 'complete' || c.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(c.status).toBe('complete');
    await until(() => finished.filter((f) => f.kind === SHARD_MERGE_JOB).length === 3);
    // base and two variants, two shards each
    expect(finished.filter((f) => f.kind === SHARD_JOB && f.ok)).toHaveLength(6);
    expect(finished.some((f) => f.kind === 'comparison-variant')).toBe(false);
    const same = c.summary.variants[1];
    expect(same.value).toBe(12);
    expect(same.saving.horizon).toMatchObject({ mean: 0, sd: 0 });
    // 30 households a year instead of 12: fewer children overflow into agency and residential care
    expect(c.summary.variants[2].saving.horizon.mean).toBeGreaterThan(4 * c.summary.variants[2].saving.horizon.se);
  });

  it('keeps the plan on the record, and a delete while the shards run leaves no shard summary behind', async () => {
    const finished = watchFinished();
    const input = { ...BASE, name: 'deleted while sharded', runs: 3000, seed: 78 };
    const token = service().tokens.finance;
    const posted = await call('POST', '/scenarios', { token, body: input });
    expect(posted.status).toBe(202);
    const id = posted.body.id as string;
    // the record keeps how its job was split, from the moment it is stored
    expect((await service().store.get('scenario', id))!.summary).toMatchObject({ shards: { of: 2, runs: 3000 } });
    for (;;) {
      const r = await call('GET', `/scenarios/${id}`, { token });
      if (r.body.status === 'running') break;
      expect(r.body.status).toBe('queued');
      await new Promise((res) => setTimeout(res, 20));
    }
    expect((await call('DELETE', `/scenarios/${id}`, { token })).status).toBe(204);
    // both shards and the merge run to their end (a shard that was running stores its summary, then drops it)
    await until(() => finished.some((f) => f.kind === SHARD_MERGE_JOB));
    expect(finished.filter((f) => f.kind === SHARD_JOB).every((f) => f.ok)).toBe(true);
    for (const i of [0, 1])
      expect(await service().store.get(SHARD_RECORD, shardRecordId('scenario', id, i))).toBeUndefined();
    expect(await service().store.get('scenario', id)).toBeUndefined();
    expect((await call('GET', `/scenarios/${id}`, { token })).status).toBe(404);
  });

  it('removes the shard summaries a crash left behind when their scenario is deleted', async () => {
    const token = service().tokens.finance;
    const posted = await call('POST', '/scenarios', { token, body: { ...BASE, name: 'left behind', runs: 20 } });
    const id = posted.body.id as string;
    expect((await untilDone(id, token)).body.status).toBe('complete');
    // as a crash between a merge's completion and its clean-up leaves them (the plan as submission would keep it)
    const store = service().store;
    await store.update('scenario', id, { summary: { shards: { of: 2, runs: 20 } } });
    for (const [index, from, to] of [
      [0, 0, 10],
      [1, 10, 20],
    ] as const)
      await store.create(
        {
          kind: SHARD_RECORD,
          id: shardRecordId('scenario', id, index),
          createdAt: new Date().toISOString(),
          summary: { job: 'scenario', jobId: id, index, of: 2, from, to, elapsedMs: 1 },
        },
        { summary: {} },
      );
    expect((await call('DELETE', `/scenarios/${id}`, { token })).status).toBe(204);
    for (const i of [0, 1]) expect(await store.get(SHARD_RECORD, shardRecordId('scenario', id, i))).toBeUndefined();
  });

  it('keeps a small scenario as one job', async () => {
    const finished = watchFinished();
    const posted = await call('POST', '/scenarios', {
      token: service().tokens.finance,
      body: { ...BASE, name: 'small', runs: 300 },
    });
    const done = await untilDone(posted.body.id, service().tokens.finance);
    expect(done.body.status).toBe('complete');
    await until(() => finished.length > 0);
    expect(finished.map((f) => f.kind)).toEqual(['scenario']);
  });

  it('runs a large regional forecast in shards of runs, merged into the one-process result', async () => {
    const finished = watchFinished();
    const [regionId, tokens] = Object.entries(service().regionTokens)[0]!;
    const councils = Object.keys(service().councilTokens);
    // each council joins the region by its own profile before the region lists it
    for (const code of councils) {
      const joined = await call('PUT', `/councils/${code}`, {
        token: service().councilTokens[code]!['data-manager'],
        body: { name: `council ${code}`, region: regionId },
      });
      expect(joined.status).toBeLessThan(300);
    }
    const put = await call('PUT', `/regions/${regionId}`, {
      token: tokens['data-manager'],
      body: { name: 'Demo', councils },
    });
    expect(put.status).toBeLessThan(300);
    const body = {
      name: 'sharded region',
      start: '2018-04',
      horizonMonths: 60,
      runs: 1500,
      seed: 9,
      councils: councils.map((code, i) => ({ code, scenario: { ...BASE, name: `council ${i}` } })),
      nts: { regionalTransfersPerMonth: 4, rule: 'rota' },
      shared: { residentialBeds: 4, weeklyCost: 3600, fosterHouseholds: 3, fosterWeeklyCost: 700 },
      budgets: { '2019/20': 50000000 },
    };
    const parsed = parseRegionalForecast(body);
    const region = parsed.ok ? resolveRegion(parsed.value) : parsed;
    if (!region.ok) throw new Error('invalid region');
    // two councils of the default scenario at 1,500 runs: above twice the local shard size, so two shards
    expect(regionWorkUnits(region.value)).toBeGreaterThanOrEqual(2 * LOCAL_WORK_PER_SHARD);
    const posted = await call('POST', '/regional-forecasts', { token: tokens.finance, body });
    expect(posted.status).toBe(202);
    let done: { status: string; result: RegionalForecastResult };
    for (;;) {
      done = (await call('GET', `/regional-forecasts/${posted.body.id}`, { token: tokens.finance })).body;
      if (done.status === 'complete' || done.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(done.status).toBe('complete');
    await until(() => finished.some((f) => f.kind === SHARD_MERGE_JOB));
    expect(finished.filter((f) => f.kind === SHARD_JOB)).toEqual([
      { kind: SHARD_JOB, ok: true },
      { kind: SHARD_JOB, ok: true },
    ]);
    expect(finished.some((f) => f.kind === 'regional-forecast')).toBe(false);
    const whole = simulateRegion(region.value, { collectRunTotals: true });
    expectSameRegionalResult(done.result, whole);
    // the region's per-run totals are stored in run order, as one process stores them
    const withTotals = await call('GET', `/regional-forecasts/${posted.body.id}?include=runTotals`, {
      token: tokens.finance,
    });
    expect(withTotals.body.result.runTotals).toEqual(whole.runTotals);

    // a shard message for the finished regional forecast is dropped: nothing stored, the record unchanged
    const before = (await service().store.get('regional-forecast', posted.body.id))!;
    await getQueue().send({
      kind: SHARD_JOB,
      id: posted.body.id,
      job: 'regional-forecast',
      shard: { index: 1, of: 2, from: 750, to: 1500 },
    });
    await new Promise<void>((r) =>
      service().events.once('finished', (f: { message: { kind: string } }) => f.message.kind === SHARD_JOB && r()),
    );
    expect(
      await service().store.get(SHARD_RECORD, shardRecordId('regional-forecast', posted.body.id, 1)),
    ).toBeUndefined();
    expect((await service().store.get('regional-forecast', posted.body.id))!.updatedAt).toBe(before.updatedAt);

    // a comparison with this regional base: each variant in two shards, paired run by run across them — a variant
    // whose overrides restate the base's own settings saves exactly nothing in every run, in the region and in each
    // council; one that changes a council gives the one-process per-council figures exactly
    const merges = finished.filter((f) => f.kind === SHARD_MERGE_JOB).length;
    const recruits = { councils: { [councils[0]!]: { capacity: { recruitmentPerYear: 30 } } } };
    const cmp = await call('POST', '/comparisons', {
      token: tokens.commissioner,
      body: {
        regionalBase: body,
        variants: [
          { name: 'same beds', overrides: { shared: { residentialBeds: 4 } } },
          { name: 'recruits', overrides: recruits },
        ],
      },
    });
    expect(cmp.status).toBe(202);
    let c: { status: string; reason?: string; summary: any };
    for (;;) {
      c = (await call('GET', `/comparisons/${cmp.body.id}`, { token: tokens.commissioner })).body;
      if (c.status === 'complete' || c.status === 'failed') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(c.status, c.reason).toBe('complete');
    await until(() => finished.filter((f) => f.kind === SHARD_MERGE_JOB).length === merges + 3);
    const [base, same, more] = c.summary.variants;
    expect(same.saving.horizon).toMatchObject({ mean: 0, sd: 0 });
    for (const line of same.councils) expect(line.saving.horizon).toMatchObject({ mean: 0, sd: 0, se: 0 });
    const changed = applyRegionalOverrides(parsed.ok ? parsed.value : ({} as never), recruits, 'recruits');
    if (!changed.ok) throw new Error('invalid variant');
    const alone = summariseRegionalComparison([
      regionalOutcomeOf({ name: 'Base', isBase: true }, whole),
      regionalOutcomeOf(
        { name: 'recruits', isBase: false },
        simulateRegion(changed.value.region, { collectRunTotals: true }),
      ),
    ]);
    expect(more.councils.map((l: { saving: unknown }) => l.saving)).toEqual(
      alone.variants[1]!.councils.map((l) => l.saving),
    );
    expect(more.councils[0].saving.horizon.mean).toBeGreaterThan(3 * more.councils[0].saving.horizon.se);
    // the base variant's regional cost is the regional forecast's (the same region, seed and runs)
    expect(base.financialYears.map((f: { p50: number }) => f.p50)).toEqual(
      whole.region.cost.financialYears.map((f) => f.p50),
    );
  });
});
