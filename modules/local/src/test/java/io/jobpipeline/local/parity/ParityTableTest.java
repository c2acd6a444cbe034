package io.jobpipeline.local.parity;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** docs/parity.md and the parity tests cannot drift: every row names a real test, every test has a row. */
class ParityTableTest {
    private static final Path TABLE = Path.of("../../docs/parity.md");
    private static final Pattern TEST_CELL = Pattern.compile("\\|\\s*(\\w+ParityTest)#(\\w+)\\s*\\|");

    @Test
    void everyRowNamesAParityTestAndEveryParityTestHasARow() throws Exception {
        Set<String> rows = new TreeSet<>();
        Matcher m = TEST_CELL.matcher(Files.readString(TABLE));
        while (m.find()) {
            rows.add(m.group(1) + "#" + m.group(2));
        }
        assertThat(rows).as("rows of docs/parity.md").isNotEmpty();
        assertThat(rows).isEqualTo(parityTests());
    }

    private static Set<String> parityTests() throws IOException, ClassNotFoundException {
        Set<String> tests = new TreeSet<>();
        Path dir = Path.of("src/test/java/io/jobpipeline/local/parity");
        try (Stream<Path> files = Files.list(dir)) {
            for (Path file : files.filter(f -> f.getFileName().toString().endsWith("ParityTest.java")).toList()) {
                String name = file.getFileName().toString().replace(".java", "");
                for (Method method : Class.forName(ParityTableTest.class.getPackageName() + "." + name).getDeclaredMethods()) {
                    if (method.isAnnotationPresent(Test.class)) {
                        tests.add(name + "#" + method.getName());
                    }
                }
            }
        }
        return tests;
    }
}
