import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { JobMessage, JobQueue } from './queue.js';

export class SqsQueue implements JobQueue {
  private readonly client: SQSClient;
  constructor(
    private readonly queueUrl: string,
    region?: string,
  ) {
    this.client = new SQSClient(region ? { region } : {});
  }
  async send(message: JobMessage): Promise<void> {
    await this.client.send(new SendMessageCommand({ QueueUrl: this.queueUrl, MessageBody: JSON.stringify(message) }));
  }
}
