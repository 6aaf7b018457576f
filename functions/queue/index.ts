/** The process's job queue: SQS when QUEUE_URL is set, else whatever the local runtime installed. */
import { config } from '#functions/config';
import type { JobQueue } from './queue.js';
import { SqsQueue } from './sqs.js';

let queue: JobQueue | undefined;

export function getQueue(): JobQueue {
  if (!queue) {
    const c = config();
    if (!c.QUEUE_URL) throw new Error('no job queue: QUEUE_URL is not set and no local queue is installed');
    queue = new SqsQueue(c.QUEUE_URL, c.AWS_REGION);
  }
  return queue;
}

export function setQueue(q: JobQueue | undefined): void {
  queue = q;
}

export type { JobMessage, JobQueue } from './queue.js';
