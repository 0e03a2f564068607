import { Stack, Validations } from 'aws-cdk-lib';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';

/** Construct id of the AwsCustomResource singleton provider (aws-cdk-lib custom-resources). */
const PROVIDER_ID = 'AWS679f53fac002430cb0da5b7982bd2287';

/**
 * The account's IoT data endpoint (ATS), as the URL the functions' IoT data-plane client uses.
 * Given as context, it is used as is; otherwise it is looked up at deploy time with
 * IoT DescribeEndpoint (endpointType iot:Data-ATS), since it is unique per account and region.
 */
export class IotDataEndpoint extends Construct {
  readonly url: string;

  constructor(scope: Construct, id: string, configuredHost: string | undefined) {
    super(scope, id);
    if (configuredHost !== undefined) {
      this.url = `https://${configuredHost}`;
      return;
    }
    const lookup = new AwsCustomResource(this, 'Lookup', {
      onUpdate: {
        service: 'IoT',
        action: 'DescribeEndpoint',
        parameters: { endpointType: 'iot:Data-ATS' },
        physicalResourceId: PhysicalResourceId.of('iot-data-ats-endpoint'),
      },
      policy: AwsCustomResourcePolicy.fromSdkCalls({ resources: AwsCustomResourcePolicy.ANY_RESOURCE }),
      installLatestAwsSdk: false,
    });
    this.url = `https://${lookup.getResponseField('endpointAddress')}`;
    // The provider function AwsCustomResource shares across the stack (a singleton at the stack root).
    const provider = Stack.of(this).node.tryFindChild(PROVIDER_ID);
    if (provider !== undefined) {
      Validations.of(provider).acknowledge({
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
        reason:
          'The AwsCustomResource provider function is created by aws-cdk-lib with this policy (CloudWatch Logs writes only) and offers no role override for its singleton; it runs once per deploy.',
      });
    }
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:DescribeEndpoint supports no resource-level permissions (IoT service authorization reference); the role allows only that action.',
    });
  }
}
