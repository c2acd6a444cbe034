package io.jobpipeline.local.operator;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The operator's walk-through of README.md: the first {@code console} block after a heading, as steps of a command
 * ({@code $ ...}) and the output it shows. An output line is a pattern: ids, times, ages and numbers stand for any of
 * their kind, runs of spaces for any whitespace; a line {@code ...} stands for lines left out.
 */
record ReadmeWalkThrough(List<Step> steps) {
    private static final Pattern VARIABLE = Pattern.compile(
            "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"   // ids
                    + "|\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d(?::\\d\\d(?:\\.\\d+)?)?Z?"  // times
                    + "|\\d+[smhd](?: \\d+[smhd])?(?![\\w-])"                    // ages
                    + "|\\d+"                                                    // counts
                    + "|\\s+");

    record Step(String command, List<Pattern> output) {}

    static ReadmeWalkThrough after(String readme, String heading) {
        int at = readme.indexOf(heading);
        if (at < 0) {
            throw new AssertionError("README.md has no " + heading);
        }
        int start = readme.indexOf("```console\n", at);
        int end = readme.indexOf("\n```", start + 1);
        List<Step> steps = new ArrayList<>();
        String command = null;
        List<Pattern> output = new ArrayList<>();
        for (String line : readme.substring(start + "```console\n".length(), end).split("\n")) {
            if (line.startsWith("$ ")) {
                if (command != null) {
                    steps.add(new Step(command, output));
                }
                command = line.substring(2).strip();
                output = new ArrayList<>();
            } else if (!line.isBlank() && !line.strip().equals("...")) {
                output.add(pattern(line.strip()));
            }
        }
        if (command != null) {
            steps.add(new Step(command, output));
        }
        return new ReadmeWalkThrough(steps);
    }

    static Pattern pattern(String line) {
        StringBuilder regex = new StringBuilder();
        Matcher m = VARIABLE.matcher(line);
        int last = 0;
        while (m.find()) {
            regex.append(Pattern.quote(line.substring(last, m.start())));
            String v = m.group();
            regex.append(v.isBlank() ? "\\s+" : v.matches("\\d+") ? "\\d+" : v.matches("[0-9a-f-]{36}") ? "[0-9a-f-]{36}"
                    : v.contains("T") ? "\\S+" : "\\d+[smhd](?: \\d+[smhd])?");
            last = m.end();
        }
        regex.append(Pattern.quote(line.substring(last)));
        return Pattern.compile(regex.toString());
    }

    /** Null when every pattern matches a line of {@code lines}, in order; else the first pattern that did not. */
    static Pattern unmatched(List<Pattern> patterns, List<String> lines) {
        int next = 0;
        for (Pattern p : patterns) {
            while (next < lines.size() && !p.matcher(lines.get(next).strip()).matches()) {
                next++;
            }
            if (next == lines.size()) {
                return p;
            }
            next++;
        }
        return null;
    }

    /** The words of a command line; single quotes group, as the shell does. */
    static List<String> words(String command) {
        List<String> words = new ArrayList<>();
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(command);
        while (m.find()) {
            words.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        return words;
    }
}
