/**
 * Fuzzed requests over every route of the route table (functions/routes.ts), shared by the bounded fuzz suite
 * (tests/integration/fuzz.test.ts) and the long local run (`npm run fuzz`). Ids, cursors, queries, headers and bodies
 * are random or mutated from valid ones, and uploads carry values shaped like a child's identifier, date of birth
 * and UPN, so that an echo of them can be caught.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { strToU8, zipSync } from 'fflate';
import fc from 'fast-check';
import { ROUTES, type RouteDef } from '#functions/routes';

const ROOT = join(import.meta.dirname, '..', '..');
const BASE = JSON.parse(readFileSync(join(ROOT, 'data/scenarios/peterborough-2018.json'), 'utf8'));
const SMALL = { ...BASE, runs: 5, horizonMonths: 12 };

/** values no response may contain when a request carried them: a CHILD, a DOB, a UPN and a home postcode */
export const PII = ['918273', '03/07/2009', 'Z987654321098', 'PE9 9ZZ'];
/**
 * The same values as the service may write them back once read: the DOB as the reader stores dates (ISO), the
 * postcode as sibling groups key it (no space, upper case).
 */
const PII_FORMS: Record<string, string[]> = { '03/07/2009': ['2009-07-03'], 'PE9 9ZZ': ['PE99ZZ'] };
/**
 * A stack frame or a path inside the service, wherever it runs: the repository here, the Lambda's `/var/task/` and
 * layers' `/opt/`, a `file://` URL, a source position (`index.mjs:12:5`).
 */
const INTERNAL = /\n\s+at |node_modules|\/work\/|\/var\/task\/|\/opt\/nodejs\/|file:\/\/|\.(?:[cm]?js|ts):\d+/;

export interface FuzzRequest {
  route: string;
  method: string;
  path: string;
  role: string | null;
  headers: Record<string, string>;
  body?: string;
}

const weird = fc.oneof(
  fc.constantFrom('%ZZ', '%', '%00', '%2F..%2F', 'a'.repeat(3000), '..', '%E0%A4%A', 'ds_demo', 'sc_x', '2026-01', ''),
  fc.string({ maxLength: 40 }).map((s) => encodeURIComponent(s)),
  fc.string({ maxLength: 12 }),
);

const forgedCursor = fc.oneof(
  fc.constant(Buffer.from('{"pk":"X","sk":"","kind":"target","createdAt":"z"}').toString('base64url')),
  fc.jsonValue().map((v) => Buffer.from(JSON.stringify(v)).toString('base64url')),
  fc.string({ maxLength: 60 }),
  fc.string({ maxLength: 30 }).map((s) => `${Buffer.from(s).toString('base64url')}.${'A'.repeat(22)}`),
);

const query = fc
  .record(
    {
      limit: fc.oneof(fc.constantFrom('0', '1', '100', '101', '-1', '1e3', 'x'), fc.string({ maxLength: 5 })),
      cursor: forgedCursor,
      createdBy: fc.oneof(fc.constant('me'), fc.string({ maxLength: 300 })),
      include: fc.constantFrom('runTotals', 'x', ''),
      series: fc.constantFrom('total', 'cost', 'residential', 'nope'),
      region: fc.oneof(fc.constantFrom('demo-region', 'Bad_Id', '', 'a'.repeat(64)), fc.string({ maxLength: 80 })),
    },
    { requiredKeys: [] },
  )
  .map((q) => new URLSearchParams(q as Record<string, string>).toString());

const numbers = fc.oneof(
  fc.constantFrom(1e21, 1e308, 5e-324, -1, 0, 1099511627776, Number.MAX_SAFE_INTEGER, 0.5),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
);

/** the valid scenario with one field replaced by something odd */
const mutatedScenario = fc
  .tuple(
    fc.constantFrom(
      'runs',
      'horizonMonths',
      'seed',
      'name',
      'start',
      'initial',
      'capacity',
      'uasc',
      'costs',
      'budgets',
    ),
    fc.oneof(numbers, fc.jsonValue(), fc.string({ maxLength: 30 })),
  )
  .map(([k, v]) => ({ ...SMALL, [k]: v }));

const deep = fc.integer({ min: 50, max: 12_000 }).map((n) => `${'['.repeat(n)}${']'.repeat(n)}`);

const piiCsv = fc.constantFrom(
  `${PII[0]},2,${PII[1]},WBRI,${PII[2]},,`,
  `CHILD,SEX,DOB,ETHNIC,UPN,MOTHER,MC_DOB\n${PII[0]},2,${PII[1]},WBRI,${PII[2]},,`,
  `CHILD,YEAR,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n2014,${PII[0]},${PII[1]},S,${PII[2]},N1,U1,PR1,,\n`,
  `CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC\n${PII[0]},${PII[1]},S,C2,N1,${PII[2]},PR1,,\n`,
  `CHILD,DECOM,RNE,LS,CIN,PLACE,PLACE_PROVIDER,DEC,REC,HOME_POST\n${PII[0]},${PII[1]},S,C2,N1,${PII[3]},PR1,,,${PII[3]}\n`,
);

/** a zip of the CSV files named as a workbook (a 500 until 8 December), and a workbook's bytes cut short */
const oddWorkbook = fc.constantFrom(
  Buffer.from(zipSync({ 'header.csv': strToU8(`CHILD,DOB\n${PII[0]},${PII[1]}\n`) })).toString('base64'),
  Buffer.from(zipSync({ 'xl/workbook.xml': strToU8('<workbook/>') })).toString('base64'),
  Buffer.from(`PK\u0003\u0004${PII[0]}`).toString('base64'),
);

function bodyFor(route: RouteDef): fc.Arbitrary<string | undefined> {
  const junk = fc.oneof(
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
    fc.string({ maxLength: 50 }),
    deep,
    fc.constant(undefined),
  );
  switch (route.id) {
    case 'CreateScenario':
      return fc.oneof(
        junk,
        mutatedScenario.map((s) => JSON.stringify(s)),
        fc.record({ datasetId: weird, overrides: fc.jsonValue() }).map((b) => JSON.stringify(b)),
      );
    case 'CreateComparison':
      return fc.oneof(
        junk,
        fc
          .array(numbers, { minLength: 1, maxLength: 3 })
          .map((values) => JSON.stringify({ base: SMALL, sweep: { path: 'capacity.recruitmentPerYear', values } })),
        fc
          .record({ name: fc.string({ maxLength: 20 }), overrides: fc.jsonValue({ maxDepth: 3 }) })
          .map((v) => JSON.stringify({ base: SMALL, variants: [v] })),
        deep.map((d) => `{"base":${JSON.stringify(SMALL)},"variants":[{"name":"v","overrides":{"a":${d}}}]}`),
      );
    case 'CreateTarget':
      return fc.oneof(
        junk,
        fc.tuple(numbers, numbers).map(([min, max]) =>
          JSON.stringify({
            base: SMALL,
            search: { path: 'capacity.recruitmentPerYear', min, max },
            goal: { metric: 'agencyFoster', atMost: 30 },
          }),
        ),
        mutatedScenario.map((base) =>
          JSON.stringify({
            base,
            search: { path: 'capacity.recruitmentPerYear', min: 0, max: 10 },
            goal: { metric: 'cost', atMost: 1 },
          }),
        ),
      );
    case 'CreateDataset':
      return fc.oneof(
        junk,
        fc
          .tuple(fc.constantFrom('children_2018.csv', 'episodes.csv', 'header.csv', 'x.csv'), piiCsv)
          .map(([name, text]) => JSON.stringify({ format: 'ssda903', files: { [name]: text } })),
        oddWorkbook.map((data) => JSON.stringify({ format: 'ssda903', files: { 'returns.xlsx': data } })),
        fc
          .jsonValue({ maxDepth: 3 })
          .map((c) => JSON.stringify({ format: 'records', children: [c, { id: PII[0], dob: PII[1], upn: PII[2] }] })),
        deep.map((d) => `{"format":"records","children":${d}}`),
      );
    default:
      return fc.option(junk, { nil: undefined });
  }
}

export const fuzzRequest: fc.Arbitrary<FuzzRequest> = fc.constantFrom(...ROUTES).chain((route) =>
  fc
    .record({
      ids: fc.array(weird, { minLength: 1, maxLength: 2 }),
      query,
      role: fc.constantFrom<string | null>('finance', 'commissioner', 'data-manager', 'viewer', null),
      key: fc.option(fc.oneof(fc.string({ maxLength: 10 }), fc.constant('k'.repeat(300))), { nil: undefined }),
      encoding: fc.constantFrom('br', 'gzip', 'identity', '*;q=0', 'br;q=0, gzip'),
      body: bodyFor(route),
    })
    .map(({ ids, query, role, key, encoding, body }) => {
      let i = 0;
      const path = route.path.replace(/\{\w+\}/g, () => ids[i++ % ids.length] ?? 'x');
      const headers: Record<string, string> = { 'accept-encoding': encoding, 'content-type': 'application/json' };
      if (key !== undefined) headers['idempotency-key'] = key;
      return {
        route: route.id,
        method: route.method,
        path: `${path}${query ? `?${query}` : ''}`,
        role,
        headers,
        ...(body !== undefined && route.method === 'POST' ? { body } : {}),
      };
    }),
);

/** What is wrong with an answer: a 5xx, a stack trace or internal path, or child data from the request echoed. */
export function problemsOf(req: FuzzRequest, status: number, text: string): string[] {
  const out: string[] = [];
  if (status >= 500) out.push(`${status} for ${req.method} ${req.path.slice(0, 120)}`);
  if (INTERNAL.test(text)) out.push(`stack or internal path in ${req.route}`);
  for (const v of PII)
    if (req.body?.includes(v))
      for (const form of [v, ...(PII_FORMS[v] ?? [])])
        if (text.includes(form)) out.push(`${v} echoed by ${req.route}${form !== v ? ` (as ${form})` : ''}`);
  return out;
}

/** Send one fuzzed request; the status and body text. */
export async function send(baseUrl: string, tokens: Record<string, string>, req: FuzzRequest) {
  const headers = { ...req.headers };
  if (req.role) headers.authorization = `Bearer ${tokens[req.role]}`;
  const res = await fetch(`${baseUrl}${req.path}`, {
    method: req.method,
    headers,
    ...(req.body !== undefined ? { body: req.body } : {}),
  });
  return { status: res.status, text: await res.text() };
}
