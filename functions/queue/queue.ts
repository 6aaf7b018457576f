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

/** A message body as it arrives (SQS), or undefined when it is not a job message (not JSON, no kind or id). */
export function parseJobMessage(body: string): JobMessage | undefined {
  try {
    const message = JSON.parse(body) as JobMessage;
    return message && typeof message.kind === 'string' && typeof message.id === 'string' ? message : undefined;
  } catch {
    return undefined;
  }
}

export interface JobQueue {
  send(message: JobMessage): Promise<void>;
}
