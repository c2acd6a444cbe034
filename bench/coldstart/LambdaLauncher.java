import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Plays the Lambda runtime for one invocation in a fresh JVM whose class path is one deployment jar and this class:
 * builds the handler (the init phase), optionally runs its SnapStart priming hook, hands it the event in the file
 * given (turned into the handler's event type with the jar's own Jackson, as the runtime does with its own), writes
 * the answer as JSON and prints one line {@code COLDSTART init=<ms> prime=<ms> invoke=<ms> cpu=<ms> answer=<json>}.
 *
 * <p>Compiled and started by the cold start bench and by DeploymentJarsTest:
 * {@code java -cp <jar>:<dir> LambdaLauncher <handler class> <event file> [--prime]}.
 */
public final class LambdaLauncher {
    public static void main(String[] args) throws Exception {
        byte[] event = Files.readAllBytes(Path.of(args[1]));
        boolean prime = args.length > 2 && args[2].equals("--prime");
        long start = System.nanoTime();
        Object handler = Class.forName(args[0]).getConstructor().newInstance();
        long built = System.nanoTime();
        if (prime) {
            // What SnapStart's beforeCheckpoint runs; reflective, so the launcher also runs jars without the hook.
            Object priming = handler.getClass().getMethod("priming").invoke(handler);
            priming.getClass().getMethod("prime").invoke(priming);
        }
        long primed = System.nanoTime();
        String answer = invoke(handler, event);
        long answered = System.nanoTime();
        System.out.printf("COLDSTART init=%.1f prime=%.1f invoke=%.1f cpu=%.0f answer=%s%n", (built - start) / 1e6,
                (primed - built) / 1e6, (answered - primed) / 1e6, cpuMs(), answer);
        System.out.flush();
        // exit, not halt: the training runs write their CDS archive or AOT cache at exit; the SDK's threads are not waited for.
        System.exit(0);
    }

    /**
     * CPU time of this process so far (all threads, user + system, from /proc; -1 elsewhere): on a shared machine it
     * moves far less with the load than the wall time does.
     */
    private static double cpuMs() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10.0; // utime, stime in 1/100 s (USER_HZ)
        } catch (Exception e) {
            return -1;
        }
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static String invoke(Object handler, byte[] event) throws Exception {
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(event), out, new LaunchContext());
            return out.size() == 0 ? "null" : out.toString(StandardCharsets.UTF_8);
        }
        ObjectMapper json = JsonMapper.builder().enable(MapperFeature.ACCEPT_CASE_INSENSITIVE_PROPERTIES)
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
        Object input = json.readValue(event, eventType(handler.getClass()));
        Object output = ((RequestHandler) handler).handleRequest(input, new LaunchContext());
        return json.writeValueAsString(output);
    }

    /** The I of RequestHandler<I, O>: the parameter of the handleRequest that is not the erased bridge. */
    private static Class<?> eventType(Class<?> handler) {
        for (Method m : handler.getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()) {
                return m.getParameterTypes()[0];
            }
        }
        throw new IllegalArgumentException(handler + " has no handleRequest(event, Context)");
    }

    private static final class LaunchContext implements Context {
        private final long deadline = System.currentTimeMillis() + 30_000;

        public String getAwsRequestId() {
            return "00000000-0000-4000-8000-00000000c01d";
        }

        public String getLogGroupName() {
            return "/aws/lambda/coldstart";
        }

        public String getLogStreamName() {
            return "coldstart";
        }

        public String getFunctionName() {
            return System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", "coldstart");
        }

        public String getFunctionVersion() {
            return "$LATEST";
        }

        public String getInvokedFunctionArn() {
            return "arn:aws:lambda:us-east-1:000000000000:function:" + getFunctionName();
        }

        public CognitoIdentity getIdentity() {
            return null;
        }

        public ClientContext getClientContext() {
            return null;
        }

        public int getRemainingTimeInMillis() {
            return (int) (deadline - System.currentTimeMillis());
        }

        public int getMemoryLimitInMB() {
            return Integer.parseInt(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "1024"));
        }

        public LambdaLogger getLogger() {
            return new LambdaLogger() {
                public void log(String message) {
                    System.err.print(message);
                }

                public void log(byte[] message) {
                    System.err.write(message, 0, message.length);
                }
            };
        }
    }
}
