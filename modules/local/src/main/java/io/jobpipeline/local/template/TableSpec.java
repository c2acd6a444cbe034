package io.jobpipeline.local.template;

import java.util.List;
import java.util.Optional;

/** An {@code AWS::DynamoDB::Table} (or {@code AWS::Serverless::SimpleTable}); the name is TableName, else the logical id. */
public record TableSpec(String logicalId, String tableName, KeyAttribute partitionKey, Optional<KeyAttribute> sortKey,
                        List<IndexSpec> globalSecondaryIndexes, Optional<String> ttlAttribute) {
    public TableSpec {
        globalSecondaryIndexes = List.copyOf(globalSecondaryIndexes);
    }
}
