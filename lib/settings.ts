/**
 * The deployment's settings, read from CDK context (`cdk.json`, or `-c key=value` on the command line) and checked
 * before anything is built, so a typo fails the synth with a readable message rather than a half-made stack.
 */
import * as z from 'zod';

/** the retention periods CloudWatch Logs accepts */
const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

const USER_POOL_ID = /^[a-z]{2}(-[a-z]+)+-\d_[A-Za-z0-9]+$/;

export const StackSettingsSchema = z.object({
  /** names the stack and tags every resource: dev, test, prod… */
  stage: z.string().regex(/^[a-z][a-z0-9-]{0,19}$/, { error: 'lower-case letters, digits and dashes, at most 20' }),
  /** the one browser origin allowed to call the API across origins (the stack's own dashboard reaches it through CloudFront, same origin) */
  dashboardOrigin: z
    .string()
    .url()
    .refine((s) => new URL(s).origin === s, {
      error: 'an origin only, e.g. https://forecast.example.gov.uk (no path, no trailing slash)',
    }),
  /** sign in against a council's existing Cognito user pool instead of creating one */
  existingUserPoolId: z.string().regex(USER_POOL_ID, { error: 'a Cognito id such as eu-west-2_AbCdEf123' }).optional(),
  /** where alarm notifications are e-mailed (optional: the SNS topic exists either way) */
  alarmEmail: z.string().email().optional(),
  /** days CloudWatch keeps function and access logs */
  logRetentionDays: z.coerce
    .number()
    .refine((n) => LOG_RETENTION_DAYS.includes(n), {
      error: `one of CloudWatch's values (${LOG_RETENTION_DAYS.join(', ')})`,
    })
    .default(180),
});

export type StackSettings = z.output<typeof StackSettingsSchema>;

/** Reads the settings through a context getter (`app.node.tryGetContext`); empty strings count as absent. */
export function readStackSettings(get: (key: string) => unknown): StackSettings {
  const raw: Record<string, unknown> = {};
  for (const key of ['stage', 'dashboardOrigin', 'existingUserPoolId', 'alarmEmail', 'logRetentionDays']) {
    const value = get(key);
    if (value !== undefined && value !== '') raw[key] = value;
  }
  const parsed = StackSettingsSchema.safeParse(raw);
  if (!parsed.success) {
    throw new Error(
      `invalid CDK context: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  }
  return parsed.data;
}
