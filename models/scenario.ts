/**
 * The scenario: everything one forecast needs, validated by one zod schema. The names and meanings are a contract
 * with ingest (which estimates `parameters` and `initial`), the API, the dashboard and external checks: keep them.
 */
import * as z from 'zod';
import { AGE_BANDS, CATEGORIES, type AgeBand, type Category } from './placement.js';
import { MONTH_RE, monthFromIndex, monthIndex, parseFinancialYear } from './calendar.js';
import { triangularSchema, type UncertainNumber, uncertain } from './uncertain.js';

/**
 * Resource limits: far above what any council has (the largest English council looks after about 2,500
 * children; England about 84,000), well within what one machine can always run. Checked with the rest of the schema,
 * so a request over them is a 422 naming the field and the limit before anything is stored or run.
 */
export const LIMITS = {
  /** children in `initial`, counting each line's `count` */
  initialChildren: 50_000,
  /** one line's `count`, households, recruitment and arrivals per month or year */
  count: 50_000,
  /** children the scenario can have over its horizon (initial + expected entries and arrivals) */
  children: 200_000,
  /** the engine's work: runs × children over the horizon × months (child-months simulated) */
  childMonths: 2e10,
  /**
   * Money, far above any real figure but small enough that every sum over children, months and runs stays a finite,
   * exact-enough number (a typo of a few zeros is caught, not forecast): a week of one placement (the dearest
   * residential placements cost some £20,000–£50,000 a week), a day of UASC grant, a year's budget (England spends
   * about £12bn a year on children in care).
   */
  weeklyPounds: 1_000_000,
  dailyPounds: 10_000,
  budgetPounds: 1e12,
} as const;

/** the first and last months a forecast may cover (see the check in ScenarioSchema) */
const FIRST_MONTH_INDEX = monthIndex('1900-01');
const LAST_MONTH_INDEX = monthIndex('9999-12');

const category = z.enum(CATEGORIES);
const ageBand = z.enum(AGE_BANDS);
const probability = z
  .number({ error: 'must be a number' })
  .min(0, { error: 'must be ≥ 0' })
  .max(1, { error: 'must be ≤ 1' });
const nonNegative = z.number({ error: 'must be a number' }).min(0, { error: 'must be ≥ 0' });
const positive = z.number({ error: 'must be a number' }).gt(0, { error: 'must be > 0' });
const weeklyPounds = nonNegative.max(LIMITS.weeklyPounds, {
  error: `must be ≤ ${LIMITS.weeklyPounds} (pounds a week)`,
});
const dailyPounds = nonNegative.max(LIMITS.dailyPounds, { error: `must be ≤ ${LIMITS.dailyPounds} (pounds a day)` });
const budgetPounds = nonNegative.max(LIMITS.budgetPounds, {
  error: `must be ≤ ${LIMITS.budgetPounds} (pounds a year)`,
});
const count = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number' })
  .min(0, { error: 'must be ≥ 0' });
const month = z.string({ error: 'must be a month "YYYY-MM"' }).regex(MONTH_RE, { error: 'must be a month "YYYY-MM"' });
const isoDate = z
  .string({ error: 'must be a date "YYYY-MM-DD"' })
  .regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, { error: 'must be a date "YYYY-MM-DD"' });

/**
 * A name a person types (a scenario, comparison, council, region): printed in reports and documents, so no control
 * characters (a NUL makes a Word document unreadable) and no lone surrogate halves (not text at all).
 */
export const label = (max: number) =>
  z
    .string({ error: 'must be a name' })
    .min(1, { error: 'must not be empty' })
    .max(max, { error: `must be at most ${max} characters` })
    .regex(/^[^\p{Cc}\p{Cs}]*$/u, { error: 'must not contain control characters or broken characters' });

/** the field shapes other schemas built on the scenario reuse (council profiles) */
export const FIELDS = {
  probability,
  nonNegative,
  positive,
  count,
  month,
  isoDate,
  weeklyPounds,
  budgetPounds,
} as const;

const byBandCategory = <T extends z.ZodType>(v: T) => z.partialRecord(ageBand, z.partialRecord(category, v));

/** Counts and exposure behind each rate, so the engine can draw parameter uncertainty (Gamma / Dirichlet posteriors). */
export const EvidenceSchema = z.object({
  /** child-months in care per band × category over the reference window */
  exposureMonths: byBandCategory(nonNegative),
  exits: byBandCategory(nonNegative),
  moves: z.partialRecord(ageBand, z.partialRecord(category, z.partialRecord(category, nonNegative))),
  /** entries per band × category counted over `entryMonths` months */
  entries: byBandCategory(nonNegative),
  entryMonths: positive,
});

export const ParametersSchema = z.object({
  /** Poisson mean of non-UASC entries per month, by age band and category entered */
  entriesPerMonth: byBandCategory(nonNegative),
  /** probability per month of leaving care, by age band (at the start of the month) and current category */
  exitProbability: byBandCategory(probability),
  /** probability per month of moving from one category to another */
  moveProbability: z.partialRecord(ageBand, z.partialRecord(category, z.partialRecord(category, probability))),
  evidence: EvidenceSchema.optional(),
  /**
   * Year-to-year drift of the entry rate beyond Poisson noise: the log of the rate takes a random walk whose steps
   * over a year have this standard deviation (0 = a fixed rate). Estimated from multi-year data (estimate.ts) or a
   * stated prior; `basis` says which.
   */
  entryDrift: z
    .object({
      sdPerYear: nonNegative.max(2, { error: 'must be ≤ 2' }),
      se: nonNegative.optional(),
      basis: z.string().max(300).optional(),
    })
    .optional(),
  /**
   * Year-to-year drift of the exit rates beyond binomial noise: the log of one multiplier of every exit rate takes a
   * random walk with this sd a year. Estimated from multi-year data only where a dispersion or trend test supports it
   * (else 0), the exit rates then scaled to their level at the window's end; `basis` says which.
   */
  exitDrift: z
    .object({
      sdPerYear: nonNegative.max(2, { error: 'must be ≤ 2' }),
      se: nonNegative.optional(),
      basis: z.string().max(400).optional(),
    })
    .optional(),
  /**
   * Sibling groups: the share of entry GROUPS of each size ("1": 0.8, "2": 0.15, "3": 0.05); children of a group enter
   * in the same month and category, and land together or overflow together. Absent: every child enters alone.
   */
  entryGroups: z
    .object({
      sizes: z.partialRecord(z.enum(['1', '2', '3', '4', '5', '6', '7', '8']), nonNegative),
      basis: z.string().max(300).optional(),
    })
    .optional(),
});

export const InitialChildSchema = z.object({
  ageMonths: count.max(215, { error: 'must be < 216 (a child leaves care at 18)' }),
  category,
  uasc: z.boolean().default(false),
  monthsInPlacement: count.default(0),
  /** several identical children in one line (compact scenarios); default 1 */
  count: count
    .min(1, { error: 'must be ≥ 1' })
    .max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` })
    .default(1),
});

/** A unit cost: fixed pounds per week, or triangular {min, mode, max} drawn once per placement spell. */
export const WeeklyCostSchema = z.union([weeklyPounds, triangularSchema(weeklyPounds)]);

/** Every number below may be a range (models/uncertain.ts): drawn once per run. */
export const CapacitySchema = z.object({
  inHouseHouseholds: uncertain(count.max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` })),
  placesPerHousehold: uncertain(positive.max(20, { error: 'must be ≤ 20' })),
  recruitmentPerYear: uncertain(nonNegative.max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` })),
  householdLossPerYear: uncertain(probability),
  stepAcrossProbability: uncertain(probability).default(0),
  agencyAvailability: uncertain(probability).default(1),
});

export const UascSchema = z.object({
  /** UASC under 18 in care at the start (must agree with the UASC children flagged in `initial`, where any are) */
  initial: count.max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` }),
  thresholds: z
    .array(z.object({ from: isoDate, rate: probability }))
    .min(1, { error: 'needs at least one dated rate' }),
  transfersPerMonthWhenOnRota: uncertain(nonNegative.max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` })),
  spontaneousPerMonth: uncertain(nonNegative.max(LIMITS.count, { error: `must be ≤ ${LIMITS.count}` })),
  /** age in whole years at arrival → share */
  arrivalAge: z.partialRecord(z.enum(['10', '11', '12', '13', '14', '15', '16', '17']), nonNegative),
  arrivalPlacement: z.partialRecord(category, nonNegative),
});

/**
 * Staying Put (docs/DOMAIN.md §9): a young person reaching 18 in in-house foster care (and, with `fromAgency`, in agency foster
 * care) stays with the carer with probability `share`, for `months` months (to 21 at most). The council pays `weekly`
 * (price-base prices, inflated like in-house fostering); an in-house carer's bed stays taken while the young person
 * stays. Staying Put young people are care leavers: counted apart from children in care, costed in their own line.
 */
export const StayingPutSchema = z.object({
  share: probability,
  months: count.min(1, { error: 'must be ≥ 1' }).max(36, { error: 'must be ≤ 36 (Staying Put ends at 21)' }),
  weekly: weeklyPounds,
  fromAgency: z.boolean().default(false),
});

/**
 * One dated UASC grant rate (pounds per child per day, by age group) in force from `from`; optionally a higher flat
 * daily rate for every UASC while the council's UASC count is at or above `share` of its child population.
 */
export const UascGrantRateSchema = z.object({
  from: isoDate,
  dailyUnder16: dailyPounds,
  daily16to17: dailyPounds,
  higher: z.object({ share: probability, daily: dailyPounds }).optional(),
});

/** Home Office UASC grant income: a dated schedule like the NTS thresholds (docs/DOMAIN.md §9). */
export const UascGrantSchema = z.object({
  rates: z.array(UascGrantRateSchema).min(1, { error: 'needs at least one dated rate' }),
});

/**
 * A financial year's budget: pounds (gross: placements and Staying Put), or `{ net: pounds }` when the budget is set
 * net of the UASC grant income (the chance of overspending is then that of the net cost), or `{ gross: pounds }`.
 */
export const BudgetSchema = z.union([
  budgetPounds,
  z.object({ net: budgetPounds }).strict(),
  z.object({ gross: budgetPounds }).strict(),
]);
export type Budget = z.output<typeof BudgetSchema>;

/** A budget's amount and whether it is net of grant income. */
export const budgetOf = (b: Budget | undefined): { amount: number; net: boolean } | undefined =>
  b === undefined
    ? undefined
    : typeof b === 'number'
      ? { amount: b, net: false }
      : 'net' in b
        ? { amount: b.net, net: true }
        : { amount: b.gross, net: false };

/** Which council and profile version a resolved scenario came from (stored with every forecast). */
export const ScenarioCouncilSchema = z.object({
  code: z.string(),
  name: z.string().optional(),
  /** the profile version used; absent when the council has no profile */
  version: z.number().int().min(1).optional(),
});

/** The month index of a forecast's last month (a price base must not be after it). */
export const lastForecastMonth = (start: string, horizonMonths: number): number =>
  monthIndex(start) + horizonMonths - 1;

export const ScenarioSchema = z
  .object({
    name: label(200).default('Scenario'),
    start: month,
    horizonMonths: count.min(1, { error: 'must be ≥ 1' }).max(120, { error: 'must be ≤ 120' }),
    runs: count.min(1, { error: 'must be ≥ 1' }).max(100000, { error: 'must be ≤ 100000' }),
    seed: z.number().int({ error: 'must be a whole number' }).default(1),
    childPopulation: z.object({
      base: uncertain(positive),
      annualGrowth: uncertain(z.number().gt(-1).lt(1)).default(0),
    }),
    parameters: ParametersSchema,
    initial: z.array(InitialChildSchema).max(100000),
    entries: z.object({ multiplier: uncertain(nonNegative).default(1) }).default({ multiplier: 1 }),
    capacity: CapacitySchema.nullable().default(null),
    uasc: UascSchema.nullable().default(null),
    costs: z.object({
      priceBase: month,
      annualInflation: uncertain(z.number().gt(-0.5, { error: 'must be > -0.5' }).lt(1, { error: 'must be < 1' })),
      weekly: z.partialRecord(category, WeeklyCostSchema),
      /** a category's own annual inflation where it differs from the overall rate (residential prices rose faster) */
      inflationByCategory: z
        .partialRecord(category, z.number().gt(-0.5, { error: 'must be > -0.5' }).lt(1, { error: 'must be < 1' }))
        .optional(),
    }),
    budgets: z.record(z.string(), BudgetSchema).default({}),
    uncertainty: z
      .object({
        /** draw each run's rates from their posteriors given parameters.evidence */
        parameters: z.boolean().default(false),
        /** let the entry rate wander by parameters.entryDrift (when given; absent = true); false holds it fixed */
        drift: z.boolean().optional(),
        /** let the exit rates wander by parameters.exitDrift (when given; absent = true); false holds them fixed */
        exitDrift: z.boolean().optional(),
        /** let entries arrive in sibling groups by parameters.entryGroups (when given; absent = true) */
        groups: z.boolean().optional(),
      })
      .default({ parameters: false }),
    stayingPut: StayingPutSchema.nullable().default(null),
    uascGrant: UascGrantSchema.nullable().default(null),
    /** where each figure came from (free text by dotted path); carried through, never used in the maths */
    sources: z.record(z.string(), z.string()).optional(),
    /** the council and profile version a scenario resolved from a dataset used */
    council: ScenarioCouncilSchema.optional(),
    /** what resolving the scenario had to say (example values used, figures inferred); copied to the result's warnings */
    notes: z.array(z.string().max(2000)).max(500).optional(),
  })
  .superRefine((s, ctx) => {
    // A monthly categorical draw: exit + moves out must not exceed 1 for any band × category.
    for (const band of AGE_BANDS) {
      for (const from of CATEGORIES) {
        let sum = s.parameters.exitProbability[band]?.[from] ?? 0;
        const moves = s.parameters.moveProbability[band]?.[from];
        if (moves) {
          for (const to of CATEGORIES) {
            const p = moves[to] ?? 0;
            if (to === from && p > 0) {
              ctx.addIssue({
                code: 'custom',
                path: ['parameters', 'moveProbability', band, from, to],
                message: 'a move to the same category is not a move',
              });
            }
            sum += p;
          }
        }
        if (sum > 1 + 1e-12) {
          ctx.addIssue({
            code: 'custom',
            path: ['parameters', 'exitProbability', band, from],
            message: `exit and move probabilities sum to ${sum.toFixed(4)} (> 1) for age band ${band}, ${from}`,
          });
        }
      }
    }
    const work = scenarioWork(s);
    if (work.initialChildren > LIMITS.initialChildren)
      ctx.addIssue({
        code: 'custom',
        path: ['initial'],
        message: `holds ${work.initialChildren} children (counting each line's count): at most ${LIMITS.initialChildren}`,
      });
    else if (work.children > LIMITS.children)
      ctx.addIssue({
        code: 'custom',
        path: ['parameters', 'entriesPerMonth'],
        message: `the scenario would have about ${Math.round(work.children)} children over its horizon (entries and arrivals included): at most ${LIMITS.children}`,
      });
    else if (work.childMonths > LIMITS.childMonths)
      ctx.addIssue({
        code: 'custom',
        path: ['runs'],
        message: `runs × children × months is about ${work.childMonths.toExponential(2)}: at most ${LIMITS.childMonths.toExponential(0)} (fewer runs or a shorter horizon)`,
      });
    for (const label of Object.keys(s.budgets)) {
      try {
        parseFinancialYear(label);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['budgets', label], message: (e as Error).message });
      }
    }
    if (s.uasc) {
      const ageSum = Object.values(s.uasc.arrivalAge).reduce((a: number, b) => a + (b ?? 0), 0);
      if (Math.abs(ageSum - 1) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: ['uasc', 'arrivalAge'],
          message: `shares must sum to 1 (they sum to ${ageSum})`,
        });
      const placeSum = Object.values(s.uasc.arrivalPlacement).reduce((a: number, b) => a + (b ?? 0), 0);
      if (Math.abs(placeSum - 1) > 1e-6)
        ctx.addIssue({
          code: 'custom',
          path: ['uasc', 'arrivalPlacement'],
          message: `shares must sum to 1 (they sum to ${placeSum})`,
        });
      const dates = s.uasc.thresholds.map((t) => t.from);
      for (let i = 1; i < dates.length; i++) {
        if ((dates[i] as string) <= (dates[i - 1] as string))
          ctx.addIssue({
            code: 'custom',
            path: ['uasc', 'thresholds', i, 'from'],
            message: 'dates must be in increasing order',
          });
      }
      // uasc.initial and the children flagged uasc in initial are reconciled by the engine (with a warning)
    }
    if (s.uascGrant) {
      const dates = s.uascGrant.rates.map((r) => r.from);
      for (let i = 1; i < dates.length; i++) {
        if ((dates[i] as string) <= (dates[i - 1] as string))
          ctx.addIssue({
            code: 'custom',
            path: ['uascGrant', 'rates', i, 'from'],
            message: 'dates must be in increasing order',
          });
      }
    }
    for (const [i, c] of s.initial.entries()) {
      if (c.monthsInPlacement > c.ageMonths)
        ctx.addIssue({
          code: 'custom',
          path: ['initial', i, 'monthsInPlacement'],
          message: 'must not exceed ageMonths',
        });
    }
    // the months are dates in the workbooks (Excel's begin in 1900) and "YYYY-MM" strings (none after 9999-12)
    if (
      MONTH_RE.test(s.start) &&
      (monthIndex(s.start) < FIRST_MONTH_INDEX || monthIndex(s.start) + s.horizonMonths - 1 > LAST_MONTH_INDEX)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['start'],
        message: 'the forecast must run within the months from 1900-01 to 9999-12',
      });
    // the price base is when the weekly costs were true: before the start (last year's accounts) or within the forecast
    // (a later year's prices divide the earlier years by the inflation); a month after the last is a price nobody had
    // yet, most likely a mistyped year, which would deflate every month without a word (the limit was the month after
    // the last, one more than its message said)
    if (
      MONTH_RE.test(s.costs.priceBase) &&
      MONTH_RE.test(s.start) &&
      monthIndex(s.costs.priceBase) > lastForecastMonth(s.start, s.horizonMonths)
    )
      ctx.addIssue({
        code: 'custom',
        path: ['costs', 'priceBase'],
        message: `must not be after the forecast's last month (${monthFromIndex(lastForecastMonth(s.start, s.horizonMonths))})`,
      });
  });

export type Scenario = z.output<typeof ScenarioSchema>;
export type ScenarioInput = z.input<typeof ScenarioSchema>;
export type Parameters = z.output<typeof ParametersSchema>;
export type Evidence = z.output<typeof EvidenceSchema>;
export type WeeklyCost = z.output<typeof WeeklyCostSchema>;
export type InitialChild = z.output<typeof InitialChildSchema>;
export type StayingPut = z.output<typeof StayingPutSchema>;
export type UascGrant = z.output<typeof UascGrantSchema>;

/** One problem with an input: the dotted path of the field, a machine code and a sentence for people. */
export interface InputIssue {
  path: string;
  code: string;
  message: string;
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.') || '(root)';
}

const KNOWN_KEYS = `categories: ${CATEGORIES.join(', ')}; age bands: ${AGE_BANDS.join(', ')}`;

export function issuesFromZod(error: z.ZodError): InputIssue[] {
  return error.issues.flatMap((i): InputIssue[] => {
    if (i.code === 'unrecognized_keys') {
      // one issue per unknown key, at the key's own path, so the user sees exactly which name is wrong
      const inRecord = i.path.some(
        (p) =>
          p === 'entriesPerMonth' ||
          p === 'exitProbability' ||
          p === 'moveProbability' ||
          p === 'weekly' ||
          p === 'arrivalPlacement' ||
          p === 'evidence' ||
          p === 'exposureMonths' ||
          p === 'exits' ||
          p === 'moves' ||
          p === 'entries',
      );
      return i.keys.map((k) => ({
        path: formatPath([...i.path, k]),
        code: i.code,
        message: inRecord ? `unknown key "${k}" (${KNOWN_KEYS})` : `unknown field "${k}"`,
      }));
    }
    return [{ path: formatPath(i.path), code: i.code, message: i.message }];
  });
}

/** The most problems one answer lists: enough to fix a file by, never a 20 MB answer (the rest are counted). */
export const MAX_ISSUES = 100;

export function limitIssues(issues: InputIssue[]): InputIssue[] {
  if (issues.length <= MAX_ISSUES) return issues;
  return [
    ...issues.slice(0, MAX_ISSUES),
    {
      path: '(root)',
      code: 'too_many_issues',
      message: `${issues.length - MAX_ISSUES} more problems not listed: fix these and send it again`,
    },
  ];
}

export type ParseResult<T> = { ok: true; value: T } | { ok: false; issues: InputIssue[] };

/**
 * Validates a scenario. With `strict` (what a person or a file sent: the API's bodies and overrides, the CLI's files, a
 * region's scenarios) a field the schema does not know is an error naming it — a misspelt `recruitmentPerYr` would
 * otherwise be dropped and the forecast run without it. Without (scenarios this service stored itself), unknown fields
 * are dropped, so a stored scenario still runs after a field is retired.
 */
export function parseScenario(input: unknown, options: { strict?: boolean } = {}): ParseResult<Scenario> {
  const r = ScenarioSchema.safeParse(input);
  if (!r.success) return { ok: false, issues: limitIssues(issuesFromZod(r.error)) };
  if (options.strict) {
    const unknown = unknownFields(input, r.data);
    if (unknown.length > 0) {
      return {
        ok: false,
        issues: limitIssues(
          unknown.map((path) => ({
            path: formatPath(path),
            code: 'unrecognized_keys',
            message: `unknown field "${String(path[path.length - 1])}"`,
          })),
        ),
      };
    }
  }
  return { ok: true, value: r.data };
}

/**
 * The paths of the fields in `input` that validation dropped from `output` (zod leaves out the keys an object schema
 * does not know): input and output are walked together, object by object and array by array.
 */
export function unknownFields(
  input: unknown,
  output: unknown,
  at: (string | number)[] = [],
  found: (string | number)[][] = [],
): (string | number)[][] {
  // one list filled in place (spreading a child's list into push() threw a RangeError past ~120,000 fields)
  if (Array.isArray(input) && Array.isArray(output)) {
    input.forEach((v, i) => unknownFields(v, output[i], [...at, i], found));
  } else if (isPlainObject(input) && isPlainObject(output)) {
    for (const [k, v] of Object.entries(input)) {
      if (v === undefined) continue;
      if (!Object.hasOwn(output, k)) found.push([...at, k]);
      else unknownFields(v, output[k], [...at, k], found);
    }
  }
  return found;
}

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Apply overrides (a partial scenario) onto a base: objects merge key by key, arrays and scalars replace.
 * Used by "dataset + overrides" requests and by comparison variants.
 */
export function applyOverrides<T>(base: T, overrides: unknown): T {
  if (overrides === undefined) return base;
  if (overrides === null || typeof overrides !== 'object' || Array.isArray(overrides)) return overrides as T;
  if (base === null || typeof base !== 'object' || Array.isArray(base)) return overrides as T;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(overrides as Record<string, unknown>)) {
    // JSON can carry a "__proto__" key; assigned, it would replace the copy's prototype: no scenario field has that name
    if (k === '__proto__') continue;
    out[k] = applyOverrides(Object.hasOwn(base, k) ? (base as Record<string, unknown>)[k] : undefined, v);
  }
  return out as T;
}

/** Set one dotted path (e.g. "capacity.recruitmentPerYear") on a copy; used by sweeps and goal seeking. */
export function setPath<T>(base: T, path: string, value: unknown): T {
  const keys = path.split('.');
  const override: Record<string, unknown> = {};
  let cur = override;
  keys.forEach((k, i) => {
    if (i === keys.length - 1) cur[k] = value;
    else {
      const next: Record<string, unknown> = {};
      cur[k] = next;
      cur = next;
    }
  });
  return applyOverrides(base, override);
}

export type { AgeBand, Category };

/**
 * The size of a scenario's work, from its input alone (no run): children at the start, children over the horizon
 * (expected entries and UASC arrivals added, at most), and child-months the engine simulates over all runs.
 */
export function scenarioWork(s: {
  runs: number;
  horizonMonths: number;
  initial: ReadonlyArray<{ count?: number }>;
  parameters: { entriesPerMonth: Partial<Record<string, Partial<Record<string, number>>>> };
  entries?: { multiplier?: UncertainNumber };
  uasc?: { transfersPerMonthWhenOnRota: UncertainNumber; spontaneousPerMonth: UncertainNumber } | null;
}): { initialChildren: number; children: number; childMonths: number } {
  // a range counts at its top (a p10–p90 range at p90 plus its width)
  const top = (x: UncertainNumber): number =>
    typeof x === 'number' ? x : 'max' in x ? x.max : x.p90 + (x.p90 - x.p10);
  let initialChildren = 0;
  for (const c of s.initial) initialChildren += c.count ?? 1;
  let entriesPerMonth = 0;
  for (const byCategory of Object.values(s.parameters.entriesPerMonth))
    for (const v of Object.values(byCategory ?? {})) entriesPerMonth += v ?? 0;
  entriesPerMonth *= top(s.entries?.multiplier ?? 1);
  if (s.uasc) entriesPerMonth += top(s.uasc.transfersPerMonthWhenOnRota) + top(s.uasc.spontaneousPerMonth);
  const children = initialChildren + entriesPerMonth * s.horizonMonths;
  return { initialChildren, children, childMonths: s.runs * children * s.horizonMonths };
}
