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
    return [{ path: prefix || '(root)', value, source: `${source}${note}`, text: formatInput(prefix, v) }];
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
  const sourced = sourcedInputs(resultInputs);
  const s = isRecord(scenario) ? scenario : {};
  const initial = Array.isArray(s.initial) ? (s.initial as { count?: number }[]) : [];
  const children = initial.reduce((n, c) => n + (c.count ?? 1), 0);
  const { initial: _omit, sources: rawSources, ...rest } = s;
  const sources: Record<string, string> = isRecord(rawSources)
    ? Object.fromEntries(Object.entries(rawSources).filter((e): e is [string, string] => typeof e[1] === 'string'))
    : {};
  const seen = new Set(sourced.map((r) => r.path));
  const own: InputRow[] = [
    {
      path: 'initial',
      value: `${children} children in care at the start (${initial.length} ${initial.length === 1 ? 'line' : 'lines'}; child-level detail not exported)`,
    },
    ...leaves(rest, '')
      .filter((r) => r.path !== '(root)' && !seen.has(r.path))
      .map((r) => ({ path: r.path, value: storedValue(r.raw), text: formatInput(r.path, r.raw) })),
  ];
  // the scenario's sources: each row takes its own or its nearest enclosing one; the rest join the row above them
  const used = new Set<string>();
  for (const row of own) {
    const src = sourceFor(sources, row.path);
    if (src !== undefined) {
      row.source = src;
      for (let p = row.path; p; p = p.includes('.') ? p.slice(0, p.lastIndexOf('.')) : '')
        if (p in sources) {
          used.add(p);
          break;
        }
    }
  }
  const loose: InputRow[] = [];
  for (const [key, text] of Object.entries(sources)) {
    if (used.has(key)) continue;
    const under = own.find((r) => key.startsWith(`${r.path}.`));
    if (under) under.source = under.source ? `${under.source}; ${text}` : text;
    else loose.push({ path: `sources.${key}`, value: text, label: `Source of ${inputLabel(key).label}` });
  }
  const rows = [...sourced, ...own, ...loose].map((r) => {
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

const storedValue = (v: unknown): string | number | boolean =>
  typeof v === 'number' || typeof v === 'string' || typeof v === 'boolean'
    ? v
    : v === null || v === undefined
      ? 'none'
      : JSON.stringify(v);
