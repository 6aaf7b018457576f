/**
 * The table's shape, shared by the DynamoDB adapter, the local runtime (which creates it) and the CDK stack.
 * pk = "<KIND>#<id>", sk = "META" for the summary item and "BLOB#<name>#<gen>#<n>" for parts;
 * the sparse GSI `byKind` (kind, createdAt) holds only summary items and serves the newest-first lists.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';

export const KEY = { partition: 'pk', sort: 'sk' } as const;
export const BY_KIND_INDEX = { name: 'byKind', partition: 'kind', sort: 'createdAt' } as const;

export function createTableInput(tableName: string): CreateTableCommandInput {
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [
      { AttributeName: KEY.partition, AttributeType: 'S' },
      { AttributeName: KEY.sort, AttributeType: 'S' },
      { AttributeName: BY_KIND_INDEX.partition, AttributeType: 'S' },
      { AttributeName: BY_KIND_INDEX.sort, AttributeType: 'S' },
    ],
    KeySchema: [
      { AttributeName: KEY.partition, KeyType: 'HASH' },
      { AttributeName: KEY.sort, KeyType: 'RANGE' },
    ],
    GlobalSecondaryIndexes: [
      {
        IndexName: BY_KIND_INDEX.name,
        KeySchema: [
          { AttributeName: BY_KIND_INDEX.partition, KeyType: 'HASH' },
          { AttributeName: BY_KIND_INDEX.sort, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      },
    ],
  };
}
