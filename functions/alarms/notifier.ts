import { PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { Digest } from './digest.ts';

/** Port: where alarm digests go (an SNS topic with e-mail subscriptions; the log or a file locally). */
export interface Notifier {
  publish(digest: Digest): Promise<void>;
}

export function makeSnsNotifier({ sns, topicArn }: { sns: SNSClient; topicArn: string }): Notifier {
  return {
    async publish({ subject, text }) {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: text }));
    },
  };
}

/** The local runtime's notifier: the digest goes to the log, where `npm start` shows it. */
export function makeLogNotifier(log: (message: string, fields: Record<string, unknown>) => void): Notifier {
  return {
    async publish({ subject, text }) {
      log('alarm digest', { subject, text });
    },
  };
}
