/**
 * The environment, read once and validated by one zod schema: a Lambda with a missing or malformed variable fails at
 * cold start with a clear message instead of on the first request that happens to need it.
 */
import { createHash, randomBytes } from 'node:crypto';
import * as z from 'zod';

/**
 * The salt written in this repository: public, so child keys made with it can be reversed by trying every id. Only
 * for tests and for a local data folder made before the local runtime kept a salt of its own (bin/local/salt.ts).
 */
export const PUBLIC_DEFAULT_SALT = 'placement-forecast-default-salt';

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
  /**
   * salt for the opaque child keys kept inside a dataset (never the raw child id). Never set on AWS, where the salt
   * is a Secrets Manager secret (DATA_SALT_SECRET_ARN); locally `npm start` keeps one in the data folder.
   */
  DATA_SALT: z.string().min(8).optional(),
  /** the Secrets Manager secret holding the data salt: set on AWS for the functions that hash child ids only */
  DATA_SALT_SECRET_ARN: z.string().startsWith('arn:').optional(),
  /** a run whose heartbeat is older than this is reported as failed (a crashed worker cannot report itself) */
  STALE_RUN_SECONDS: z.coerce
    .number()
    .int()
    .positive()
    .default(20 * 60),
  /** signs page cursors; default derived from DATA_SALT (see cursorSecret) */
  CURSOR_SECRET: z.string().min(16).optional(),
  /** the Secrets Manager secret that signs page cursors: set on AWS for the functions that hand cursors out only */
  CURSOR_SECRET_ARN: z.string().startsWith('arn:').optional(),
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

/**
 * Keys kept apart from the data: read from Secrets Manager by loadKeys() on AWS, or handed over by the local runtime
 * (its salt file). They win over the environment's DATA_SALT and CURSOR_SECRET.
 */
export interface Keys {
  dataSalt?: string;
  cursorSecret?: string;
}

let keys: Keys = {};
let loading: Promise<void> | undefined;
/** signs the cursors of a process that was given no key: they never leave it (a job paging through a list) */
let processCursorSecret: string | undefined;

/** Tests and the local runtime change the environment before the first request; this forgets the cached copy. */
export function resetConfig(): void {
  cached = undefined;
  keys = {};
  loading = undefined;
}

/** The local runtime's keys (or none: `undefined` forgets them when it stops). */
export function useKeys(k: Keys | undefined): void {
  keys = { ...k };
}

/** What loadKeys needs of a Secrets Manager client (tests stand in a stub: no network). */
export interface SecretsClient {
  send(command: { input: { SecretId?: string } }): Promise<{ SecretString?: string }>;
}

let secretsClient: SecretsClient | undefined;

/** Tests: the Secrets Manager client loadKeys uses (a stub; undefined: the SDK's, made when first needed). */
export function setSecretsClient(client: SecretsClient | undefined): void {
  secretsClient = client;
}

/**
 * Reads the secrets named by DATA_SALT_SECRET_ARN and CURSOR_SECRET_ARN from Secrets Manager, once per process
 * (a Lambda container): every HTTP handler awaits it before its handler runs (functions/http/handler.ts). Without
 * either variable it does nothing. A failure is not cached: the next request tries again.
 */
export function loadKeys(): Promise<void> {
  loading ??= (async () => {
    const c = config();
    const wanted = [
      ['dataSalt', c.DATA_SALT_SECRET_ARN],
      ['cursorSecret', c.CURSOR_SECRET_ARN],
    ].filter((w): w is ['dataSalt' | 'cursorSecret', string] => w[1] !== undefined);
    if (wanted.length === 0) return;
    const sm = await import('@aws-sdk/client-secrets-manager');
    secretsClient ??= new sm.SecretsManagerClient({ region: c.AWS_REGION });
    const client = secretsClient;
    const values = await Promise.all(
      wanted.map(async ([name, arn]) => {
        const out = await client.send(new sm.GetSecretValueCommand({ SecretId: arn }));
        const value = out.SecretString;
        // the stack generates 64 characters; anything short is not the secret it made
        if (typeof value !== 'string' || value.length < 32)
          throw new Error(
            `the secret ${name === 'dataSalt' ? 'DATA_SALT_SECRET_ARN' : 'CURSOR_SECRET_ARN'} names holds no usable string`,
          );
        return [name, value] as const;
      }),
    );
    keys = { ...keys, ...Object.fromEntries(values) };
  })().catch((e) => {
    loading = undefined;
    throw e;
  });
  return loading;
}

const notLoaded = (variable: string): Error =>
  new Error(`${variable} is set but its secret has not been read: await loadKeys() before using it`);

/**
 * The salt child ids are hashed with (models/ingest/ssda903/clean.ts#childKey). On AWS the secret's value (loadKeys
 * first); locally the runtime's own salt; the public default only for a local stage given none (tests).
 */
export function dataSalt(c: Config = config()): string {
  if (c.DATA_SALT_SECRET_ARN) {
    if (!keys.dataSalt) throw notLoaded('DATA_SALT_SECRET_ARN');
    return keys.dataSalt;
  }
  if (keys.dataSalt) return keys.dataSalt;
  if (c.DATA_SALT) return c.DATA_SALT;
  if (c.STAGE === 'local') return PUBLIC_DEFAULT_SALT;
  throw new Error(
    'this function hashes child ids but has no salt: on AWS it needs DATA_SALT_SECRET_ARN (lib/stack.ts, the route table access.dataSalt)',
  );
}

/**
 * The key that signs page cursors: the secret's value on AWS (loadKeys first), the local runtime's, CURSOR_SECRET,
 * or one derived from DATA_SALT. A process given none of these signs with a random key of its own: its cursors are
 * good only inside it, which is all a job paging through a list needs.
 */
export function cursorSecret(c: Config = config()): string {
  if (c.CURSOR_SECRET_ARN) {
    if (!keys.cursorSecret) throw notLoaded('CURSOR_SECRET_ARN');
    return keys.cursorSecret;
  }
  if (keys.cursorSecret) return keys.cursorSecret;
  if (c.CURSOR_SECRET) return c.CURSOR_SECRET;
  if (c.DATA_SALT) return deriveCursorSecret(c.DATA_SALT);
  processCursorSecret ??= randomBytes(32).toString('base64url');
  return processCursorSecret;
}

/** A cursor key from a salt (the local runtime's, or DATA_SALT): one-way, so a cursor key never reveals the salt. */
export function deriveCursorSecret(salt: string): string {
  return createHash('sha256').update(`cursor:${salt}`).digest('base64url');
}
