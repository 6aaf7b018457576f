/**
 * The environment, read once and validated by one zod schema: a Lambda with a missing or malformed variable fails at
 * cold start with a clear message instead of on the first request that happens to need it.
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

const ConfigSchema = z.object({
  /** the single table (pk, sk; GSI `byKind` on kind + createdAt) */
  TABLE_NAME: z.string().min(1),
  /** 'local' for the one-machine runtime; anything else is a deployed stage */
  STAGE: z.string().min(1).default('local'),
  /** SQS queue for scenario runs; absent locally, where the in-process queue is installed instead */
  QUEUE_URL: z.string().url().optional(),
  /** the shard state machine (Step Functions) that runs large jobs in shards; absent locally */
  SHARD_STATE_MACHINE_ARN: z.string().startsWith('arn:').optional(),
  /** a DynamoDB-compatible endpoint (dynalite, DynamoDB Local); absent on AWS */
  DYNAMODB_ENDPOINT: z.string().url().optional(),
  AWS_REGION: z.string().min(1).default('eu-west-2'),
  LOG_LEVEL: z.enum(['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT']).default('INFO'),
  /** how long an Idempotency-Key is remembered */
  IDEMPOTENCY_HOURS: z.coerce.number().positive().default(24),
  /** API Gateway's payload limit is 10 MB and Lambda's 6 MB: refuse above this with 413 before parsing */
  MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .default(6 * 1024 * 1024),
  /** salt for the opaque child keys kept inside a dataset (never the raw child id) */
  DATA_SALT: z.string().min(8).default('placement-forecast-default-salt'),
  /** a run whose heartbeat is older than this is reported as failed (a crashed worker cannot report itself) */
  STALE_RUN_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 60),
  /** signs page cursors; default derived from DATA_SALT */
  CURSOR_SECRET: z.string().min(16).optional(),
  /** log error stacks (never set by `npm start` or the stack): for a developer chasing a bug */
  DEBUG_STACKS: z.enum(['0', '1', 'true', 'false']).optional(),
  /** deliveries of one message before it is dead-lettered (the CDK stack's maxReceiveCount) */
  MAX_RECEIVES: z.coerce.number().int().min(1).default(2),
});

export type Config = z.output<typeof ConfigSchema>;

let cached: Config | undefined;

/** The validated environment; throws at the first call (cold start) when it is wrong. */
export function config(): Config {
  if (cached) return cached;
  const parsed = ConfigSchema.safeParse(process.env);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new Error(`invalid environment: ${detail}`);
  }
  cached = parsed.data;
  return cached;
}

/** Tests and the local runtime change the environment before the first request; this forgets the cached copy. */
export function resetConfig(): void {
  cached = undefined;
}

/** The key that signs page cursors. */
export function cursorSecret(c: Config = config()): string {
  return c.CURSOR_SECRET ?? createHash('sha256').update(`cursor:${c.DATA_SALT}`).digest('base64url');
}
