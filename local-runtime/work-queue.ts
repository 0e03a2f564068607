import { createHash, randomUUID } from 'node:crypto';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

/**
 * An in-process stand-in for an SQS queue with a Lambda event source mapping: messages are delivered
 * to the consumer in batches as `SQSEvent`s, items the consumer reports in `batchItemFailures` (or a
 * whole batch that throws) come back after the visibility timeout, and a message received
 * `maxReceiveCount` times goes to the dead-letter list, as the queue's redrive policy does on AWS.
 */
export interface LocalWorkQueueOptions {
  readonly name: string;
  readonly batchSize?: number;
  readonly visibilityTimeoutMs?: number;
  readonly maxReceiveCount?: number;
  /** Batches handled at once (the event source mapping's maximum concurrency). */
  readonly concurrency?: number;
}

export type SqsConsumer = (event: SQSEvent) => Promise<SQSBatchResponse | undefined>;

interface Message {
  readonly messageId: string;
  readonly body: string;
  readonly sentAt: number;
  receiveCount: number;
  visibleAt: number;
}

export interface LocalWorkQueue {
  send(bodies: readonly string[]): void;
  /** Resolves when no message is queued or in flight. */
  drained(): Promise<void>;
  readonly deadLetters: readonly { messageId: string; body: string }[];
  stop(): void;
}

export function startLocalWorkQueue(consumer: SqsConsumer, options: LocalWorkQueueOptions): LocalWorkQueue {
  const batchSize = options.batchSize ?? 10;
  const visibilityTimeoutMs = options.visibilityTimeoutMs ?? 1_000;
  const maxReceiveCount = options.maxReceiveCount ?? 5;
  const concurrency = options.concurrency ?? 2;
  const arn = `arn:aws:sqs:local:000000000000:${options.name}`;
  const queued: Message[] = [];
  const deadLetters: { messageId: string; body: string }[] = [];
  let inFlight = 0;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let waiters: (() => void)[] = [];

  const record = (message: Message, now: number): SQSRecord => ({
    messageId: message.messageId,
    receiptHandle: randomUUID(),
    body: message.body,
    attributes: {
      ApproximateReceiveCount: String(message.receiveCount),
      SentTimestamp: String(message.sentAt),
      SenderId: 'local',
      ApproximateFirstReceiveTimestamp: String(now),
    },
    messageAttributes: {},
    md5OfBody: createHash('md5').update(message.body).digest('hex'),
    eventSource: 'aws:sqs',
    eventSourceARN: arn,
    awsRegion: 'local',
  });

  function settle(): void {
    if (queued.length === 0 && inFlight === 0) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  }

  function returnOrDeadLetter(message: Message): void {
    if (message.receiveCount >= maxReceiveCount)
      deadLetters.push({ messageId: message.messageId, body: message.body });
    else {
      message.visibleAt = Date.now() + visibilityTimeoutMs;
      queued.push(message);
    }
  }

  function pump(): void {
    timer = undefined;
    if (stopped) return;
    const now = Date.now();
    while (inFlight < concurrency) {
      const batch = queued.filter((m) => m.visibleAt <= now).slice(0, batchSize);
      if (batch.length === 0) break;
      for (const message of batch) {
        queued.splice(queued.indexOf(message), 1);
        message.receiveCount += 1;
      }
      inFlight += 1;
      consumer({ Records: batch.map((m) => record(m, now)) })
        .then((response) => {
          const failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
          for (const message of batch) if (failed.has(message.messageId)) returnOrDeadLetter(message);
        })
        .catch(() => {
          for (const message of batch) returnOrDeadLetter(message);
        })
        .finally(() => {
          inFlight -= 1;
          schedule();
          settle();
        });
    }
    schedule();
  }

  function schedule(): void {
    // With every slot busy, a batch finishing schedules the next poll: a timer now would only wake
    // the event loop every millisecond until then, scanning the queue each time.
    if (stopped || timer !== undefined || queued.length === 0 || inFlight >= concurrency) return;
    const next = Math.min(...queued.map((m) => m.visibleAt));
    timer = setTimeout(pump, Math.max(0, next - Date.now()));
  }

  return {
    send(bodies) {
      const now = Date.now();
      for (const body of bodies) {
        queued.push({ messageId: randomUUID(), body, sentAt: now, receiveCount: 0, visibleAt: now });
      }
      schedule();
    },
    drained() {
      return new Promise((resolve) => {
        waiters.push(resolve);
        settle();
      });
    },
    deadLetters,
    stop() {
      stopped = true;
      if (timer !== undefined) clearTimeout(timer);
    },
  };
}
