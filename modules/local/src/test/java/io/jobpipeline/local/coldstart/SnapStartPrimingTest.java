package io.jobpipeline.local.coldstart;

import static org.assertj.core.api.Assertions.assertThat;

import io.jobpipeline.aws.SnapStartPriming;
import io.jobpipeline.local.LocalPipeline;
import io.jobpipeline.local.SharedLocalStack;
import io.jobpipeline.local.lambda.LocalFunction;
import io.jobpipeline.local.template.FunctionSpec;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each handler's SnapStart hook runs its priming calls without the network, so nothing is written, sent or left open
 * in a snapshot: it succeeds with every AWS endpoint pointing at a closed port, where a real invocation fails; and a
 * primed handler then answers real events as before.
 */
class SnapStartPrimingTest {
    @TempDir
    Path events;

    @Test
    void primingSucceedsWithNoEndpointReachableWhereARealInvocationFails() throws Exception {
        LocalPipeline stack = SharedLocalStack.get();
        FunctionFixtures fixtures = new FunctionFixtures(stack, events);
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        for (FunctionSpec f : stack.template().functions().values()) {
            Map<String, String> env = new HashMap<>(fixtures.environment(f));
            for (String service : new String[] {"SQS", "DYNAMODB", "EVENTBRIDGE"}) {
                env.put("AWS_ENDPOINT_URL_" + service, "http://127.0.0.1:" + closed);
            }
            assertThat(priming(f, env).prime()).as(f.logicalId() + " primes offline").isTrue();

            LocalFunction unreachable = LocalFunction.load(f, "arn:aws:lambda:us-east-1:000000000000:function:" + f.logicalId(), env);
            String event = Files.readString(fixtures.next(f).event());
            String answer;
            try {
                answer = unreachable.invoke(event);
            } catch (Exception e) {
                answer = "failed: " + e;
            }
            // The intake answers 503 when its store is unreachable; the others fail or report the batch as failed.
            assertThat(answer).as(f.logicalId() + " really has no endpoint").containsAnyOf("503", "failed", "batchItemFailures\":[{");
        }
    }

    @Test
    void aPrimedHandlerInAFreshJvmAnswersRealEvents() throws Exception {
        LocalPipeline stack = SharedLocalStack.get();
        FunctionFixtures fixtures = new FunctionFixtures(stack, events);
        FunctionSpec intake = stack.template().functions().get("IntakeFunction");
        FunctionSpec worker = stack.template().functions().get("WorkerFunction");
        FreshJvm jvm = FreshJvm.compile(DeploymentJarsTest.ROOT, DeploymentJarsTest.jarOf(intake), FreshJvm.thisJava());
        // What the bench's "primed" row times: init, the hook, then the first invocation, in one JVM.
        FreshJvm.Run submitted = jvm.launch(List.of(DeploymentJarsTest.jarOf(intake)), intake.handlerClass(), intake.memoryMb(),
                fixtures.environment(intake), fixtures.next(intake).event(), List.of(), true);
        assertThat(submitted.answer()).contains("\"statusCode\":202");
        assertThat(submitted.primeMs()).isPositive();
        FreshJvm.Run worked = jvm.launch(List.of(DeploymentJarsTest.jarOf(worker)), worker.handlerClass(), worker.memoryMb(),
                fixtures.environment(worker), fixtures.next(worker).event(), List.of(), true);
        assertThat(worked.answer()).isEqualTo("{\"batchItemFailures\":[]}");
    }

    private static SnapStartPriming priming(FunctionSpec f, Map<String, String> env) throws Exception {
        Object handler = Class.forName(f.handlerClass()).getConstructor(Map.class).newInstance(env);
        return (SnapStartPriming) handler.getClass().getMethod("priming").invoke(handler);
    }
}
