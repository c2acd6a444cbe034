package io.jobpipeline.local.bus;

/** What PutEvents does with an entry whose EventBusName (name or ARN) is not a bus of this endpoint. */
public enum UnknownBusPolicy {
    /**
     * Fail the entry with {@code ResourceNotFoundException} / "Event bus X does not exist." (the default: a typo in a
     * bus name shows up locally instead of silently losing events).
     */
    REJECT_ENTRY,
    /**
     * What AWS has been observed to do (aws/aws-cli#9186, aws/aws-sdk#186, LocalStack's AWS-validated tests): answer
     * with an EventId and drop the event. Counted in {@link BusStats#eventsToUnknownBus()} and logged.
     */
    ACCEPT_AND_DROP
}
