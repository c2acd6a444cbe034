package io.jobpipeline.intake;

import io.jobpipeline.aws.AwsClients;
import java.time.Duration;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The intake's clients, on a short leash: a producer waits on the other end, and API Gateway gives up after 30 s. The
 * SDK's defaults retry DynamoDB up to 9 times with backoffs of up to 20 s, so a throttled table would outlast the
 * function's timeout and the producer would get API Gateway's bare 503 instead of ours, with nothing taken back.
 * Three attempts within 5 s per call leaves time to answer 503 with {@code Retry-After} after a few failed calls.
 */
record IntakeClients(DynamoDbClient dynamo, SqsClient sqs) {
    static final ClientOverrideConfiguration SHORT_LEASH = ClientOverrideConfiguration.builder()
            .retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(3).build())
            .apiCallTimeout(Duration.ofSeconds(5))
            .build();

    static IntakeClients of(AwsClients aws) {
        return new IntakeClients(aws.dynamoDb(SHORT_LEASH), aws.sqs(SHORT_LEASH));
    }
}
