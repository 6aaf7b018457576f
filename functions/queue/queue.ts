/**
 * The job queue port. A message names its job kind; functions/jobs/registry.ts says what runs each kind.
 * On AWS this is SQS (./sqs.ts); on one machine an in-process queue feeding worker threads (./local.ts).
 */
export interface JobMessage {
  /** e.g. "scenario"; other kinds register themselves in functions/jobs/ */
  kind: string;
  /** the record the job works on */
  id: string;
  [key: string]: unknown;
}

export interface JobQueue {
  send(message: JobMessage): Promise<void>;
}
