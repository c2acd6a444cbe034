package io.jobpipeline.local.lambda;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The Lambda context of one local invocation: a fresh request id and the time left before the function's timeout.
 * Tests that call a handler directly use it too, with the timeout they want the invocation to have.
 */
public final class LocalContext implements Context {
    private final String requestId = UUID.randomUUID().toString();
    private final String functionName;
    private final String functionArn;
    private final int memoryMb;
    private final long deadlineMillis;

    public LocalContext(String functionName, String functionArn, int memoryMb, java.time.Duration timeout) {
        this.functionName = functionName;
        this.functionArn = functionArn;
        this.memoryMb = memoryMb;
        this.deadlineMillis = System.currentTimeMillis() + timeout.toMillis();
    }

    /** A context of the named function in the local account, ending {@code timeout} from now. */
    public static LocalContext of(String functionName, java.time.Duration timeout) {
        return new LocalContext(functionName, "arn:aws:lambda:us-east-1:000000000000:function:" + functionName, 1024, timeout);
    }

    @Override
    public String getAwsRequestId() {
        return requestId;
    }

    @Override
    public String getLogGroupName() {
        return "/aws/lambda/" + functionName;
    }

    @Override
    public String getLogStreamName() {
        return "local/" + functionName;
    }

    @Override
    public String getFunctionName() {
        return functionName;
    }

    @Override
    public String getFunctionVersion() {
        return "$LATEST";
    }

    @Override
    public String getInvokedFunctionArn() {
        return functionArn;
    }

    @Override
    public CognitoIdentity getIdentity() {
        return null;
    }

    @Override
    public ClientContext getClientContext() {
        return null;
    }

    @Override
    public int getRemainingTimeInMillis() {
        return (int) Math.max(0, deadlineMillis - System.currentTimeMillis());
    }

    @Override
    public int getMemoryLimitInMB() {
        return memoryMb;
    }

    @Override
    public LambdaLogger getLogger() {
        return new LambdaLogger() {
            @Override
            public void log(String message) {
                System.err.println(message);
            }

            @Override
            public void log(byte[] message) {
                System.err.println(new String(message, StandardCharsets.UTF_8));
            }
        };
    }
}
