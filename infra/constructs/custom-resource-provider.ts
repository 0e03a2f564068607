import { Stack, Validations } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/** Construct id of the AwsCustomResource singleton provider (aws-cdk-lib custom-resources). */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/** The provider function AwsCustomResource shares across a stack comes with a managed policy. */
export function acknowledgeCustomResourceProvider(scope: Construct): void {
  const provider = Stack.of(scope).node.tryFindChild(PROVIDER_ID);
  if (provider === undefined) return;
  Validations.of(provider).acknowledge({
    id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    reason:
      'The AwsCustomResource provider function is created by aws-cdk-lib with this policy (CloudWatch Logs writes only) and offers no role override for its singleton; it runs only during deployments.',
  });
}
