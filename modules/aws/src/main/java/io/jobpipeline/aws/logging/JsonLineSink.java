package io.jobpipeline.aws.logging;

import com.amazonaws.services.lambda.runtime.LambdaRuntime;
import com.amazonaws.services.lambda.runtime.LambdaRuntimeInternal;
import com.amazonaws.services.lambda.runtime.logging.LogLevel;
import org.slf4j.event.Level;

/** Where a finished line goes. */
interface JsonLineSink {
    void write(byte[] line, Level level);

    /**
     * The Lambda runtime's logger, as aws-lambda-java-log4j2's appender wrote to it: the runtime frames each line as
     * one CloudWatch event (a stack trace stays one event) and knows its level; outside Lambda it prints to stdout.
     */
    static JsonLineSink lambdaRuntime() {
        // The flag the log4j2 appender sets: the runtime then leaves the lines' formatting to us.
        LambdaRuntimeInternal.setUseLog4jAppender(true);
        return (line, level) -> LambdaRuntime.getLogger().log(line, switch (level) {
            case ERROR -> LogLevel.ERROR;
            case WARN -> LogLevel.WARN;
            case INFO -> LogLevel.INFO;
            case DEBUG -> LogLevel.DEBUG;
            case TRACE -> LogLevel.TRACE;
        });
    }
}
