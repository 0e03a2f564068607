import { marshall } from '@aws-sdk/util-dynamodb';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsCustomResource, AwsCustomResourcePolicy, PhysicalResourceId } from 'aws-cdk-lib/custom-resources';
import { Construct } from 'constructs';
import { wholeConfigItems } from '#functions/store/config-store.ts';
import type { Config } from '#schedules/config/schema.ts';
import { acknowledgeCustomResourceProvider } from './custom-resource-provider.ts';

/**
 * Writes the site's config file into a new main table, item by item, when the table is created:
 * the API has no route for the site settings, and the plan push needs a config from the first
 * night. Each write is conditional and runs only on creation, so a redeploy never overwrites what
 * technicians have changed since; later edits go through the API.
 */
export class SiteConfigSeed extends Construct {
  constructor(scope: Construct, id: string, props: { table: ITable; siteId: string; config: Config }) {
    super(scope, id);
    wholeConfigItems(props.siteId, props.config).forEach((item, index) => {
      new AwsCustomResource(this, `Item${index}`, {
        onCreate: {
          service: 'DynamoDB',
          action: 'PutItem',
          parameters: {
            TableName: props.table.tableName,
            Item: marshall(item, { removeUndefinedValues: true }),
            ConditionExpression: 'attribute_not_exists(pk)',
          },
          physicalResourceId: PhysicalResourceId.of(`${props.siteId}/${item.pk}/${item.sk}`),
          ignoreErrorCodesMatching: 'ConditionalCheckFailedException',
        },
        policy: AwsCustomResourcePolicy.fromStatements([
          new PolicyStatement({ actions: ['dynamodb:PutItem'], resources: [props.table.tableArn] }),
        ]),
        installLatestAwsSdk: false,
      });
    });
    acknowledgeCustomResourceProvider(this);
  }
}
