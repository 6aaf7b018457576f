/**
 * Regions: a named set of councils that plan together, and the request for a regional forecast — the councils'
 * scenarios simulated together run by run, coupled by the NTS regional rota and by capacity the region commissions
 * together. Validated by zod like the scenario; the per-council scenarios are validated by the scenario's own schema
 * once the region's start, horizon, runs and seed are stamped on them (see ./resolve.ts).
 */
import * as z from 'zod';
import { MONTH_RE, parseFinancialYear } from '../calendar.js';
import { FIELDS, issuesFromZod, label, type ParseResult } from '../scenario.js';

/** A region holds 1–200 councils (England has 153 upper-tier councils). */
export const MAX_REGION_COUNCILS = 200;

/** An ONS local-authority code: E06000031 (Peterborough), E10000003 (Cambridgeshire) … */
export const COUNCIL_CODE_RE = /^[EWSN]\d{8}$/;
export const councilCode = z
  .string({ error: 'must be a council code such as E06000031' })
  .regex(COUNCIL_CODE_RE, { error: 'must be a council code such as E06000031 (a letter and 8 digits)' });

/** A region id: lower-case letters, digits and hyphens ("eastern", "demo-region"). */
export const REGION_ID_RE = /^[a-z0-9][a-z0-9-]{0,62}$/;
export const regionId = z.string({ error: 'must be a region id' }).regex(REGION_ID_RE, {
  error: 'must be 1–63 lower-case letters, digits or hyphens, starting with a letter or digit',
});

const nonNegative = z.number({ error: 'must be a number' }).min(0, { error: 'must be ≥ 0' });
const positive = z.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' });
const probability = nonNegative.max(1, { error: 'must be ≤ 1' });
const count = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be ≥ 0' });

const councilList = z
  .array(councilCode)
  .min(1, { error: 'a region needs at least one council' })
  .max(MAX_REGION_COUNCILS, { error: `a region has at most ${MAX_REGION_COUNCILS} councils` });

function noDuplicates(codes: readonly string[], path: (i: number) => PropertyKey[], ctx: z.RefinementCtx): void {
  const seen = new Map<string, number>();
  codes.forEach((code, i) => {
    const first = seen.get(code);
    if (first !== undefined)
      ctx.addIssue({ code: 'custom', path: path(i), message: `council ${code} is listed twice (also at ${first})` });
    else seen.set(code, i);
  });
}

/** The body of PUT /regions/{id}. */
export const RegionDefinitionSchema = z
  .object({
    name: label(200),
    councils: councilList,
  })
  .strict()
  .superRefine((r, ctx) => noDuplicates(r.councils, (i) => ['councils', i], ctx));

export type RegionDefinition = z.output<typeof RegionDefinitionSchema>;

/** The NTS regional rota: one Poisson stream of transfers for the region, placed in rota order. */
export const NtsSchema = z
  .object({
    regionalTransfersPerMonth: nonNegative.max(1000, { error: 'must be ≤ 1000' }),
    rule: z.literal('rota', { error: 'must be "rota" (the only rule so far)' }),
  })
  .strict();

/**
 * Places the region commissions together. Residential beds (block-contracted) at one weekly cost; a shared fostering
 * hub of households that recruits and loses households like a council's own. Any member council uses a free shared
 * place for a new residential (or agency-foster) placement before it buys a spot placement.
 */
export const SharedSchema = z
  .object({
    residentialBeds: count.max(10000, { error: 'must be ≤ 10000' }).default(0),
    /** pounds a week per residential bed, occupied or not (prices of each council's price base) */
    weeklyCost: FIELDS.weeklyPounds.optional(),
    fosterHouseholds: count.max(10000, { error: 'must be ≤ 10000' }).default(0),
    fosterPlacesPerHousehold: positive.max(10, { error: 'must be ≤ 10' }).default(1),
    fosterRecruitmentPerYear: nonNegative.max(1000, { error: 'must be ≤ 1000' }).default(0),
    fosterHouseholdLossPerYear: probability.default(0),
    /** pounds a week per shared foster place, occupied or not */
    fosterWeeklyCost: FIELDS.weeklyPounds.optional(),
  })
  .strict()
  .superRefine((s, ctx) => {
    if (s.residentialBeds > 0 && s.weeklyCost === undefined)
      ctx.addIssue({ code: 'custom', path: ['weeklyCost'], message: 'is required when residentialBeds > 0' });
    const hub = s.fosterHouseholds > 0 || s.fosterRecruitmentPerYear > 0;
    if (hub && s.fosterWeeklyCost === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['fosterWeeklyCost'],
        message: 'is required when fosterHouseholds or fosterRecruitmentPerYear > 0',
      });
  });

/**
 * One member council of a regional forecast: a whole scenario (the CLI; the API too), or a stored dataset with
 * overrides, or neither — the council's current dataset and profile (the API resolves it).
 */
export const RegionalCouncilSchema = z
  .object({
    code: councilCode,
    scenario: z.record(z.string(), z.unknown(), { error: 'must be a scenario object' }).optional(),
    datasetId: z.string().min(1).max(100).optional(),
    overrides: z.record(z.string(), z.unknown(), { error: 'must be an object' }).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.scenario !== undefined && (c.datasetId !== undefined || c.overrides !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: ['scenario'],
        message: 'give either a whole scenario or datasetId/overrides, not both',
      });
  });

export const RegionalForecastSchema = z
  .object({
    name: label(200).default('Regional forecast'),
    start: z.string().regex(MONTH_RE, { error: 'must be a month "YYYY-MM"' }),
    horizonMonths: count.min(1, { error: 'must be ≥ 1' }).max(120, { error: 'must be ≤ 120' }),
    runs: count.min(1, { error: 'must be ≥ 1' }).max(100000, { error: 'must be ≤ 100000' }),
    seed: z.number().int({ error: 'must be a whole number' }).default(1),
    councils: z
      .array(RegionalCouncilSchema)
      .min(1, { error: 'a region needs at least one council' })
      .max(MAX_REGION_COUNCILS, { error: `a region has at most ${MAX_REGION_COUNCILS} councils` }),
    nts: NtsSchema.nullable().default(null),
    shared: SharedSchema.nullable().default(null),
    /** the region's budget by financial year: the chance that the councils' total cost goes over it */
    budgets: z.record(z.string(), FIELDS.budgetPounds).default({}),
  })
  .strict()
  .superRefine((r, ctx) => {
    noDuplicates(
      r.councils.map((c) => c.code),
      (i) => ['councils', i, 'code'],
      ctx,
    );
    for (const label of Object.keys(r.budgets)) {
      try {
        parseFinancialYear(label);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['budgets', label], message: (e as Error).message });
      }
    }
  });

export type RegionalForecastRequest = z.output<typeof RegionalForecastSchema>;
export type RegionalForecastInput = z.input<typeof RegionalForecastSchema>;
export type Nts = z.output<typeof NtsSchema>;
export type Shared = z.output<typeof SharedSchema>;

export function parseRegionalForecast(input: unknown): ParseResult<RegionalForecastRequest> {
  const r = RegionalForecastSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesFromZod(r.error) };
}

export function parseRegionDefinition(input: unknown): ParseResult<RegionDefinition> {
  const r = RegionDefinitionSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesFromZod(r.error) };
}
