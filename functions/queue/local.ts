/**
 * The in-process queue of the local runtime: what SQS does for us on AWS, in miniature. Messages wait in memory
 * until a consumer (bin/local/job-host.ts) takes them; a failed delivery is retried once and then handed to
 * `onDeadLetter`, like a redrive policy with maxReceiveCount 2.
 */
import type { JobMessage, JobQueue } from './queue.js';

export interface Delivery {
  message: JobMessage;
  /** 1 on the first delivery (SQS's ApproximateReceiveCount) */
  receiveCount: number;
}

export class LocalQueue implements JobQueue {
  private readonly waiting: Delivery[] = [];
  private readonly takers: Array<(d: Delivery | undefined) => void> = [];
  private closed = false;

  async send(message: JobMessage): Promise<void> {
    if (this.closed) throw new Error('the local queue is closed');
    this.push({ message: structuredClone(message), receiveCount: 1 });
  }

  /** queue a message again after a restart, continuing its receive count */
  requeue(message: JobMessage, receiveCount: number): void {
    if (this.closed) return;
    this.push({ message: structuredClone(message), receiveCount });
  }

  /** put a delivery back for another attempt */
  retry(d: Delivery): void {
    this.push({ message: d.message, receiveCount: d.receiveCount + 1 });
  }

  private push(d: Delivery): void {
    const taker = this.takers.shift();
    if (taker) taker(d);
    else this.waiting.push(d);
  }

  /** the next delivery; undefined once the queue is closed */
  take(): Promise<Delivery | undefined> {
    const d = this.waiting.shift();
    if (d) return Promise.resolve(d);
    if (this.closed) return Promise.resolve(undefined);
    return new Promise((resolve) => this.takers.push(resolve));
  }

  /** stop handing out work; returns what was still waiting */
  close(): Delivery[] {
    this.closed = true;
    for (const t of this.takers.splice(0)) t(undefined);
    return this.waiting.splice(0);
  }

  /** closed: sends are refused (the host is stopping) */
  get isClosed(): boolean {
    return this.closed;
  }

  get depth(): number {
    return this.waiting.length;
  }
}
