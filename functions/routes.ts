/**
 * The route table: the one place that says which routes exist, who may call them and which handler serves them.
 * It drives the local server (bin/serve.ts), the OpenAPI document and the CDK stack (lib/). Metadata only here:
 * handler modules are referenced by file path so the CDK app can read this table without importing handler code.
 * Adding an endpoint = one entry here + one handler file under functions/api/.
 */

export const ROLES = ['finance', 'commissioner', 'data-manager', 'viewer'] as const;
export type Role = (typeof ROLES)[number];
export const ALL_ROLES: readonly Role[] = ROLES;

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** What the handler touches, so the stack grants exactly that (least privilege). */
export interface Access {
  table: 'read' | 'write' | 'none';
  /** sends messages to the scenario-run queue */
  queue?: boolean;
  /** hashes child ids (an upload): reads the data salt secret */
  dataSalt?: boolean;
  /**
   * hands page cursors to clients and checks the ones they send back: reads the cursor key secret, so that a cursor
   * made by one container is good in another. Without it a function signs with a key of its own (functions/config.ts).
   */
  cursors?: boolean;
}

export interface RouteDef {
  /** stable id: also the Lambda function's logical name */
  id: string;
  method: HttpMethod;
  /** API Gateway path syntax: /scenarios/{id} */
  path: string;
  /** module path from the repo root; its export `handler` serves the route */
  handler: string;
  /** 'public' = no token needed */
  roles: readonly Role[] | 'public';
  access: Access;
  memoryMb: number;
  timeoutSeconds: number;
  summary: string;
  /** name of the request body schema in functions/schemas.ts (OpenAPI) */
  requestSchema?: string;
  /** name of the query parameters schema in functions/schemas.ts (OpenAPI; the handler validates with it) */
  querySchema?: string;
  /** media type of a successful response when it is not JSON */
  produces?: string;
  /** true for POST routes that honour Idempotency-Key */
  idempotent?: boolean;
  /**
   * The stored kind (functions/records/kinds.ts) of the record an idempotent route creates, named by its answer's
   * `id`: a replay of the key once that record has been deleted is a 410, not the old answer (docs/hardening.md).
   */
  creates?: string;
  /** packages installed beside the Lambda bundle rather than bundled: they read their own files (wasm, fonts) */
  nodeModules?: readonly string[];
}

const read: Access = { table: 'read' };
const write: Access = { table: 'write' };
const enqueue: Access = { table: 'write', queue: true };
/** a list route: reads, and hands out page cursors */
const list: Access = { table: 'read', cursors: true };
const analysts: readonly Role[] = ['finance', 'commissioner'];
/** the report renders charts to PNG with resvg (WebAssembly) and DejaVu fonts, read from their packages */
const REPORT_MODULES = ['@resvg/resvg-wasm', 'dejavu-fonts-ttf'] as const;

export const ROUTES: readonly RouteDef[] = [
  {
    id: 'Health',
    method: 'GET',
    path: '/health',
    handler: 'functions/api/health.ts',
    roles: 'public',
    access: read,
    memoryMb: 256,
    timeoutSeconds: 5,
    summary: 'Liveness and store reachability',
  },
  {
    id: 'OpenApi',
    method: 'GET',
    path: '/openapi.json',
    handler: 'functions/api/openapi.ts',
    roles: 'public',
    access: { table: 'none' },
    memoryMb: 256,
    timeoutSeconds: 5,
    summary: 'OpenAPI 3.1 document generated from the zod schemas',
  },

  {
    id: 'CreateDataset',
    method: 'POST',
    path: '/datasets',
    handler: 'functions/api/datasets-create.ts',
    roles: ['data-manager'],
    access: { table: 'write', dataSalt: true },
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary: 'Upload SSDA903 files (CSV, year folders, .xlsx, zip) or JSON records',
    requestSchema: 'DatasetUpload',
    idempotent: true,
    creates: 'dataset',
  },
  {
    id: 'ListDatasets',
    method: 'GET',
    path: '/datasets',
    handler: 'functions/api/datasets-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List datasets (paginated)',
  },
  {
    id: 'GetDataset',
    method: 'GET',
    path: '/datasets/{id}',
    handler: 'functions/api/datasets-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 10,
    summary: 'One dataset: period, stock, quality report, estimated rates',
  },
  {
    id: 'SetCurrentDataset',
    method: 'POST',
    path: '/datasets/{id}/current',
    handler: 'functions/api/datasets-set-current.ts',
    roles: ['data-manager'],
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: "Make this dataset the one its council's forecasts use",
  },
  {
    id: 'DeleteDataset',
    method: 'DELETE',
    path: '/datasets/{id}',
    handler: 'functions/api/datasets-delete.ts',
    roles: ['data-manager'],
    access: write,
    memoryMb: 256,
    timeoutSeconds: 29,
    summary:
      "Delete an upload and everything stored from it (records, quality report, rates); clears the council's current dataset when it was this one",
  },

  {
    id: 'PutCouncil',
    method: 'PUT',
    path: '/councils/{code}',
    handler: 'functions/api/councils-put.ts',
    roles: ['data-manager'],
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: "Create or update a council's profile (ONS code); each PUT is a new version",
    requestSchema: 'CouncilProfile',
  },
  {
    id: 'ListCouncils',
    method: 'GET',
    path: '/councils',
    handler: 'functions/api/councils-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: "List council profiles (paginated); ?region=ID: that region's councils, in rota order",
    querySchema: 'ListCouncilsQuery',
  },
  {
    id: 'GetCouncil',
    method: 'GET',
    path: '/councils/{code}',
    handler: 'functions/api/councils-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: "A council's profile: the current version, or ?version=N",
  },

  {
    id: 'CreateScenario',
    method: 'POST',
    path: '/scenarios',
    handler: 'functions/api/scenarios-create.ts',
    roles: analysts,
    access: enqueue,
    memoryMb: 512,
    timeoutSeconds: 15,
    summary: 'Queue a scenario run (full scenario, or datasetId + overrides)',
    requestSchema: 'ScenarioRequest',
    idempotent: true,
    creates: 'scenario',
  },
  {
    id: 'ListScenarios',
    method: 'GET',
    path: '/scenarios',
    handler: 'functions/api/scenarios-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List scenarios, newest first (paginated, filter by creator)',
  },
  {
    id: 'GetScenario',
    method: 'GET',
    path: '/scenarios/{id}',
    handler: 'functions/api/scenarios-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 10,
    summary: 'Status, resolved scenario and result (?include=runTotals adds the per-run totals)',
  },
  {
    id: 'DeleteScenario',
    method: 'DELETE',
    path: '/scenarios/{id}',
    handler: 'functions/api/scenarios-delete.ts',
    roles: analysts,
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Delete a scenario and its result (creator only)',
  },
  {
    id: 'ExportScenarioXlsx',
    method: 'GET',
    path: '/scenarios/{id}/export.xlsx',
    handler: 'functions/api/scenarios-export-xlsx.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 1024,
    timeoutSeconds: 20,
    summary: 'Scenario result as an Excel workbook',
    produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    id: 'ExportScenarioCsv',
    method: 'GET',
    path: '/scenarios/{id}/export.csv',
    handler: 'functions/api/scenarios-export-csv.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 20,
    summary: 'Scenario monthly quantiles as CSV',
    produces: 'text/csv',
  },
  {
    id: 'ScenarioReportDocx',
    method: 'GET',
    path: '/scenarios/{id}/report.docx',
    handler: 'functions/api/scenarios-report-docx.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary:
      'Committee report (Word): summary with money, fan charts, financial-year table, inputs and sources, method',
    produces: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    nodeModules: REPORT_MODULES,
  },
  {
    id: 'ScenarioChart',
    method: 'GET',
    path: '/scenarios/{id}/chart.svg',
    handler: 'functions/api/scenarios-chart.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 10,
    summary: 'Fan chart (SVG) of a series',
    produces: 'image/svg+xml',
  },

  {
    id: 'CreateComparison',
    method: 'POST',
    path: '/comparisons',
    handler: 'functions/api/comparisons-create.ts',
    roles: analysts,
    access: enqueue,
    memoryMb: 512,
    timeoutSeconds: 15,
    summary: 'Compare variants or sweep a parameter with common random numbers',
    requestSchema: 'ComparisonRequest',
    idempotent: true,
    creates: 'comparison',
  },
  {
    id: 'ListComparisons',
    method: 'GET',
    path: '/comparisons',
    handler: 'functions/api/comparisons-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List comparisons, newest first (paginated, filter by creator)',
  },
  {
    id: 'GetComparison',
    method: 'GET',
    path: '/comparisons/{id}',
    handler: 'functions/api/comparisons-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 10,
    summary: 'Comparison status and per-variant results with paired savings',
  },
  {
    id: 'DeleteComparison',
    method: 'DELETE',
    path: '/comparisons/{id}',
    handler: 'functions/api/comparisons-delete.ts',
    roles: analysts,
    access: write,
    memoryMb: 256,
    timeoutSeconds: 20,
    summary: 'Delete a comparison, its variants and their results (creator only); a running one stores nothing',
  },
  {
    id: 'ExportComparisonXlsx',
    method: 'GET',
    path: '/comparisons/{id}/export.xlsx',
    handler: 'functions/api/comparisons-export-xlsx.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 1024,
    timeoutSeconds: 20,
    summary: 'Comparison as an Excel workbook',
    produces: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  },
  {
    id: 'ComparisonReportDocx',
    method: 'GET',
    path: '/comparisons/{id}/report.docx',
    handler: 'functions/api/comparisons-report-docx.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary: 'A comparison as a committee report (Word): the saving of each variant against the base, every year',
    produces: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
    nodeModules: REPORT_MODULES,
  },
  {
    id: 'CreateTarget',
    method: 'POST',
    path: '/targets',
    handler: 'functions/api/targets-create.ts',
    roles: analysts,
    access: enqueue,
    memoryMb: 512,
    timeoutSeconds: 15,
    summary: 'Find the smallest value of a parameter that meets a goal',
    requestSchema: 'TargetRequest',
    idempotent: true,
    creates: 'target',
  },
  {
    id: 'ListTargets',
    method: 'GET',
    path: '/targets',
    handler: 'functions/api/targets-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List target searches, newest first (paginated, filter by creator)',
  },
  {
    id: 'GetTarget',
    method: 'GET',
    path: '/targets/{id}',
    handler: 'functions/api/targets-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Goal-seek status and answer',
  },
  {
    id: 'DeleteTarget',
    method: 'DELETE',
    path: '/targets/{id}',
    handler: 'functions/api/targets-delete.ts',
    roles: analysts,
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Delete a target search and its answer (creator only); a running one stores nothing',
  },

  {
    id: 'PutRegion',
    method: 'PUT',
    path: '/regions/{id}',
    handler: 'functions/api/regions-put.ts',
    roles: ['data-manager'],
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Create or replace a region: a named set of councils that plan together',
    requestSchema: 'RegionDefinition',
  },
  {
    id: 'ListRegions',
    method: 'GET',
    path: '/regions',
    handler: 'functions/api/regions-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List regions (paginated)',
  },
  {
    id: 'GetRegion',
    method: 'GET',
    path: '/regions/{id}',
    handler: 'functions/api/regions-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'One region and its councils',
  },
  {
    id: 'CreateRegionalForecast',
    method: 'POST',
    path: '/regional-forecasts',
    handler: 'functions/api/regional-forecasts-create.ts',
    roles: analysts,
    access: enqueue,
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary: "Queue a regional forecast: the councils' scenarios together, with the NTS rota and shared places",
    requestSchema: 'RegionalForecastRequest',
    idempotent: true,
    creates: 'regional-forecast',
  },
  {
    id: 'ListRegionalForecasts',
    method: 'GET',
    path: '/regional-forecasts',
    handler: 'functions/api/regional-forecasts-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'List regional forecasts, newest first (paginated, filter by creator)',
  },
  {
    id: 'GetRegionalForecast',
    method: 'GET',
    path: '/regional-forecasts/{id}',
    handler: 'functions/api/regional-forecasts-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 1024,
    timeoutSeconds: 15,
    summary: "Status, the region's inputs, each council's forecast and the region's totals",
  },
  {
    id: 'DeleteRegionalForecast',
    method: 'DELETE',
    path: '/regional-forecasts/{id}',
    handler: 'functions/api/regional-forecasts-delete.ts',
    roles: analysts,
    access: write,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Delete a regional forecast and its result (creator only); a running one stores nothing',
  },

  {
    id: 'ListForecasts',
    method: 'GET',
    path: '/forecasts',
    handler: 'functions/api/forecasts-list.ts',
    roles: ALL_ROLES,
    access: list,
    memoryMb: 256,
    timeoutSeconds: 10,
    summary: 'Monthly baseline forecasts with their accuracy',
  },
  {
    id: 'GetForecast',
    method: 'GET',
    path: '/forecasts/{month}',
    handler: 'functions/api/forecasts-get.ts',
    roles: ALL_ROLES,
    access: read,
    memoryMb: 512,
    timeoutSeconds: 10,
    summary: 'One monthly forecast (yyyy-mm) and its accuracy',
  },
  {
    id: 'RunForecast',
    method: 'POST',
    path: '/forecasts/run',
    handler: 'functions/jobs/monthly-forecast.ts',
    roles: ['data-manager'],
    access: enqueue,
    memoryMb: 1024,
    timeoutSeconds: 29,
    summary: "Queue the caller's council's monthly forecast now (202; poll GET /forecasts/{month})",
    idempotent: true,
  },
];

/** Functions that are not HTTP routes. */
export interface WorkerDef {
  id: string;
  handler: string;
  trigger: 'queue' | 'dead-letter' | 'schedule' | 'state-machine';
  /** EventBridge cron for 'schedule' */
  schedule?: string;
  /** for 'state-machine': the step of the shard state machine (lib/constructs/shard-state-machine.ts) it runs */
  step?: 'shard' | 'merge';
  access: Access;
  memoryMb: number;
  timeoutSeconds: number;
  summary: string;
}

export const WORKERS: readonly WorkerDef[] = [
  {
    id: 'ScenarioRunner',
    handler: 'functions/jobs/scenario-runner.ts',
    trigger: 'queue',
    access: { table: 'write' },
    memoryMb: 3008,
    timeoutSeconds: 900,
    summary: 'Runs queued scenarios and comparison variants (SQS, partial batch failures)',
  },
  {
    id: 'DeadLetters',
    handler: 'functions/jobs/dead-letters.ts',
    trigger: 'dead-letter',
    access: { table: 'write' },
    memoryMb: 256,
    timeoutSeconds: 60,
    summary: "Marks failed the jobs whose runner died on every attempt (the run queue's dead-letter queue)",
  },
  {
    id: 'ShardRunner',
    handler: 'functions/jobs/shard-runner.ts',
    trigger: 'state-machine',
    step: 'shard',
    access: { table: 'write' },
    memoryMb: 1769, // one full vCPU: the engine is single-threaded
    timeoutSeconds: 900,
    summary: 'Runs one shard (a range of runs) of a large job for the shard state machine and stores its summary',
  },
  {
    id: 'ShardMerge',
    handler: 'functions/jobs/shard-merge.ts',
    trigger: 'state-machine',
    step: 'merge',
    access: { table: 'write' },
    memoryMb: 3008,
    timeoutSeconds: 900,
    summary: "Merges a large job's shard summaries into its result (or marks it failed) for the shard state machine",
  },
  {
    id: 'StalledJobs',
    handler: 'functions/jobs/stalled.ts',
    trigger: 'schedule',
    schedule: 'rate(1 hour)',
    access: { table: 'write' },
    memoryMb: 256,
    timeoutSeconds: 300,
    summary: 'Marks failed the jobs whose worker went silent (stale heartbeat) and removes their shard summaries',
  },
  // 06:00 UTC on the 1st of every month
  {
    id: 'MonthlyForecast',
    handler: 'functions/jobs/monthly-forecast.ts',
    trigger: 'schedule',
    schedule: 'cron(0 6 1 * ? *)',
    access: enqueue,
    memoryMb: 1024,
    timeoutSeconds: 300,
    summary: "Queues each council's monthly baseline forecast (its job scores the earlier forecasts)",
  },
];

/** Does a token with these groups satisfy the route? */
export function roleAllowed(route: Pick<RouteDef, 'roles'>, groups: readonly string[]): boolean {
  if (route.roles === 'public') return true;
  return route.roles.some((r) => groups.includes(r));
}
