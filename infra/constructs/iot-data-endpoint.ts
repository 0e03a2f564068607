import { Validations } from 'aws-cdk-lib';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { acknowledgeCustomResourceProvider } from './custom-resource-provider.ts';

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
    acknowledgeCustomResourceProvider(this);
    Validations.of(lookup).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'iot:DescribeEndpoint supports no resource-level permissions (IoT service authorization reference); the role allows only that action.',
    });
  }
}
