/**
 * Request and response schemas (zod), registered for the OpenAPI document. Route entries in functions/routes.ts name
 * their request schema (`requestSchema`); responses are keyed by route id. Another area adds its schemas to the two
 * maps below — the document then lists them with no other change.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';
import { CouncilCodeSchema, CouncilProfileSchema } from '#models/council';
import { ScenarioSchema } from '#models/scenario';
import { ROUTES } from '#functions/routes';
import { SweepSpecSchema, VariantSpecSchema } from '#models/compare';
import { GoalSchema, SearchSchema } from '#models/goalseek';
import { RegionDefinitionSchema, RegionalForecastSchema, regionId } from '#models/region/schema';

export const IssueSchema = z
  .object({
    path: z.string().optional(),
    file: z.string().optional(),
    row: z.number().int().nullable().optional(),
    column: z.string().nullable().optional(),
    code: z.string(),
    message: z.string(),
  })
  .meta({ id: 'Issue' });

export const ErrorSchema = z
  .object({
    error: z.string().meta({ example: 'InvalidInput' }),
    message: z.string().optional(),
    requestId: z.string(),
    issues: z.array(IssueSchema).optional(),
  })
  .meta({ id: 'Error' });

const mode = z.enum(['strict', 'lenient']).default('strict');
/**
 * the council the data belong to, by its ONS local-authority code (its profile resolves what the data cannot say);
 * absent = the single-council service's "default"
 */
const council = CouncilCodeSchema.optional();
/** an id the service made: what path ids are checked against too (functions/http/handler.ts) */
const recordId = z
  .string()
  .min(1)
  .max(128, { error: 'must be at most 128 characters' })
  .regex(/^[A-Za-z0-9_.-]+$/, { error: 'must be an id: letters, digits, "_", "-" or "."' });

export const DatasetUploadSchema = z
  .discriminatedUnion('format', [
    z.object({
      format: z.literal('ssda903'),
      files: z
        .record(z.string().min(1).max(300), z.string())
        .refine((f) => Object.keys(f).length > 0, { error: 'needs at least one file' })
        .refine((f) => Object.keys(f).length <= 500, { error: 'at most 500 files (zip them)' })
        .describe(
          'path as the officer has it (`2017-18/episodes.csv`, `returns.xlsx`, `all.zip`; folder and file names may name the collection year) → the CSV text, or the base64 of the bytes for .xlsx and .zip',
        ),
      mode,
      council,
    }),
    z.object({
      format: z.literal('records'),
      /** the date the records were extracted; open episodes are open then (default: the month end of the latest date) */
      dataEnd: z.string().optional(),
      children: z.array(z.unknown()),
      mode,
      council,
    }),
  ])
  .meta({ id: 'DatasetUpload' });

/** `{ datasetId, overrides }`: the dataset's estimated scenario with some fields replaced. */
export const DatasetScenarioRequestSchema = z
  .object({
    datasetId: recordId,
    overrides: z.record(z.string(), z.unknown()).optional(),
    /** refuse (422 naming the fields) rather than fill anything the council's profile lacks from an example */
    requireProfile: z.boolean().optional(),
  })
  .strict()
  .meta({ id: 'DatasetScenarioRequest' });

export const ScenarioRequestSchema = z
  .union([DatasetScenarioRequestSchema, ScenarioSchema.meta({ id: 'Scenario' })])
  .meta({ id: 'ScenarioRequest' });

const status = z.enum(['queued', 'running', 'complete', 'failed']);
const progress = z.number().min(0).max(100);
/** what every job record (comparison, target search) shows of its state */
const jobState = {
  id: z.string(),
  status,
  progress,
  reason: z.string().optional(),
  createdAt: z.string(),
  createdBy: z.string().optional(),
  datasetId: z.string().optional(),
  completedAt: z.string().optional(),
};
const pageOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item), cursor: z.string().optional() });

export const ScenarioSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    status,
    progress,
    reason: z.string().optional(),
    createdAt: z.string(),
    createdBy: z.string().optional(),
    runs: z.number().int(),
    start: z.string(),
    horizonMonths: z.number().int(),
    datasetId: z.string().optional(),
    startedAt: z.string().optional(),
    council: z.string().optional(),
    profileVersion: z.number().int().optional(),
    completedAt: z.string().optional(),
    elapsedMs: z.number().optional().describe('engine time of the run, once complete'),
  })
  .meta({ id: 'ScenarioSummary' });

export const ScenarioDetailSchema = ScenarioSummarySchema.extend({
  scenario: z.record(z.string(), z.unknown()).describe('the resolved scenario (engine schema)'),
  result: z.record(z.string(), z.unknown()).optional().describe('ForecastResult, when complete'),
}).meta({ id: 'ScenarioDetail' });

export const QualityProblemSchema = z
  .object({
    file: z.string(),
    row: z.number().int().nullable().describe('row in the file, the header line being row 1; null for a whole file'),
    column: z.string().nullable(),
    code: z.string().describe('the rule'),
    message: z.string(),
    action: z.string().describe("what was done: 'dropped', 'repaired: …', 'none'"),
    severity: z.enum(['error', 'warning']),
  })
  .meta({ id: 'QualityProblem' });

const refusal = z
  .object({ code: z.string(), message: z.string() })
  .describe('why the data cannot support a forecast, whatever the mode');

/** The quality summary every upload answer carries (201, 200 or 422): counts, notes and the first problems. */
export const QualitySummarySchema = z
  .object({
    errors: z.number(),
    warnings: z.number(),
    counts: z.record(z.string(), z.number()),
    notes: z.array(z.string()).optional(),
    problems: z.array(QualityProblemSchema).optional().describe('the first problems, errors first'),
    problemsTotal: z.number().optional(),
    refusal: refusal.optional(),
  })
  .meta({ id: 'QualitySummary' });

export const DatasetSummarySchema = z
  .object({
    id: z.string(),
    format: z.enum(['ssda903', 'records']),
    mode: z.enum(['strict', 'lenient']),
    council: z.string(),
    current: z.boolean().describe("the dataset its council's forecasts use"),
    createdAt: z.string(),
    period: z.object({ start: z.string(), end: z.string(), source: z.string().optional() }),
    counts: z.object({ children: z.number(), episodes: z.number(), rowsRead: z.number(), rowsDropped: z.number() }),
    stock: z
      .object({
        date: z.string(),
        total: z.number(),
        byCategory: z.record(z.string(), z.number()),
        uasc: z.number(),
        inHouseOccupancy: z.number().optional(),
      })
      .optional(),
    quality: QualitySummarySchema,
  })
  .meta({ id: 'DatasetSummary' });

export const DatasetDetailSchema = DatasetSummarySchema.extend({
  stock: z.record(z.string(), z.unknown()),
  qualityReport: z.record(z.string(), z.unknown()),
  estimate: z.record(z.string(), z.unknown()),
}).meta({ id: 'DatasetDetail' });

export const ForecastSchema = z
  .object({
    month: z.string(),
    status,
    reason: z.string().optional(),
    datasetId: z.string(),
    dataEnd: z.string(),
    label: z.string().optional().describe('"data to 2024-03-31, made 2026-11-01"'),
    start: z.string(),
    horizonMonths: z.number().int(),
    runs: z.number().int(),
    council: z.string().optional(),
    profileVersion: z.number().int().optional(),
    progress: z.number().optional().describe('the job’s progress, 0–100'),
    attempts: z.number().int().optional(),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
    elapsedMs: z.number().optional(),
    replaced: z.string().optional().describe("the dataset the month's earlier forecast was made from"),
    accuracyUpdated: z
      .array(z.string())
      .optional()
      .describe('the earlier forecasts (months) whose accuracy this one’s data updated'),
    accuracy: z
      .object({
        datasetId: z.string(),
        assessedAt: z.string(),
        monthsCovered: z.array(z.string()),
        coverage: z.number(),
        coverage80: z.number().optional(),
        coverage50: z.number().optional(),
        meanP50Error: z.number().optional(),
        points: z.number().int().optional(),
        totalHeld: z.boolean().optional(),
        rows: z.array(
          z.object({
            month: z.string(),
            series: z.string(),
            actual: z.number(),
            p10: z.number(),
            p25: z.number().optional(),
            p50: z.number(),
            p75: z.number().optional(),
            p90: z.number(),
            inside: z.boolean(),
          }),
        ),
      })
      .optional(),
    calibration: z
      .object({
        forecasts: z.number().int(),
        months: z.array(z.string()),
        totalHeld: z.number().int(),
        coverage80: z.number(),
        coverage50: z.number(),
        meanP50Error: z.number(),
      })
      .optional(),
    result: z.record(z.string(), z.unknown()).optional(),
    createdAt: z.string(),
  })
  .meta({ id: 'Forecast' });

export const HealthSchema = z
  .object({ status: z.enum(['ok', 'degraded']), store: z.enum(['reachable', 'unreachable']), time: z.string() })
  .meta({ id: 'Health' });

// ---- decision tools: comparisons and targets --------------------------------------------------------

/** Where a comparison's or target's base scenario comes from: a full scenario, or a dataset (each with overrides). */
/** the body of POST /regional-forecasts, also the regional base of a comparison or target search */
const RegionalForecastRequestSchema = RegionalForecastSchema.meta({ id: 'RegionalForecastRequest' });

const decisionBase = {
  base: z.record(z.string(), z.unknown()).optional().describe('a full scenario (engine schema)'),
  datasetId: recordId.optional(),
  overrides: z.record(z.string(), z.unknown()).optional().describe("applied onto the base or the dataset's scenario"),
  regionalBase: RegionalForecastRequestSchema.optional().describe(
    "a regional forecast's request (POST /regional-forecasts) as the base: a region's users; variants override " +
      'region-level settings (shared.…, nts.…, budgets.…) and councils.<code>.<scenario path>',
  ),
};

/** Exactly one of two fields: the issue says which case it is (neither given, or both). */
function exactlyOne(
  b: Record<string, unknown>,
  first: string,
  second: string,
  what: string,
  ctx: z.RefinementCtx,
): void {
  const given = +(b[first] !== undefined) + +(b[second] !== undefined);
  if (given !== 1)
    ctx.addIssue({ code: 'custom', path: [first], message: given === 0 ? `give ${what}` : `give ${what}, not both` });
}

function oneBase(
  b: { base?: unknown; datasetId?: unknown; regionalBase?: unknown; overrides?: unknown },
  ctx: z.RefinementCtx,
): void {
  if (b.regionalBase === undefined) {
    if (b.base === undefined && b.datasetId === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['base'],
        message: 'give one of base (a scenario), datasetId or regionalBase',
      });
    else if (b.base !== undefined && b.datasetId !== undefined)
      ctx.addIssue({ code: 'custom', path: ['base'], message: 'give either base (a scenario) or datasetId, not both' });
    return;
  }
  for (const other of ['base', 'datasetId', 'overrides'] as const)
    if (b[other] !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: [other],
        message:
          other === 'overrides'
            ? 'with a regionalBase, give each council its overrides in regionalBase.councils'
            : 'give either regionalBase or a council base (base or datasetId), not both',
      });
}

export const ComparisonRequestSchema = z
  .object({
    ...decisionBase,
    variants: z
      .array(VariantSpecSchema)
      .min(1, { error: 'needs at least one variant' })
      .max(50, { error: 'at most 50 variants' })
      .optional(),
    sweep: SweepSpecSchema.optional(),
  })
  .strict()
  .superRefine((b, ctx) => {
    oneBase(b, ctx);
    exactlyOne(b, 'variants', 'sweep', 'either variants or sweep', ctx);
  })
  .meta({ id: 'ComparisonRequest' });

export const TargetRequestSchema = z
  .object({ ...decisionBase, search: SearchSchema, goal: GoalSchema })
  .strict()
  .superRefine(oneBase)
  .meta({ id: 'TargetRequest' });

const accepted = z.object({ id: z.string(), status }).meta({ id: 'DecisionAccepted' });

/** a regional base's region and councils (rota order) */
const regionalRef = z
  .object({ region: z.string(), councils: z.array(z.string()) })
  .optional()
  .describe('a regional base: the region and its councils');

const band = z.object({ p10: z.number(), p50: z.number(), p90: z.number() });

export const PairedSavingSchema = z
  .object({
    mean: z.number().describe('mean saving (base − variant, pounds; positive = the variant costs less)'),
    sd: z.number().describe('standard deviation of the per-run saving'),
    se: z.number().describe('standard error of the mean saving: sd / √runs'),
    p10: z.number(),
    p50: z.number(),
    p90: z.number(),
    pSaves: z.number().describe('share of runs in which the variant costs less than the base'),
  })
  .describe('a saving paired run by run with the base (the same seed and runs: common random numbers)')
  .meta({ id: 'PairedSaving' });

const pairedSavings = z
  .object({
    financialYears: z.array(PairedSavingSchema.extend({ label: z.string() })),
    horizon: PairedSavingSchema.describe('over the whole horizon'),
  })
  .nullable()
  .describe('null for the base');

const CouncilLineSchema = z
  .object({
    code: z.string(),
    financialYears: z.array(
      z.object({ label: z.string(), mean: z.number(), p10: z.number(), p50: z.number(), p90: z.number() }),
    ),
    horizonTotal: band.describe('children in care at the horizon'),
    saving: pairedSavings.describe(
      "null for the base; else the council's own cost paired run by run with its cost in the base, as the region's",
    ),
  })
  .meta({ id: 'ComparisonCouncilLine' });

export const ComparisonSummarySchema = z
  .object({
    baseName: z.string(),
    runs: z.number().int(),
    seed: z.number().int(),
    horizonMonth: z.string(),
    financialYears: z.array(z.string()),
    regional: z.literal(true).optional().describe("a regional base: the figures are the region's totals"),
    variants: z.array(
      z.object({
        name: z.string(),
        isBase: z.boolean(),
        path: z.string().optional(),
        value: z.number().optional(),
        runs: z.number().int(),
        seed: z.number().int(),
        horizonMonth: z.string(),
        horizon: z.record(z.string(), band).describe('children at the horizon by placement category and in total'),
        overflowTotal: band
          .extend({ mean: z.number() })
          .nullable()
          .describe('children sent elsewhere for want of an in-house place over the horizon'),
        financialYears: z.array(
          z.object({
            label: z.string(),
            months: z.number().int(),
            partial: z.boolean(),
            mean: z.number(),
            p10: z.number(),
            p50: z.number(),
            p90: z.number(),
            budget: z.number().optional(),
            pOverBudget: z.number().optional(),
            budgetBasis: z
              .enum(['gross', 'net'])
              .optional()
              .describe("'net': the budget and the chance over it are of the cost net of UASC grant income"),
            net: band.optional().describe('the cost net of UASC grant income (with the grant or Staying Put)'),
          }),
        ),
        saving: pairedSavings,
        councils: z.array(CouncilLineSchema).optional().describe('a regional base: a line per council, in rota order'),
      }),
    ),
  })
  .meta({ id: 'ComparisonSummary' });

export const ComparisonSchema = z
  .object({
    ...jobState,
    runs: z.number().int(),
    seed: z.number().int(),
    regional: regionalRef,
    variants: z.array(
      z.object({ name: z.string(), value: z.number().optional(), status, progress, reason: z.string().optional() }),
    ),
    summary: ComparisonSummarySchema.optional().describe(
      'once complete, per variant: children at the horizon, overflow, cost per financial year, paired saving against the base (and, for a regional base, the same per council)',
    ),
    sweep: z
      .object({ path: z.string(), baseValue: z.number().optional() })
      .optional()
      .describe("a sweep's parameter and its value in the base (so the base row can say it)"),
  })
  .meta({ id: 'Comparison' });

export const TargetSchema = z
  .object({
    ...jobState,
    runs: z.number().int(),
    regional: regionalRef,
    search: SearchSchema,
    goal: GoalSchema,
    answer: z
      .object({
        reachable: z.boolean(),
        value: z.number().optional(),
        metricAtValue: z.number().optional(),
        message: z.string(),
        step: z.number(),
        curve: z.array(z.object({ value: z.number(), metric: z.number(), meets: z.boolean() })),
        monotone: z.boolean(),
      })
      .optional(),
  })
  .meta({ id: 'Target' });

const listed = { id: z.string(), createdAt: z.string(), createdBy: z.string().optional(), status, runs: z.number() };
const ComparisonListItemSchema = z
  .object({ ...listed, datasetId: z.string().optional(), regional: regionalRef, variants: z.array(z.string()) })
  .meta({ id: 'ComparisonListItem' });
const TargetListItemSchema = z
  .object({ ...listed, progress, regional: regionalRef, path: z.string(), metric: z.string() })
  .meta({ id: 'TargetListItem' });

// ---- council profiles --------------------------------------------------------------------------------

const CouncilProfileDoc = CouncilProfileSchema.meta({ id: 'CouncilProfile' });

export const CouncilSchema = z
  .object({
    code: z.string(),
    name: z.string(),
    version: z.number().int(),
    requireProfile: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
    profile: CouncilProfileDoc.optional(),
    /** PUT only: the regions the council left with this profile (it names another region or none) */
    leftRegions: z.array(z.string()).optional(),
  })
  .meta({ id: 'Council' });
const RegionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    councils: z.array(z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .meta({ id: 'Region' });
const RegionalForecastSummarySchema = z
  .object({
    ...jobState,
    createdBy: z.string().optional(),
    name: z.string(),
    region: z.string(),
    councils: z.array(z.string()),
    runs: z.number().int(),
    start: z.string(),
    horizonMonths: z.number().int(),
    /** the dataset each council's scenario was made from (a council given a whole scenario is not listed) */
    datasets: z.record(z.string(), z.string()).optional(),
    startedAt: z.string().optional(),
    completedAt: z.string().optional(),
    elapsedMs: z.number().optional(),
  })
  .meta({ id: 'RegionalForecastSummary' });
const RegionalForecastDetailSchema = RegionalForecastSummarySchema.extend({
  /** the request with every council's scenario whole */
  inputs: z.unknown(),
  /** councils.<code>: each council's forecast; region: population, cost by financial year, uasc, shared */
  result: z.unknown().optional(),
}).meta({ id: 'RegionalForecastDetail' });

/** by the name used in RouteDef.requestSchema */
export const REQUEST_SCHEMAS: Record<string, z.ZodType> = {
  DatasetUpload: DatasetUploadSchema,
  CouncilProfile: CouncilProfileDoc,
  ScenarioRequest: ScenarioRequestSchema,
  ComparisonRequest: ComparisonRequestSchema,
  TargetRequest: TargetRequestSchema,
  RegionDefinition: RegionDefinitionSchema.meta({ id: 'RegionDefinition' }),
  RegionalForecastRequest: RegionalForecastRequestSchema,
};

/** The query parameters every paginated list takes (`limit` is checked 1–100 by functions/api/views.ts). */
const PageQuerySchema = z.object({
  limit: z.string().optional().describe('items per page, 1–100 (default 20)'),
  cursor: z.string().max(1024).optional().describe('the cursor of the previous page'),
});

export const ListCouncilsQuerySchema = PageQuerySchema.extend({
  region: regionId
    .optional()
    .describe(
      "only the councils of this region (those with a profile the caller may read), in the region's rota order; a region's users see all of them, a council's users their own",
    ),
});

/** by the name used in RouteDef.querySchema */
export const QUERY_SCHEMAS: Record<string, z.ZodObject> = {
  ListCouncilsQuery: ListCouncilsQuerySchema,
};

/** successful response bodies by route id; `alsoWith`: another success status that returns the same body */
export const RESPONSE_SCHEMAS: Record<
  string,
  { status: number; schema: z.ZodType; alsoWith?: { status: number; description: string } }
> = {
  Health: { status: 200, schema: HealthSchema },
  CreateDataset: {
    status: 201,
    schema: DatasetSummarySchema,
    alsoWith: { status: 200, description: 'The same content was uploaded before: the stored dataset' },
  },
  PutCouncil: {
    status: 201,
    schema: CouncilSchema,
    alsoWith: { status: 200, description: 'The council had a profile: this is its new version' },
  },
  ListCouncils: { status: 200, schema: pageOf(CouncilSchema).meta({ id: 'CouncilPage' }) },
  GetCouncil: { status: 200, schema: CouncilSchema },
  ListDatasets: { status: 200, schema: pageOf(DatasetSummarySchema).meta({ id: 'DatasetPage' }) },
  GetDataset: { status: 200, schema: DatasetDetailSchema },
  SetCurrentDataset: { status: 200, schema: DatasetSummarySchema },
  CreateScenario: { status: 202, schema: z.object({ id: z.string(), status }).meta({ id: 'ScenarioAccepted' }) },
  ListScenarios: { status: 200, schema: pageOf(ScenarioSummarySchema).meta({ id: 'ScenarioPage' }) },
  GetScenario: { status: 200, schema: ScenarioDetailSchema },
  DeleteScenario: { status: 204, schema: z.undefined() },
  DeleteDataset: {
    status: 200,
    schema: z
      .object({
        id: z.string(),
        council: z.string(),
        deletedAt: z.string(),
        currentCleared: z
          .boolean()
          .describe(
            "true when it was the council's current dataset: the council has none now until an upload or POST /datasets/{id}/current sets one",
          ),
      })
      .meta({ id: 'DatasetDeleted' }),
  },
  DeleteComparison: { status: 204, schema: z.undefined() },
  DeleteTarget: { status: 204, schema: z.undefined() },
  DeleteRegionalForecast: { status: 204, schema: z.undefined() },
  ListForecasts: { status: 200, schema: pageOf(ForecastSchema).meta({ id: 'ForecastPage' }) },
  GetForecast: { status: 200, schema: ForecastSchema },
  CreateComparison: { status: 202, schema: accepted },
  ListComparisons: { status: 200, schema: pageOf(ComparisonListItemSchema).meta({ id: 'ComparisonPage' }) },
  GetComparison: { status: 200, schema: ComparisonSchema },
  CreateTarget: { status: 202, schema: accepted },
  ListTargets: { status: 200, schema: pageOf(TargetListItemSchema).meta({ id: 'TargetPage' }) },
  GetTarget: { status: 200, schema: TargetSchema },
  PutRegion: {
    status: 200,
    schema: RegionSchema,
    alsoWith: { status: 201, description: 'The region was created' },
  },
  ListRegions: { status: 200, schema: pageOf(RegionSchema).meta({ id: 'RegionPage' }) },
  GetRegion: { status: 200, schema: RegionSchema },
  CreateRegionalForecast: { status: 202, schema: accepted },
  ListRegionalForecasts: {
    status: 200,
    schema: pageOf(RegionalForecastSummarySchema).meta({ id: 'RegionalForecastPage' }),
  },
  GetRegionalForecast: { status: 200, schema: RegionalForecastDetailSchema },
  RunForecast: {
    status: 202,
    schema: z
      .object({
        forecast: ForecastSchema,
        created: z.boolean(),
        replaced: z.string().optional().describe("the dataset the month's earlier forecast was made from"),
      })
      .meta({ id: 'MonthlyForecastOutcome' }),
    alsoWith: {
      status: 200,
      description:
        "The month's forecast from the current dataset already exists (complete, queued or running): it is returned as stored (created: false)",
    },
  },
};

const ERROR_STATUSES: Record<number, string> = {
  400: 'Malformed request (JSON, cursor, header; a field named __proto__, constructor or prototype)',
  401: 'No valid token',
  403: 'The role does not allow this',
  404: 'Not found',
  409: 'Conflict (Idempotency-Key reused with another body, or state)',
  413: 'Body too large',
  422: 'Invalid input, with the list of issues',
  500: 'Internal error (the body holds only the request id)',
  503: 'The data store is not reachable',
};

/** The OpenAPI 3.1 document: one path item per route of the route table. */
export function buildOpenApiDocument(): ReturnType<OpenApiGeneratorV31['generateDocument']> {
  // The schemas carry their names as zod metadata (`.meta({ id })`), which the generator turns into components; no
  // zod extension is needed, so the handlers that merely validate with these schemas do not bundle all of zod.
  const registry = new OpenAPIRegistry();
  const bearer = registry.registerComponent('securitySchemes', 'bearer', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
  });
  for (const route of ROUTES) {
    const pathParams = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1] as string);
    const success = RESPONSE_SCHEMAS[route.id];
    const successStatus = success?.status ?? (route.method === 'POST' ? 201 : 200);
    const responses: Record<string, { description: string; content?: Record<string, { schema: z.ZodType }> }> = {};
    if (route.produces) {
      responses[String(successStatus)] = {
        description: route.summary,
        content: { [route.produces]: { schema: z.string() } },
      };
    } else if (success && successStatus !== 204) {
      responses[String(successStatus)] = {
        description: route.summary,
        content: { 'application/json': { schema: success.schema } },
      };
      if (success.alsoWith)
        responses[String(success.alsoWith.status)] = {
          description: success.alsoWith.description,
          content: { 'application/json': { schema: success.schema } },
        };
    } else {
      responses[String(successStatus)] = { description: route.summary };
    }
    for (const [code, description] of Object.entries(ERROR_STATUSES)) {
      if (route.roles === 'public' && (code === '401' || code === '403')) continue;
      responses[code] = { description, content: { 'application/json': { schema: ErrorSchema } } };
    }
    if (route.creates)
      responses['410'] = {
        description:
          'A replay of an Idempotency-Key whose request created a record that has since been deleted: send the request with a new key to create it again',
        content: { 'application/json': { schema: ErrorSchema } },
      };
    const request = route.requestSchema ? REQUEST_SCHEMAS[route.requestSchema] : undefined;
    const query = route.querySchema ? QUERY_SCHEMAS[route.querySchema] : undefined;
    if (route.querySchema && !query) throw new Error(`${route.id}: no query schema ${route.querySchema}`);
    const headers = route.idempotent
      ? z.object({ 'Idempotency-Key': z.string().min(1).max(200).optional() })
      : undefined;
    registry.registerPath({
      method: route.method.toLowerCase() as 'get' | 'post' | 'put' | 'delete',
      path: route.path,
      operationId: route.id,
      summary: route.summary,
      ...(route.roles === 'public'
        ? {}
        : { security: [{ [bearer.name]: [] }], description: `Roles: ${route.roles.join(', ')}` }),
      request: {
        ...(pathParams.length ? { params: z.object(Object.fromEntries(pathParams.map((p) => [p, z.string()]))) } : {}),
        ...(query ? { query } : {}),
        ...(headers ? { headers } : {}),
        ...(request ? { body: { content: { 'application/json': { schema: request } }, required: true } } : {}),
      },
      responses,
    });
  }
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Placement forecast API',
      version: '0.1.0',
      description: 'Placement sufficiency and cost forecasting for English children’s services.',
    },
    servers: [{ url: '/' }],
  });
}
