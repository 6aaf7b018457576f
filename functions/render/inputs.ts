/**
 * The inputs behind a result, as rows a person can read: a dotted path, the value, and where the value came from
 * when the result says so (`result.inputs`: value + source per figure, added by council profiles). Shared by the
 * CSV, the workbook and the committee report so the three list the same things.
 */

export interface InputRow {
  path: string;
  value: string | number | boolean;
  source?: string;
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
    return [{ path: prefix || '(root)', value, source: `${source}${note}` }];
  }
  return Object.entries(inputs).flatMap(([k, v]) => sourcedInputs(v, prefix ? `${prefix}.${k}` : k));
}

/** Rows for the inputs of a scenario: sourced figures first, then the scenario's own settings (children summarised). */
export function inputRows(scenario: unknown, resultInputs?: unknown): InputRow[] {
  const sourced = sourcedInputs(resultInputs);
  const s = isRecord(scenario) ? scenario : {};
  const initial = Array.isArray(s.initial) ? (s.initial as { count?: number }[]) : [];
  const children = initial.reduce((n, c) => n + (c.count ?? 1), 0);
  const { initial: _omit, ...rest } = s;
  const seen = new Set(sourced.map((r) => r.path));
  return [
    ...sourced,
    {
      path: 'initial',
      value: `${children} children in care at the start (${initial.length} lines; child-level detail not exported)`,
    },
    ...flattenInputs(rest).filter((r) => r.path !== '(root)' && !seen.has(r.path)),
  ];
}
