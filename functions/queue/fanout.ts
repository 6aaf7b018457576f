/**
 * The fan-out port: runs a large job's shards and then merges them. On AWS it starts an execution of the shard state
 * machine (lib/constructs/shard-state-machine.ts), which counts, retries and limits the shards itself; on one machine
 * the local runtime installs its own (bin/), which runs the shards through the same worker pool as every other job.
 * Without either (e.g. a test with only a queue) there is no fan-out and every job runs whole.
 */
import { ExecutionAlreadyExists, SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { config } from '#functions/config';
import { AWS_MAX_SHARDS, AWS_WORK_PER_SHARD, type Shard } from '#models/shards';

const AWS_FANOUT = { maxShards: AWS_MAX_SHARDS, workPerShard: AWS_WORK_PER_SHARD } as const;

export interface FanOutJob {
  /** the job kind that owns the shards (functions/jobs/shards.ts: registerShardedKind) */
  kind: string;
  id: string;
  shards: Shard[];
}

export interface FanOut {
  /** the most shards one job may be split into here */
  readonly maxShards: number;
  /** work units (runs × children × months) a shard should take at least here (models/shards.ts) */
  readonly workPerShard: number;
  /** start the job's shards and its merge; resolves once they are started (not finished) */
  start(job: FanOutJob): Promise<void>;
}

/** Step Functions: one execution per job, named after it, so a repeated start is the same execution. */
export class StepFunctionsFanOut implements FanOut {
  private readonly client: SFNClient;
  constructor(
    private readonly stateMachineArn: string,
    readonly maxShards: number,
    readonly workPerShard: number,
    region?: string,
  ) {
    this.client = new SFNClient(region ? { region } : {});
  }

  async start(job: FanOutJob): Promise<void> {
    try {
      await this.client.send(
        new StartExecutionCommand({
          stateMachineArn: this.stateMachineArn,
          name: executionName(job.kind, job.id),
          input: JSON.stringify({ kind: job.kind, id: job.id, of: job.shards.length, shards: job.shards }),
        }),
      );
    } catch (e) {
      // the same name with the same input returns the running execution; a closed one answers this: already run
      if (!(e instanceof ExecutionAlreadyExists)) throw e;
    }
  }
}

/** Execution names: up to 80 characters of letters, digits, '-' and '_'. */
export function executionName(kind: string, id: string): string {
  return `${kind}-${id}`.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 80);
}

let fanOut: FanOut | null | undefined;

/** The process's fan-out, or null when there is none (jobs then run whole). */
export function getFanOut(): FanOut | null {
  if (fanOut === undefined) {
    const c = config();
    fanOut = c.SHARD_STATE_MACHINE_ARN
      ? new StepFunctionsFanOut(c.SHARD_STATE_MACHINE_ARN, AWS_FANOUT.maxShards, AWS_FANOUT.workPerShard, c.AWS_REGION)
      : null;
  }
  return fanOut;
}

/** The local runtime installs its own; undefined goes back to reading the environment. */
export function setFanOut(f: FanOut | null | undefined): void {
  fanOut = f;
}
