package io.jobpipeline.cli.events;

import io.jobpipeline.cli.CliFailure;
import io.jobpipeline.cli.Durations;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import io.jobpipeline.core.retry.Sleeper;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.DescribeReplayResponse;
import software.amazon.awssdk.services.eventbridge.model.InvalidEventPatternException;
import software.amazon.awssdk.services.eventbridge.model.ReplayState;
import software.amazon.awssdk.services.eventbridge.model.Rule;

/** {@code pipeline events replay}: the bus archive's events of a window through the bus's rules again (StartReplay). */
@Command(name = "replay", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = {"Replay the stack's bus archive for a window of event times (StartReplay from the archive to the "
                + "stack's bus), wait until it has finished (DescribeReplay) and print a summary. Replayed events carry "
                + "\"replay-name\"; the consumers drop the ones they had applied, by detail.eventId.",
                "EventBridge replays whole rules, never single events: every archived event of the window goes to each "
                        + "chosen rule that matches it. Without --rule or --pattern, to every rule of the bus.",
                "--rule NAME (repeatable) names the rules (StartReplay's FilterArns). --pattern JSON picks them for you: "
                        + "the rules that take an event with the pattern's exact values (asked with TestEventPattern; source "
                        + "jobs.pipeline unless the pattern says otherwise). "
                        + "It does not filter the events: a chosen rule gets every archived event it matches."},
        footerHeading = "%n",
        footer = {"Times: 2026-11-22T10:00:00Z (or with an offset), a duration ago (30m, 2h, 3d), or now.",
                "Example: ./pipeline events replay --from 2h --to 1h --pattern '{\"detail-type\":[\"JobCompleted\"]}'"})
public final class EventsReplayCommand extends StackCommand {
    private static final DateTimeFormatter NAME_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Option(names = "--from", paramLabel = "TIME", required = true, order = 1, description = "Replay events from this time on (inclusive).")
    String from;

    @Option(names = "--to", paramLabel = "TIME", defaultValue = "now", order = 2, description = "... up to this time (exclusive; default: ${DEFAULT-VALUE}).")
    String to;

    @Option(names = "--rule", paramLabel = "NAME", order = 3, description = "Replay to this rule of the bus only; repeat for more.")
    List<String> rules = new ArrayList<>();

    @Option(names = "--pattern", paramLabel = "JSON", order = 4,
            description = "Replay to the rules that take an event with these exact values, e.g. '{\"detail-type\":[\"JobCompleted\"]}'.")
    String pattern;

    @Option(names = "--name", paramLabel = "NAME", order = 5, description = "The replay's name (unique; default: cli-<time>-<random>).")
    String name;

    @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "30m", order = 6,
            description = "Stop waiting after this long; the replay goes on (default: ${DEFAULT-VALUE}).")
    String timeout;

    private final Clock clock;
    private final Sleeper sleeper;
    private ReplayWindow window;
    private Duration waitFor;
    private List<String> samples = List.of();

    public EventsReplayCommand() {
        this(Clock.systemUTC(), Sleeper.threadSleep());
    }

    EventsReplayCommand(Clock clock, Sleeper sleeper) {
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    protected void validate() {
        Instant now = clock.instant();
        window = new ReplayWindow(ReplayWindow.time("--from", from, now), ReplayWindow.time("--to", to, now));
        waitFor = Durations.parse("--timeout", timeout);
        if (!rules.isEmpty() && pattern != null) {
            throw CliFailure.usage("give --rule or --pattern, not both");
        }
        if (pattern != null) {
            samples = PatternSamples.of(pattern);
        }
        if (name == null) {
            name = "cli-" + NAME_TIME.format(now) + "-" + UUID.randomUUID().toString().substring(0, 8);
        } else if (!name.matches("[.\\-_A-Za-z0-9]{1,64}")) {
            throw CliFailure.usage("--name must be 1 to 64 letters, digits, '.', '-' or '_', not " + name);
        }
    }

    @Override
    protected int run(StackTarget target) {
        EventBridgeClient events = target.events();
        String archiveArn = target.archiveArn();
        List<Rule> chosenRules = chooseRules(events, target);
        List<String> chosen = chosenRules.stream().map(Rule::name).toList();
        // ARNs as ListRules gives them: a deployed rule's ARN has SAM's generated name, not the template's.
        List<String> filterArns = chosenRules.stream().map(Rule::arn).toList();
        events.startReplay(b -> b.replayName(name).eventSourceArn(archiveArn)
                .eventStartTime(window.from()).eventEndTime(window.to())
                .description("./pipeline events replay by " + target.operator())
                .destination(d -> d.arn(target.busArn()).filterArns(filterArns.isEmpty() ? null : filterArns)));
        err().println("Replay " + name + " of " + archiveArn.substring(archiveArn.lastIndexOf('/') + 1) + ", events "
                + window.from() + " .. " + window.to() + ", to " + (chosen.isEmpty() ? "every rule" : "rules " + String.join(", ", chosen))
                + " of bus " + target.busName() + ": started");
        DescribeReplayResponse replay = await(events);
        String to = chosen.isEmpty() ? "every rule of bus " + target.busName() : String.join(", ", chosen);
        String took = Duration.between(replay.replayStartTime(), replay.replayEndTime() == null ? clock.instant() : replay.replayEndTime())
                .toMillis() / 1000.0 + "s";
        if (replay.state() == ReplayState.COMPLETED) {
            out().println("Replay " + name + " COMPLETED in " + took + ": events " + window.from() + " .. " + window.to()
                    + " replayed to " + to + (replay.eventLastReplayedTime() == null ? " (the window held none)"
                    : "; last event replayed " + replay.eventLastReplayedTime()) + ".");
            return 0;
        }
        if (replay.state() == ReplayState.RUNNING || replay.state() == ReplayState.STARTING) {
            throw CliFailure.failed("replay " + name + " still " + replay.state() + " after " + timeout
                    + "; it goes on: aws events describe-replay --replay-name " + name);
        }
        throw CliFailure.failed("replay " + name + " " + replay.state()
                + (replay.stateReason() == null ? "" : ": " + replay.stateReason()));
    }

    /** The rules to replay to: --rule's (each must exist), --pattern's, or none (every rule). */
    private List<Rule> chooseRules(EventBridgeClient events, StackTarget target) {
        if (rules.isEmpty() && pattern == null) {
            return List.of();
        }
        Map<String, Rule> onBus = new LinkedHashMap<>();
        String token = null;
        do {
            String page = token;
            var listed = events.listRules(b -> b.eventBusName(target.busName()).nextToken(page));
            listed.rules().forEach(r -> onBus.put(r.name(), r));
            token = listed.nextToken();
        } while (token != null && !token.isEmpty());
        if (!rules.isEmpty()) {
            for (String rule : rules) {
                if (!onBus.containsKey(rule)) {
                    throw CliFailure.usage("no rule " + rule + " on bus " + target.busName() + "; its rules: "
                            + (onBus.isEmpty() ? "none" : String.join(", ", onBus.keySet())));
                }
            }
            return rules.stream().distinct().map(onBus::get).toList();
        }
        try {
            // The pattern itself must take its samples: this is also how a bad pattern is found out.
            events.testEventPattern(b -> b.eventPattern(pattern).event(samples.get(0)));
        } catch (InvalidEventPatternException e) {
            throw CliFailure.usage("--pattern is not a valid event pattern: " + e.awsErrorDetails().errorMessage());
        }
        List<Rule> chosen = new ArrayList<>();
        for (Rule rule : onBus.values()) {
            if (rule.eventPattern() != null && samples.stream().anyMatch(sample ->
                    events.testEventPattern(b -> b.eventPattern(rule.eventPattern()).event(sample)).result())) {
                chosen.add(rule);
            }
        }
        if (chosen.isEmpty()) {
            throw CliFailure.usage("no rule of bus " + target.busName() + " takes an event like --pattern " + pattern
                    + "; its rules: " + String.join(", ", onBus.keySet()));
        }
        return chosen;
    }

    /** DescribeReplay until the replay ends or the timeout, with a progress line on stderr. */
    private DescribeReplayResponse await(EventBridgeClient events) {
        Instant deadline = clock.instant().plus(waitFor);
        String last = "";
        try {
            while (true) {
                DescribeReplayResponse replay = events.describeReplay(b -> b.replayName(name));
                ReplayState state = replay.state();
                if (state != ReplayState.STARTING && state != ReplayState.RUNNING || !clock.instant().isBefore(deadline)) {
                    return replay;
                }
                String line = "Replay " + name + ": " + state + (replay.eventLastReplayedTime() == null ? ""
                        : ", replayed up to " + replay.eventLastReplayedTime());
                if (!line.equals(last)) {
                    err().println(line);
                    last = line;
                }
                sleeper.sleep(Duration.ofMillis(500));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw CliFailure.failed("interrupted; replay " + name + " goes on: aws events describe-replay --replay-name " + name);
        }
    }
}
