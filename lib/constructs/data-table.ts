/**
 * The single table and the key that encrypts it. Key names match the store (functions/store/): `pk`/`sk`, and the
 * GSI `byKind` on `kind` + `createdAt` that lists datasets, scenarios and forecasts newest first.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import { Construct } from 'constructs';

export const TABLE_KEYS = { partitionKey: 'pk', sortKey: 'sk' } as const;
export const BY_KIND_INDEX = { name: 'byKind', partitionKey: 'kind', sortKey: 'createdAt' } as const;

/**
 * Exactly the calls the store makes. No Scan (listing goes through the GSI) and no transactions (dynalite, the local
 * runtime, has none: results are written parts first, status item last).
 */
export const TABLE_READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];
/** DynamoDB calls KMS on the caller's behalf: decrypt to read, encrypt / new data keys to write. */
export const KEY_READ_ACTIONS = ['kms:Decrypt', 'kms:DescribeKey'];
export const KEY_WRITE_ACTIONS = ['kms:Encrypt', 'kms:GenerateDataKey'];

export class DataTable extends Construct {
  readonly table: dynamodb.TableV2;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string) {
    super(scope, id);

    // Children's placement histories, even pseudonymised: the council holds this key, can audit and revoke it.
    this.key = new kms.Key(this, 'Key', {
      description: 'Encrypts the placement forecast table',
      enableKeyRotation: true,
      rotationPeriod: Duration.days(365),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.table = new dynamodb.TableV2(this, 'Table', {
      partitionKey: { name: TABLE_KEYS.partitionKey, type: dynamodb.AttributeType.STRING },
      sortKey: { name: TABLE_KEYS.sortKey, type: dynamodb.AttributeType.STRING },
      billing: dynamodb.Billing.onDemand(),
      encryption: dynamodb.TableEncryptionV2.customerManagedKey(this.key),
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: true,
      // forecasts and uploaded datasets outlive the stack: deleting the stack must never delete them
      removalPolicy: RemovalPolicy.RETAIN,
      globalSecondaryIndexes: [
        {
          indexName: BY_KIND_INDEX.name,
          partitionKey: { name: BY_KIND_INDEX.partitionKey, type: dynamodb.AttributeType.STRING },
          sortKey: { name: BY_KIND_INDEX.sortKey, type: dynamodb.AttributeType.STRING },
        },
      ],
    });
  }

  /** Read access: the table and its index, and decrypt on the key. Nothing else. */
  grantRead(grantee: iam.IGrantable): void {
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: TABLE_READ_ACTIONS,
        resources: [this.table.tableArn, `${this.table.tableArn}/index/${BY_KIND_INDEX.name}`],
      }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: KEY_READ_ACTIONS, resources: [this.key.keyArn] }),
    );
  }

  /** Read and write: item writes on the table (never on the index, which DynamoDB maintains) and encrypt on the key. */
  grantReadWrite(grantee: iam.IGrantable): void {
    this.grantRead(grantee);
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: TABLE_WRITE_ACTIONS, resources: [this.table.tableArn] }),
    );
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: KEY_WRITE_ACTIONS, resources: [this.key.keyArn] }),
    );
  }
}
