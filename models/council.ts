/**
 * A council profile: what a council's own placement records cannot say about it — its child population (which sets
 * the UASC threshold), its in-house carer households, unit costs, inflation, budgets, Staying Put and UASC grant
 * settings. A profile is a part of a scenario: every field reuses the scenario's own shapes (models/scenario.ts), and
 * every field but the name may be left out (resolution then infers it from the data or fills it from a named example,
 * and says so: models/council-resolve.ts). Keyed by the ONS local-authority code; stored versioned (each PUT is a new
 * version and a forecast records the version it used).
 */
import * as z from 'zod';
import { parseFinancialYear } from './calendar.js';
import {
  CapacitySchema,
  FIELDS,
  ScenarioSchema,
  StayingPutSchema,
  UascGrantSchema,
  UascSchema,
  issuesFromZod,
  label,
  type ParseResult,
} from './scenario.js';
import { regionId } from './region/schema.js';
import { uncertain } from './uncertain.js';

/**
 * ONS codes of English local authorities with children's services: unitary authorities (E06), metropolitan districts
 * (E08), London boroughs (E09) and county councils (E10). E07 (shire districts) match the shape but have no
 * children's services; the shape is what the issue asks to validate.
 */
export const COUNCIL_CODE_RE = /^(E0[6-9]\d{6}|E10\d{6})$/;

export const CouncilCodeSchema = z.string({ error: 'must be an ONS local-authority code' }).regex(COUNCIL_CODE_RE, {
  error: 'must be an ONS local-authority code like E06000031 (E06–E09 or E10 and 6 digits)',
});

const { positive } = FIELDS;
const S = ScenarioSchema.shape;

export const CouncilProfileSchema = z
  .object({
    name: z.string({ error: 'must be a name' }).trim().pipe(label(200)),
    /** children aged 0–17 in `year` (mid-year estimate), growing by `annualGrowth` a year */
    childPopulation: z
      .object({
        base: positive,
        year: z
          .number({ error: 'must be a year' })
          .int({ error: 'must be a whole year' })
          .min(1990, { error: 'must be 1990 or later' })
          .max(2100, { error: 'must be 2100 or earlier' }),
        annualGrowth: S.childPopulation.shape.annualGrowth,
      })
      .strict()
      .optional(),
    capacity: CapacitySchema.extend({
      placesPerHousehold: uncertain(positive.max(6, { error: 'must be ≤ 6 places per household' })),
    })
      .partial()
      .strict()
      .optional(),
    costs: S.costs.partial().strict().optional(),
    budgets: S.budgets.unwrap().optional(),
    stayingPut: StayingPutSchema.strict().optional(),
    uascGrant: UascGrantSchema.strict().optional(),
    /** the council's UASC arrival pattern (the thresholds are national and the start count comes from the data) */
    uasc: UascSchema.omit({ initial: true, thresholds: true }).partial().strict().optional(),
    /**
     * the council's own targets, shown against the forecast (never an input to it): children in care is the number
     * the council aims to have in care, drawn on the children-in-care charts for every role
     */
    targets: z
      .object({
        childrenInCare: z
          .number({ error: 'must be a number of children' })
          .int({ error: 'must be a whole number of children' })
          .min(1, { error: 'must be at least 1' })
          .max(100000, { error: 'must be at most 100,000' }),
      })
      .strict()
      .optional(),
    /**
     * the id of the region the council plans with: its consent to be in that region's list (PUT /regions/{id} lists
     * only councils whose current profile names the region; a profile that stops naming it takes the council out)
     */
    region: regionId.optional(),
    /** refuse a forecast (422 naming the fields) rather than fill anything from an example */
    requireProfile: z.boolean().default(false),
    /** where the council's figures come from, by dotted path ("childPopulation": "ONS mid-2018 estimates") */
    sources: z.record(z.string().max(200), z.string().max(500)).optional(),
  })
  .strict()
  .superRefine((p, ctx) => {
    for (const label of Object.keys(p.budgets ?? {})) {
      try {
        parseFinancialYear(label);
      } catch (e) {
        ctx.addIssue({ code: 'custom', path: ['budgets', label], message: (e as Error).message });
      }
    }
    const rates = p.uascGrant?.rates ?? [];
    for (let i = 1; i < rates.length; i++) {
      if ((rates[i]?.from as string) <= (rates[i - 1]?.from as string))
        ctx.addIssue({
          code: 'custom',
          path: ['uascGrant', 'rates', i, 'from'],
          message: 'dates must be in increasing order',
        });
    }
    for (const key of ['arrivalAge', 'arrivalPlacement'] as const) {
      const shares = p.uasc?.[key];
      if (!shares) continue;
      const sum = Object.values(shares).reduce((a: number, b) => a + (b ?? 0), 0);
      if (Math.abs(sum - 1) > 1e-6)
        ctx.addIssue({ code: 'custom', path: ['uasc', key], message: `shares must sum to 1 (they sum to ${sum})` });
    }
  });

export type CouncilProfile = z.output<typeof CouncilProfileSchema>;
export type CouncilProfileInput = z.input<typeof CouncilProfileSchema>;

/** A stored profile version. */
export interface CouncilProfileVersion {
  code: string;
  version: number;
  profile: CouncilProfile;
}

export function parseCouncilProfile(input: unknown): ParseResult<CouncilProfile> {
  const r = CouncilProfileSchema.safeParse(input);
  return r.success ? { ok: true, value: r.data } : { ok: false, issues: issuesFromZod(r.error) };
}
