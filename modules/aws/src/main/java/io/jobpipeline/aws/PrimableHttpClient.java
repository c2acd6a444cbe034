package io.jobpipeline.aws;

import com.fasterxml.jackson.databind.JsonNode;
import io.jobpipeline.core.Json;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * The functions' HTTP client: the real one, except while {@link #offline(Runnable) priming}, when every request gets a
 * canned, well-formed answer of its operation. So SnapStart's checkpoint hook can run the SDK's whole path (endpoint
 * rules, signing, marshalling, unmarshalling) with no call that could write, need a permission the function lacks, or
 * leave a connection in the snapshot that is dead after restore.
 */
public final class PrimableHttpClient implements SdkHttpClient {
    private final SdkHttpClient network;
    private volatile boolean offline;

    public PrimableHttpClient(SdkHttpClient network) {
        this.network = network;
    }

    /** Runs the calls with canned answers; meant for the init phase, when no invocation runs beside it. */
    public void offline(Runnable calls) {
        offline = true;
        try {
            calls.run();
        } finally {
            offline = false;
        }
    }

    @Override
    public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
        if (!offline) {
            return network.prepareRequest(request);
        }
        String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
        byte[] body = answer(target.substring(target.indexOf('.') + 1), request).getBytes(StandardCharsets.UTF_8);
        return new ExecutableHttpRequest() {
            @Override
            public HttpExecuteResponse call() {
                return HttpExecuteResponse.builder()
                        .response(SdkHttpResponse.builder().statusCode(200)
                                .putHeader("Content-Type", "application/x-amz-json-1.0")
                                .putHeader("Content-Length", Integer.toString(body.length)).build())
                        .responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
                        .build();
            }

            @Override
            public void abort() {
            }
        };
    }

    /** The smallest successful answer of each operation the priming calls; {} reads as an empty result of the others. */
    private static String answer(String operation, HttpExecuteRequest request) {
        return switch (operation) {
            // The SDK checks the body's MD5 against SQS's answer.
            case "SendMessage" -> "{\"MessageId\":\"00000000-0000-4000-8000-000000000000\",\"MD5OfMessageBody\":\""
                    + md5(requestJson(request).path("MessageBody").asText()) + "\"}";
            case "PutEvents" -> "{\"FailedEntryCount\":0,\"Entries\":["
                    + "{\"EventId\":\"00000000-0000-4000-8000-000000000000\"},".repeat(requestJson(request).path("Entries").size())
                            .replaceAll(",$", "") + "]}";
            case "Query", "Scan" -> "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}";
            default -> "{}";
        };
    }

    private static JsonNode requestJson(HttpExecuteRequest request) {
        try (InputStream in = request.contentStreamProvider().orElseThrow().newStream()) {
            return Json.tree(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String md5(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String clientName() {
        return network.clientName();
    }

    @Override
    public void close() {
        network.close();
    }
}
