/**
 * Every record kind's API view is what its response schema says, field for field: a view field missing from the
 * schema (the drift issue 11 found: startedAt/elapsedMs sent but not documented) or a required schema field the view
 * lacks fails here. Records are the fullest a summary can be, so every optional field is exercised.
 */
import { describe, expect, it } from 'vitest';
import type * as z from 'zod';
import { comparisonListView } from '#functions/records/comparison';
import { datasetView } from '#functions/records/dataset';
import { forecastView } from '#functions/records/forecast';
import { RECORD_KINDS } from '#functions/records/kinds';
import { scenarioView } from '#functions/records/scenario';
import { targetListView, targetView } from '#functions/records/target';
import { RESPONSE_SCHEMAS } from '#functions/schemas';
import type { StoredRecord } from '#functions/store/store';

// the views read the stale-run setting from the environment
process.env.TABLE_NAME ??= 'unit';

const now = new Date('2026-01-02T10:00:00.000Z');
const at = '2026-01-02T09:59:00.000Z';
const rec = <S>(kind: string, summary: S): StoredRecord<S> => ({
  kind,
  id: 'x_1',
  createdAt: at,
  updatedAt: at,
  createdBy: 'dev-finance',
  summary,
  blobs: {},
});

/** the item schema of a list route, or the schema of a single-record route */
function itemSchema(routeId: string): z.ZodObject {
  const s = RESPONSE_SCHEMAS[routeId]?.schema as z.ZodObject;
  const items = s.shape.items as z.ZodArray<z.ZodObject> | undefined;
  return items ? items.element : s;
}

/** strict: a key the schema does not name fails */
const strictParse = (schema: z.ZodObject, value: unknown) => schema.strict().safeParse(value);

describe('record views match the API response schemas', () => {
  it('scenario (list item) with every optional field, startedAt and elapsedMs included', () => {
    const v = scenarioView(
      rec('scenario', {
        name: 'n',
        status: 'complete' as const,
        progress: 100,
        reason: 'r',
        runs: 10,
        horizonMonths: 12,
        start: '2026-01',
        datasetId: 'ds_1',
        startedAt: at,
        completedAt: at,
        heartbeatAt: at,
        attempts: 1,
        elapsedMs: 1234,
      }),
      now,
    );
    expect(v).toHaveProperty('elapsedMs', 1234);
    const r = strictParse(itemSchema('ListScenarios'), v);
    expect(r.error?.issues ?? []).toEqual([]);
  });

  it('dataset', () => {
    const v = datasetView(
      rec('dataset', {
        format: 'ssda903' as const,
        mode: 'strict' as const,
        contentHash: 'h',
        period: { start: '2020-01-01', end: '2021-01-01' },
        counts: { children: 1, episodes: 2, rowsRead: 3, rowsDropped: 0 },
        quality: { errors: 0, warnings: 1, counts: { a: 1 } },
        stock: { date: '2021-01-01', byCategory: { residential: 1 }, total: 1, uasc: 0, inHouseOccupancy: 0 },
      }),
      'ds_other',
    );
    expect(v).toMatchObject({ council: 'default', current: false });
    expect(strictParse(itemSchema('ListDatasets'), v).error?.issues ?? []).toEqual([]);
  });

  it('forecast', () => {
    const v = forecastView(
      rec('forecast', {
        month: '2026-01',
        status: 'complete' as const,
        reason: 'r',
        datasetId: 'ds',
        dataEnd: '2025-12-31',
        start: '2026-01',
        horizonMonths: 12,
        runs: 100,
        heartbeatAt: at,
        accuracy: { datasetId: 'ds', assessedAt: at, monthsCovered: ['2026-01'], coverage: 0.5, rows: [] },
      }),
      now,
    );
    expect(v).not.toHaveProperty('heartbeatAt');
    expect(strictParse(itemSchema('ListForecasts'), v).error?.issues ?? []).toEqual([]);
  });

  it('comparison list item', () => {
    const v = comparisonListView(
      rec('comparison', { status: 'queued' as const, runs: 5, seed: 1, datasetId: 'ds', variants: [{ name: 'a' }] }),
    );
    expect(strictParse(itemSchema('ListComparisons'), v).error?.issues ?? []).toEqual([]);
  });

  it('target, as listed and as the head of GET /targets/{id}', () => {
    const summary = {
      status: 'running' as const,
      progress: 40,
      reason: 'r',
      runs: 5,
      datasetId: 'ds',
      path: 'capacity.recruitmentPerYear',
      metric: 'cost',
      startedAt: at,
      heartbeatAt: at,
      attempts: 1,
    };
    expect(
      strictParse(itemSchema('ListTargets'), targetListView(rec('target', summary), now)).error?.issues ?? [],
    ).toEqual([]);
    // the detail adds search, goal and answer from the blobs; its state fields must all be in the schema
    const detail = itemSchema('GetTarget').pick({
      id: true,
      status: true,
      progress: true,
      reason: true,
      createdAt: true,
    });
    const head = targetView(rec('target', summary), now);
    const schemaKeys = Object.keys(itemSchema('GetTarget').shape);
    expect(Object.keys(head).filter((k) => !schemaKeys.includes(k))).toEqual([]);
    expect(detail.safeParse(head).success).toBe(true);
  });

  it('every kind with a job rebuilds its queue message from the stored record', () => {
    for (const def of Object.values(RECORD_KINDS)) {
      if (!('job' in def)) continue;
      const m = def.job.message(rec(def.kind, { comparisonId: 'cmp_1', index: 2, status: 'queued' }));
      expect(m.kind).toBe(def.job.kind);
      expect(m.id).toBe('x_1');
    }
  });
});
