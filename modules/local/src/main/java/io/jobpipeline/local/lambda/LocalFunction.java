package io.jobpipeline.local.lambda;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import io.jobpipeline.local.template.FunctionSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.LongAdder;

/**
 * One function of the template, hosted the way Lambda's Java runtime hosts it: the handler class the template names,
 * constructed once (the init phase), fed event JSON through the runtime's own serialisers, answering JSON.
 * The local stack passes the function's environment to a {@code (Map<String,String>)} constructor, because one JVM has
 * one process environment.
 */
public final class LocalFunction {
    private final FunctionSpec spec;
    private final String arn;
    private final Object handler;
    private final PojoSerializer<Object> input;
    private final PojoSerializer<Object> output;
    private final ExecutorService invocations = Executors.newVirtualThreadPerTaskExecutor();
    private final LongAdder invoked = new LongAdder();
    private final LongAdder failed = new LongAdder();
    private final LongAdder billedMillis = new LongAdder();

    private LocalFunction(FunctionSpec spec, String arn, Object handler, PojoSerializer<Object> input, PojoSerializer<Object> output) {
        this.spec = spec;
        this.arn = arn;
        this.handler = handler;
        this.input = input;
        this.output = output;
    }

    public static LocalFunction load(FunctionSpec spec, String arn, Map<String, String> environment) {
        String where = "function " + spec.logicalId() + " (" + spec.handlerClass() + ")";
        Class<?> type;
        try {
            type = Class.forName(spec.handlerClass());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(where + ": no such class on the classpath", e);
        }
        return of(spec, arn, construct(type, environment, where));
    }

    /** A function whose handler object is given (built with test clients); it is hosted as {@link #load} hosts one. */
    public static LocalFunction of(FunctionSpec spec, String arn, Object handler) {
        String where = "function " + spec.logicalId() + " (" + handler.getClass().getName() + ")";
        Class<?> type = handler.getClass();
        if (handler instanceof RequestStreamHandler) {
            return new LocalFunction(spec, arn, handler, null, null);
        }
        if (!(handler instanceof RequestHandler<?, ?>)) {
            throw new IllegalStateException(where + ": implements neither RequestHandler nor RequestStreamHandler");
        }
        Type[] io = requestHandlerTypes(type, where);
        return new LocalFunction(spec, arn, handler, serializer(io[0], where), serializer(io[1], where));
    }

    public FunctionSpec spec() {
        return spec;
    }

    /**
     * What Lambda would bill this function for so far: invocations, and their durations each rounded up to the
     * millisecond, as Lambda rounds them (benchmarks subtract two of these).
     */
    public record Invocations(long count, long failed, long billedMillis) {
        public Invocations minus(Invocations earlier) {
            return new Invocations(count - earlier.count, failed - earlier.failed, billedMillis - earlier.billedMillis);
        }
    }

    public Invocations invocations() {
        return new Invocations(invoked.sum(), failed.sum(), billedMillis.sum());
    }

    /** Invokes the handler; a thrown exception or a timeout is a failed invocation, as in Lambda. */
    public String invoke(String eventJson) throws Exception {
        Future<String> result = invocations.submit(() -> run(eventJson));
        try {
            return result.get(spec.timeoutSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            result.cancel(true);
            throw new IllegalStateException(spec.logicalId() + " timed out after " + spec.timeoutSeconds() + " s", e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    private String run(String eventJson) throws Exception {
        long started = System.nanoTime();
        try {
            return handle(eventJson);
        } catch (Exception | Error e) {
            failed.increment();
            throw e;
        } finally {
            invoked.increment();
            billedMillis.add(Math.max(1, (System.nanoTime() - started + 999_999) / 1_000_000));
        }
    }

    @SuppressWarnings("unchecked")
    private String handle(String eventJson) throws Exception {
        LocalContext context = new LocalContext(spec.logicalId(), arn, spec.memoryMb(), java.time.Duration.ofSeconds(spec.timeoutSeconds()));
        if (handler instanceof RequestStreamHandler stream) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            stream.handleRequest(new ByteArrayInputStream(eventJson.getBytes(StandardCharsets.UTF_8)), out, context);
            return out.toString(StandardCharsets.UTF_8);
        }
        Object event = input.fromJson(eventJson);
        Object response = ((RequestHandler<Object, Object>) handler).handleRequest(event, context);
        if (response == null) {
            return "null";
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        output.toJson(response, out);
        return out.toString(StandardCharsets.UTF_8);
    }

    private static Object construct(Class<?> type, Map<String, String> environment, String where) {
        try {
            try {
                return type.getConstructor(Map.class).newInstance(environment);
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException(where + ": needs a public (Map<String,String> environment) constructor "
                        + "so the local stack can hand it the template's environment");
            }
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(where + " failed in its init phase: " + e.getCause().getMessage(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(where + " cannot be constructed: " + e, e);
        }
    }

    private static Type[] requestHandlerTypes(Class<?> type, String where) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType p && p.getRawType() == RequestHandler.class) {
                    return p.getActualTypeArguments();
                }
            }
        }
        throw new IllegalStateException(where + ": cannot tell the RequestHandler's event type");
    }

    @SuppressWarnings("unchecked")
    private static PojoSerializer<Object> serializer(Type type, String where) {
        if (!(type instanceof Class<?> c)) {
            throw new IllegalStateException(where + ": event type " + type + " is not a class");
        }
        return (PojoSerializer<Object>) LambdaEventSerializers.serializerFor(c, LocalFunction.class.getClassLoader());
    }
}
