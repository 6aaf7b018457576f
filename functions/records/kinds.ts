/**
 * The one table of stored record kinds. Every record the service keeps has an entry here; its summary type, load/save
 * helpers and API view live in the file of the same name beside this one (./scenario.ts, ./dataset.ts, …).
 *
 * Adding a kind (e.g. a council profile, a region):
 *   1. add an entry below: `kind` is the stored `kind` attribute and the key prefix — never change it once data
 *      exists; `idPrefix` is what generated ids start with; `idPattern` is what a path id must look like (checked
 *      before any store read, so a bad id is a 4xx, never a store error);
 *   2. if a queued job works on records of this kind, give `job` (the job kind and how to rebuild its queue message
 *      from the stored record): start-up recovery then re-queues or fails them with no other change;
 *   3. write `./<kind>.ts` with its summary interface, helpers and `<kind>View`, and test the view against the API
 *      response schema (tests/unit/record-views.test.ts shows how).
 */
import { REGION_ID_RE } from '#models/region/schema';
import type { JobMessage } from '#functions/queue/queue';
import type { StoredRecord } from '#functions/store/store';

export interface RecordKindDef {
  /** the stored `kind` attribute (and key prefix) */
  readonly kind: string;
  /** what generated ids start with */
  readonly idPrefix?: string;
  /** what an id of this kind may look like: ids from paths and bodies are checked against it */
  readonly idPattern: RegExp;
  /** the job that works on a record of this kind, for start-up recovery and submission */
  readonly job?: {
    readonly kind: string;
    // biome-ignore lint/suspicious/noExplicitAny: each kind reads its own summary
    message(record: StoredRecord<any>): JobMessage;
  };
}

/** generated ids: prefix + 20 hex characters; ids written by tools (demo, tests) stay within the same alphabet */
const ID = /^[A-Za-z0-9_-]{1,100}$/;

export const RECORD_KINDS = {
  dataset: { kind: 'dataset', idPrefix: 'ds_', idPattern: ID },
  scenario: {
    kind: 'scenario',
    idPrefix: 'sc_',
    idPattern: ID,
    job: { kind: 'scenario', message: (r) => ({ kind: 'scenario', id: r.id }) },
  },
  forecast: {
    kind: 'forecast',
    idPattern: /^\d{4}-\d{2}$/,
    // its id is a month, unique within a council: the message names the council (the record's tenant)
    job: {
      kind: 'monthly-forecast',
      message: (r) => ({
        kind: 'monthly-forecast',
        id: r.id.slice(r.id.indexOf('~') + 1), // stored as "<council>~<month>" (functions/tenancy.ts)
        council: r.tenant?.startsWith('council:') ? r.tenant.slice('council:'.length) : r.summary.council,
      }),
    },
  },
  /** one per council, id = the council: which dataset its forecasts use (./current-dataset.ts) */
  currentDataset: { kind: 'current-dataset', idPattern: /^[a-z0-9][a-z0-9-]{0,62}$/ },
  comparison: { kind: 'comparison', idPrefix: 'cmp_', idPattern: ID },
  variant: {
    kind: 'comparison-variant',
    // "<comparison id>.<index>"
    idPattern: /^[A-Za-z0-9_-]{1,100}\.\d{1,3}$/,
    job: {
      kind: 'comparison-variant',
      message: (r) => ({
        kind: 'comparison-variant',
        id: r.id,
        comparisonId: r.summary.comparisonId,
        index: r.summary.index,
      }),
    },
  },
  target: {
    kind: 'target',
    idPrefix: 'tgt_',
    idPattern: ID,
    job: { kind: 'target', message: (r) => ({ kind: 'target', id: r.id }) },
  },
  // a council's profile: the head (id = the ONS code, so records scoped to a council find it from the code) …
  council: { kind: 'council', idPattern: /^(E0[6-9]\d{6}|E10\d{6})$/ },
  // … and its immutable versions ("E06000031#v000003")
  councilVersion: { kind: 'councilVersion', idPattern: /^(E0[6-9]\d{6}|E10\d{6})#v\d{6}$/ },
  region: { kind: 'region', idPattern: REGION_ID_RE },
  regionalForecast: {
    kind: 'regional-forecast',
    idPrefix: 'rf_',
    idPattern: ID,
    job: { kind: 'regional-forecast', message: (r) => ({ kind: 'regional-forecast', id: r.id }) },
  },
} as const satisfies Record<string, RecordKindDef>;

export type RecordKindName = keyof typeof RECORD_KINDS;

/** The stored kind string of each record kind: `KIND.scenario === 'scenario'`. */
export const KIND = Object.fromEntries(Object.entries(RECORD_KINDS).map(([name, def]) => [name, def.kind])) as {
  readonly [K in RecordKindName]: (typeof RECORD_KINDS)[K]['kind'];
};

/** The job kinds, by the record kind they work on. */
export const JOB = {
  scenario: RECORD_KINDS.scenario.job.kind,
  variant: RECORD_KINDS.variant.job.kind,
  target: RECORD_KINDS.target.job.kind,
  regionalForecast: RECORD_KINDS.regionalForecast.job.kind,
  forecast: RECORD_KINDS.forecast.job.kind,
} as const;

/** A fresh id for a record of this kind: its prefix and 20 random hex characters. */
export function newId(name: RecordKindName, random: () => string): string {
  const def: RecordKindDef = RECORD_KINDS[name];
  return `${def.idPrefix ?? ''}${random().replaceAll('-', '').slice(0, 20)}`;
}
