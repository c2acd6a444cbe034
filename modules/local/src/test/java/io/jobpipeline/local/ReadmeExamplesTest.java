package io.jobpipeline.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's curl walk-through runs against the local stack: every {@code curl ... -d '<json>'} POST gets the status
 * its comment shows ({@code "status":NNN}), or 202; an accepted job then completes.
 */
class ReadmeExamplesTest {
    private static final Pattern CURL_POST = Pattern.compile(
            "curl [^\\n]*-X POST [^\\n]*?(/jobs(?:/batch)?)[^\\n]*(?:\\\\\\n[^\\n]*)*?-d '([^']*)'\\n((?:#[^\\n]*\\n)*)");
    private static final Pattern SHOWN_STATUS = Pattern.compile("\"status\":(\\d{3})");

    record Example(String path, String body, int expectedStatus) {}

    @Test
    void theCurlWalkThroughAnswersAsTheReadmeShows() throws Exception {
        List<Example> examples = examples(Files.readString(Path.of("../../README.md")));
        assertThat(examples).as("curl POST examples found in README.md").hasSizeGreaterThanOrEqualTo(2);
        var api = SharedLocalStack.get().httpEndpoint();
        for (Example example : examples) {
            TestHttp.Response response = TestHttp.postJson(api, example.path(), example.body());
            assertThat(response.status()).as(example.body()).isEqualTo(example.expectedStatus());
            if (response.status() == 202) {
                String id = response.json().get("jobId").asText();
                TestHttp.Response job = TestHttp.await(api, "/jobs/" + id,
                        r -> r.status() == 200 && r.json().get("status").asText().equals("COMPLETED"), Duration.ofSeconds(15));
                assertThat(job.json().get("status").asText()).as(example.body()).isEqualTo("COMPLETED");
            }
        }
    }

    static List<Example> examples(String readme) {
        List<Example> examples = new ArrayList<>();
        Matcher m = CURL_POST.matcher(readme);
        while (m.find()) {
            Matcher status = SHOWN_STATUS.matcher(m.group(3));
            examples.add(new Example(m.group(1), m.group(2), status.find() ? Integer.parseInt(status.group(1)) : 202));
        }
        return examples;
    }
}
