/**
 * The inputs behind a result, as rows a person can read: a dotted path, the value, and where the value came from
 * when the result says so (`result.inputs`: value + source per figure, added by council profiles). Shared by the
 * CSV, the workbook and the committee report so the three list the same things.
 */
import { formatInput, inputLabel, isRange, readableWarning } from '../../web/js/input-labels.js';

export interface InputRow {
  /** the dotted path in the scenario (for analysts: the API and the CSV name inputs by it) */
  path: string;
  /** the value as stored: a number, text, or a range as JSON */
  value: string | number | boolean;
  source?: string;
  /** the plain-English name with its unit ("Weekly cost, residential (£ a week)"); the path when it has none */
  label?: string;
  /** the value as a paper prints it ("between £3,000 and £6,000, most likely £4,000 (triangular)") */
  text?: string;
  /** a sourced figure made of several (a list or a record, e.g. `uasc.thresholds`) */
  group?: boolean;
}

/** Leaves of a nested object as (dotted path, value) rows; long arrays are summarised rather than dumped. */
export function flattenInputs(value: unknown, prefix = ''): { path: string; value: string | number | boolean }[] {
  if (value === null || value === undefined) return [{ path: prefix || '(root)', value: 'none' }];
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean')
    return [{ path: prefix, value }];
  if (Array.isArray(value)) {
    if (value.length > 20) return [{ path: prefix, value: `${value.length} entries (not listed)` }];
    return value.flatMap((v, i) => flattenInputs(v, `${prefix}.${i}`));
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) =>
    flattenInputs(v, prefix ? `${prefix}.${k}` : k),
  );
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * Figures with their provenance from `result.inputs`, whatever its nesting: any object holding `value` and `source`
 * is one figure (its path is where it sits). Nothing when the result has no inputs block.
 */
export function sourcedInputs(inputs: unknown, prefix = ''): InputRow[] {
  if (!isRecord(inputs)) return [];
  if ('value' in inputs && 'source' in inputs) {
    const v = inputs.value;
    const value =
      typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean' ? v : JSON.stringify(v ?? null);
    const src = inputs.source;
    const source =
      typeof src === 'string'
        ? src
        : isRecord(src)
          ? String(src.label ?? src.kind ?? JSON.stringify(src))
          : String(src ?? '');
    const note = typeof inputs.note === 'string' ? ` (${inputs.note})` : '';
    const group = typeof v === 'object' && v !== null && !isRange(v);
    return [
      {
        path: prefix || '(root)',
        value,
        source: `${source}${note}`,
        text: formatInput(prefix, v),
        ...(group ? { group: true } : {}),
      },
    ];
  }
  return Object.entries(inputs).flatMap(([k, v]) => sourcedInputs(v, prefix ? `${prefix}.${k}` : k));
}

/** The source a scenario's own `sources` gives for a path: its own entry, else the nearest enclosing one. */
function sourceFor(sources: Record<string, string>, path: string): string | undefined {
  for (let p = path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '') {
    const s = sources[p];
    if (typeof s === 'string') return s;
  }
  return undefined;
}

/**
 * Rows for the inputs of a scenario: sourced figures first, then the scenario's own settings (children summarised).
 * Each row has its plain-English label and its value as a paper prints it (web/js/input-labels.js), its dotted path
 * and its value as stored (`value`, for the CSV). A range ({min, mode, max} or {p10, p90}) is one row. The scenario's
 * `sources` become each row's source; a source that no row takes (e.g. `initial.uasc`) is added to the row it belongs
 * under, or listed on its own. With `ordered`, rows follow the label table's reading order (the headline figures
 * before the rate tables).
 */
export function inputRows(scenario: unknown, resultInputs?: unknown, options: { ordered?: boolean } = {}): InputRow[] {
  if (isRecord(scenario) && Array.isArray(scenario.councils)) return regionalRows(scenario, resultInputs, options);
  const sourced = sourcedInputs(resultInputs);
  const s = isRecord(scenario) ? scenario : {};
  const initial = Array.isArray(s.initial) ? (s.initial as { count?: number }[]) : [];
  const children = initial.reduce((n, c) => n + (c.count ?? 1), 0);
  const { initial: _omit, sources: rawSources, ...rest } = s;
  const sources: Record<string, string> = isRecord(rawSources)
    ? Object.fromEntries(Object.entries(rawSources).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  // a sourced list or record (uasc.thresholds) is listed as its parts, each with the figure's source, where the
  // scenario has them; the children's count stands for the scenario's summary line of them
  const parted = (r: InputRow) => r.group && hasPartsUnder(rest, r.path);
  for (const r of sourced) if (parted(r) && r.source !== undefined) sources[r.path] = r.source;
  const figures = sourced.filter((r) => !parted(r));
  const seen = new Set(figures.map((r) => r.path));
  const own: InputRow[] = [
    ...(seen.has('initial.children')
      ? []
      : [
          {
            path: 'initial',
            value: `${children} children in care at the start (${initial.length} ${initial.length === 1 ? 'line' : 'lines'}; child-level detail not exported)`,
          },
        ]),
    ...leaves(rest, '')
      .filter((r) => r.path !== '(root)' && !seen.has(r.path))
      .map((r) => ({ path: r.path, value: storedValue(r.raw), text: formatInput(r.path, r.raw) })),
  ];
  // the scenario's sources: each row takes its own or its nearest enclosing one; the rest join the row above them
  const used = new Set<string>();
  for (const row of [...figures, ...own]) {
    const src = sourceFor(sources, row.path);
    if (src === undefined) continue;
    // a figure of the result keeps the source the result gives it (taken from the same `sources`)
    if (!figures.includes(row)) row.source = src;
    for (let p = row.path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '')
      if (p in sources) {
        used.add(p);
        break;
      }
  }
  const loose: InputRow[] = [];
  for (const [key, text] of Object.entries(sources)) {
    if (used.has(key)) continue;
    // a source finer than any row (`initial.uasc`) joins the row it belongs under, or one beside it
    const parent = key.includes('.') ? key.slice(0, key.lastIndexOf('.')) : '';
    const all = [...figures, ...own];
    const under =
      own.find((r) => key.startsWith(`${r.path}.`)) ??
      all.find((r) => r.path.startsWith(`${key}.`)) ??
      all.find((r) => parent !== '' && r.path.startsWith(`${parent}.`));
    if (under)
      under.source = !under.source ? text : under.source.includes(text) ? under.source : `${under.source}; ${text}`;
    else loose.push({ path: `sources.${key}`, value: text, label: `Source of ${inputLabel(key).label}` });
  }
  const rows = [...figures, ...own, ...loose].map((r) => {
    const l = inputLabel(r.path);
    return {
      ...r,
      label: r.label ?? l.label,
      text: r.text ?? (r.path.startsWith('notes.') ? readableWarning(String(r.value)) : formatInput(r.path, r.value)),
    };
  });
  if (!options.ordered) return rows;
  return rows
    .map((r, i) => ({ r, i, o: r.path.startsWith('sources.') ? Number.MAX_SAFE_INTEGER : inputLabel(r.path).order }))
    .sort((a, b) => a.o - b.o || a.i - b.i)
    .map((x) => x.r);
}

/** A member council of a regional base by its name where its scenario gives it ("Peterborough (E06000031)"), else its code. */
export function councilName(base: unknown, code: string): string {
  const councils = isRecord(base) && Array.isArray(base.councils) ? (base.councils as unknown[]) : [];
  const c = councils.find((x) => isRecord(x) && x.code === code) as { scenario?: { council?: { name?: unknown } } };
  const name = c?.scenario?.council?.name;
  return typeof name === 'string' && name !== '' ? `${name} (${code})` : code;
}

/**
 * A regional base (models/region/schema.ts): the region's own settings (its NTS rota, shared places, budgets), then
 * each council's inputs as a scenario's, named by the council ("Peterborough (E06000031): New in-house foster
 * households a year") under their path in the base (`councils.0.scenario.capacity.recruitmentPerYear`). The region has
 * no children of its own: each council's count is on its own line.
 */
function regionalRows(
  base: Record<string, unknown>,
  resultInputs: unknown,
  options: { ordered?: boolean },
): InputRow[] {
  const { councils, ...region } = base;
  const own = inputRows(region, resultInputs, options).filter((r) => r.path !== 'initial' || 'initial' in region);
  const members = (councils as unknown[]).flatMap((c, i): InputRow[] => {
    if (!isRecord(c)) return [];
    const { code, scenario, ...rest } = c;
    const who = typeof code === 'string' ? councilName(base, code) : `Council ${i + 1}`;
    const at = `councils.${i}`;
    return [
      ...(typeof code === 'string'
        ? [{ path: `${at}.code`, value: code, label: `${who}: ${inputLabel('council.code').label}`, text: code }]
        : []),
      ...(isRecord(scenario)
        ? inputRows(scenario, undefined, options).map((r) => ({
            ...r,
            path: `${at}.scenario.${r.path}`,
            label: `${who}: ${r.label ?? inputLabel(r.path).label}`,
          }))
        : []),
      // a council given by its dataset and overrides rather than a whole scenario
      ...leaves(rest, '')
        .filter((r) => r.path !== '(root)')
        .map((r) => {
          const inner = r.path.replace(/^overrides\./, '');
          return {
            path: `${at}.${r.path}`,
            value: storedValue(r.raw),
            label: `${who}: ${inputLabel(inner).label}`,
            text: formatInput(inner, r.raw),
          };
        }),
    ];
  });
  return [...own, ...members];
}

/** Leaves of a nested object with their values as stored; a range is one leaf, long arrays are summarised. */
function leaves(value: unknown, prefix: string): { path: string; raw: unknown }[] {
  if (value === null || value === undefined) return [{ path: prefix || '(root)', raw: value }];
  if (isRange(value)) return [{ path: prefix, raw: value }];
  if (typeof value !== 'object') return [{ path: prefix, raw: value }];
  if (Array.isArray(value)) {
    if (value.length > 20) return [{ path: prefix, raw: `${value.length} entries (not listed)` }];
    return value.flatMap((v, i) => leaves(v, `${prefix}.${i}`));
  }
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => leaves(v, prefix ? `${prefix}.${k}` : k));
}

/** Whether a scenario holds anything under a dotted path (the parts of a list or record). */
function hasPartsUnder(scenario: Record<string, unknown>, path: string): boolean {
  let at: unknown = scenario;
  for (const k of path.split('.'))
    at = isRecord(at) || Array.isArray(at) ? (at as Record<string, unknown>)[k] : undefined;
  return typeof at === 'object' && at !== null && Object.keys(at).length > 0;
}

const storedValue = (v: unknown): string | number | boolean =>
  typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'
    ? v
    : v === null || v === undefined
      ? 'none'
      : JSON.stringify(v);
