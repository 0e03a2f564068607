import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/**
 * Every SNS topic of the app: encrypted with a rotated key of its own, TLS-only, and mailed to an
 * address when one is given (the subscriber confirms the e-mail AWS sends).
 */
export function secureTopic(
  scope: Construct,
  id: string,
  { description, email }: { description: string; email?: string },
): { topic: Topic; key: Key } {
  const key = new Key(scope, `${id}Key`, { enableKeyRotation: true, description });
  const topic = new Topic(scope, id, { masterKey: key, enforceSSL: true });
  if (email !== undefined) topic.addSubscription(new EmailSubscription(email));
  return { topic, key };
}
