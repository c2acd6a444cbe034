package io.jobpipeline.local.bus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.event.ruler.GenericMachine;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The bus's archives and the replays started from them: ListArchives, DescribeArchive, StartReplay, DescribeReplay
 * and ListReplays as EventBridge answers them. A replay runs on its own thread, STARTING, RUNNING, then COMPLETED
 * (or FAILED), so a client polls DescribeReplay as it must in AWS. Replay names are unique, as in AWS.
 */
final class ArchiveReplays implements AutoCloseable {

    private record Archive(BusArchive spec, Predicate<String> keeps) {
    }

    private record Replay(String name, String description, String archiveName, String busName, List<String> filterArns,
                          Instant eventStart, Instant eventEnd, Instant startedAt, String state, String stateReason,
                          Instant lastReplayed, Instant endedAt) {
        Replay finished(String newState, String reason, Optional<Instant> last, Instant at) {
            return new Replay(name, description, archiveName, busName, filterArns, eventStart, eventEnd, startedAt,
                    newState, reason, last.orElse(null), at);
        }

        Replay running() {
            return new Replay(name, description, archiveName, busName, filterArns, eventStart, eventEnd, startedAt,
                    "RUNNING", null, null, null);
        }
    }

    private static final Logger LOG = LoggerFactory.getLogger(ArchiveReplays.class);
    private static final Pattern REPLAY_NAME = Pattern.compile("[.\\-_A-Za-z0-9]{1,64}");

    private final BusEngine engine;
    private final Clock clock;
    private final Instant createdAt;
    private final Map<String, Archive> archives = new LinkedHashMap<>();
    private final Map<String, Replay> replays = new LinkedHashMap<>();
    private final ExecutorService runner =
            Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("event-bus-replay-", 0).factory());

    ArchiveReplays(BusEngine engine, List<BusArchive> specs, Clock clock) {
        this.engine = engine;
        this.clock = clock;
        this.createdAt = clock.instant();
        for (BusArchive spec : specs) {
            if (!engine.registry().isCustom(spec.busName())) {
                throw new IllegalArgumentException("archive " + spec.name() + " is on " + spec.busName()
                        + ", which is not a custom bus of this endpoint");
            }
            if (archives.put(spec.name(), new Archive(spec, keeps(spec))) != null) {
                throw new IllegalArgumentException("archive " + spec.name() + " defined twice");
            }
        }
    }

    ObjectNode listArchives(JsonNode request) {
        String prefix = BusJson.optionalText(request, "NamePrefix");
        String source = BusJson.optionalText(request, "EventSourceArn");
        String state = BusJson.optionalText(request, "State");
        List<Archive> selected = archives.values().stream()
                .filter(a -> prefix == null || a.spec().name().startsWith(prefix))
                .filter(a -> source == null || source.equals(engine.registry().busArn(a.spec().busName())))
                .filter(a -> state == null || "ENABLED".equals(state)).toList();
        ObjectNode response = BusJson.MAPPER.createObjectNode();
        ArrayNode list = response.putArray("Archives");
        ListPage.of(selected, request, response).forEach(a -> describe(a, list.addObject()));
        return response;
    }

    ObjectNode describeArchive(JsonNode request) {
        Archive archive = archive(required(request, "ArchiveName", "archiveName"));
        ObjectNode response = BusJson.MAPPER.createObjectNode()
                .put("ArchiveArn", engine.registry().archiveArn(archive.spec().name()));
        describe(archive, response);
        archive.spec().patternJson().ifPresent(pattern -> response.put("EventPattern", pattern));
        return response;
    }

    ObjectNode startReplay(JsonNode request) {
        String name = replayName(required(request, "ReplayName", "replayName"));
        Archive archive = archiveOf(required(request, "EventSourceArn", "eventSourceArn"));
        Instant from = requiredTime(request, "EventStartTime", "eventStartTime");
        Instant to = requiredTime(request, "EventEndTime", "eventEndTime");
        JsonNode destination = request.get("Destination");
        if (destination == null || !destination.isObject()) {
            throw missing("destination");
        }
        String busName = destinationBus(archive, required(destination, "Arn", "destination.arn"));
        List<String> filterArns = new ArrayList<>();
        destination.path("FilterArns").forEach(arn -> filterArns.add(arn.asText()));
        Set<String> rules = ruleNames(busName, filterArns);
        checkWindow(archive.spec(), from, to);
        Replay replay = register(new Replay(name, BusJson.optionalText(request, "Description"), archive.spec().name(),
                busName, List.copyOf(filterArns), from, to, clock.instant(), "STARTING", null, null, null));
        runner.execute(() -> run(replay, archive, rules));
        ObjectNode response = BusJson.MAPPER.createObjectNode().put("ReplayArn", engine.registry().replayArn(name));
        BusJson.putTime(response, "ReplayStartTime", replay.startedAt());
        return response.put("State", replay.state());
    }

    ObjectNode describeReplay(JsonNode request) {
        String name = required(request, "ReplayName", "replayName");
        Replay replay;
        synchronized (this) {
            replay = replays.get(name);
        }
        if (replay == null) {
            throw BusApiException.notFound("Replay " + name + " does not exist.");
        }
        ObjectNode response = describe(replay, BusJson.MAPPER.createObjectNode())
                .put("ReplayArn", engine.registry().replayArn(name));
        if (replay.description() != null) {
            response.put("Description", replay.description());
        }
        ObjectNode destination = response.putObject("Destination").put("Arn", engine.registry().busArn(replay.busName()));
        if (!replay.filterArns().isEmpty()) {
            replay.filterArns().forEach(destination.putArray("FilterArns")::add);
        }
        return response;
    }

    ObjectNode listReplays(JsonNode request) {
        String prefix = BusJson.optionalText(request, "NamePrefix");
        String source = BusJson.optionalText(request, "EventSourceArn");
        String state = BusJson.optionalText(request, "State");
        List<Replay> selected;
        synchronized (this) {
            selected = replays.values().stream()
                    .filter(r -> prefix == null || r.name().startsWith(prefix))
                    .filter(r -> source == null || source.equals(engine.registry().archiveArn(r.archiveName())))
                    .filter(r -> state == null || state.equals(r.state())).toList();
        }
        ObjectNode response = BusJson.MAPPER.createObjectNode();
        ArrayNode list = response.putArray("Replays");
        ListPage.of(selected, request, response).forEach(r -> describe(r, list.addObject()));
        return response;
    }

    /** The Java path: replays from an archive on the calling thread; the replay is listed as the API's are. */
    ReplayResult replayNow(String archiveName, String replayName, Instant from, Instant to) {
        try {
            Archive archive = archive(archiveName);
            checkWindow(archive.spec(), from, to);
            Replay replay = register(new Replay(replayName(replayName), null, archiveName, archive.spec().busName(),
                    List.of(), from, to, clock.instant(), "STARTING", null, null, null));
            return run(replay, archive, Set.of());
        } catch (BusApiException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
    }

    private ReplayResult run(Replay replay, Archive archive, Set<String> rules) {
        update(replay.running());
        try {
            ReplayResult result = engine.replay(replay.name(), replay.busName(), replay.eventStart(), replay.eventEnd(),
                    rules, archive.keeps());
            update(replay.finished("COMPLETED", null, result.lastReplayedEventTime(), clock.instant()));
            return result;
        } catch (RuntimeException e) {
            LOG.error("replay {} failed", replay.name(), e);
            update(replay.finished("FAILED", String.valueOf(e.getMessage()), Optional.empty(), clock.instant()));
            throw e;
        }
    }

    private synchronized Replay register(Replay replay) {
        if (replays.containsKey(replay.name())) {
            throw BusApiException.alreadyExists("Replay " + replay.name() + " already exists.");
        }
        replays.put(replay.name(), replay);
        return replay;
    }

    private synchronized void update(Replay replay) {
        replays.put(replay.name(), replay);
    }

    private void describe(Archive archive, ObjectNode node) {
        BusArchive spec = archive.spec();
        List<EventArchive.ArchivedEvent> kept = engine.archived(spec.busName()).stream()
                .filter(event -> archive.keeps().test(event.envelopeJson())).toList();
        node.put("ArchiveName", spec.name()).put("EventSourceArn", engine.registry().busArn(spec.busName()))
                .put("State", "ENABLED").put("RetentionDays", spec.retentionDays())
                .put("SizeBytes", kept.stream().mapToLong(e -> e.envelopeJson().getBytes(StandardCharsets.UTF_8).length).sum())
                .put("EventCount", kept.size());
        BusJson.putTime(node, "CreationTime", createdAt);
    }

    private ObjectNode describe(Replay replay, ObjectNode node) {
        node.put("ReplayName", replay.name())
                .put("EventSourceArn", engine.registry().archiveArn(replay.archiveName())).put("State", replay.state());
        if (replay.stateReason() != null) {
            node.put("StateReason", replay.stateReason());
        }
        BusJson.putTime(node, "EventStartTime", replay.eventStart());
        BusJson.putTime(node, "EventEndTime", replay.eventEnd());
        BusJson.putTime(node, "EventLastReplayedTime", replay.lastReplayed());
        BusJson.putTime(node, "ReplayStartTime", replay.startedAt());
        BusJson.putTime(node, "ReplayEndTime", replay.endedAt());
        return node;
    }

    private Archive archive(String name) {
        Archive archive = archives.get(name);
        if (archive == null) {
            throw BusApiException.notFound("Archive " + name + " does not exist.");
        }
        return archive;
    }

    /** StartReplay names the archive by ARN, not the bus (EventBridge API Reference, StartReplay). */
    private Archive archiveOf(String arn) {
        String prefix = engine.registry().archiveArn("");
        if (!arn.startsWith(prefix) || arn.length() == prefix.length()) {
            if (arn.matches("arn:aws[a-z-]*:events:[a-z0-9-]*:\\d{12}:archive/.+")) {
                throw BusApiException.notFound("Archive " + arn.substring(arn.indexOf('/') + 1) + " does not exist.");
            }
            throw BusApiException.validation("Parameter EventSourceArn is not valid. Reason: " + arn
                    + " is not an archive ARN; StartReplay wants the archive's, e.g. " + prefix
                    + archives.keySet().stream().findFirst().orElse("<archive>") + ".");
        }
        return archive(arn.substring(prefix.length()));
    }

    private String destinationBus(Archive archive, String arn) {
        if (!arn.startsWith("arn:")) {
            throw BusApiException.validation("Parameter Destination.Arn is not valid. Reason: " + arn
                    + " is not an event bus ARN.");
        }
        String busName = engine.registry().resolve(arn).orElseThrow(() ->
                BusApiException.notFound("Event bus " + arn.substring(arn.lastIndexOf('/') + 1) + " does not exist."));
        if (!busName.equals(archive.spec().busName())) {
            throw BusApiException.validation("Parameter Destination.Arn is not valid. Reason: Cross event bus replay "
                    + "is not permitted.");
        }
        return busName;
    }

    private Set<String> ruleNames(String busName, List<String> filterArns) {
        String prefix = engine.registry().ruleArn(busName, "");
        Set<String> names = new LinkedHashSet<>();
        for (String arn : filterArns) {
            String name = arn.startsWith(prefix) ? arn.substring(prefix.length()) : "";
            if (name.isEmpty() || engine.matcher().rule(busName, name).isEmpty()) {
                throw BusApiException.notFound("Rule " + (name.isEmpty() ? arn : name) + " does not exist on EventBus "
                        + busName + ".");
            }
            names.add(name);
        }
        return names;
    }

    private void checkWindow(BusArchive archive, Instant from, Instant to) {
        if (!from.isBefore(to)) {
            throw BusApiException.validation("Parameter EventStartTime is not valid. Reason: EventStartTime must be "
                    + "before EventEndTime (" + from + " .. " + to + ").");
        }
        if (archive.retentionDays() > 0 && from.isBefore(clock.instant().minus(archive.retentionDays(), ChronoUnit.DAYS))) {
            throw BusApiException.validation("Parameter EventStartTime is not valid. Reason: archive " + archive.name()
                    + " keeps events " + archive.retentionDays() + " days; the window starts before that: " + from);
        }
    }

    private static Predicate<String> keeps(BusArchive spec) {
        if (spec.patternJson().isEmpty()) {
            return event -> true;
        }
        GenericMachine<String> machine = GenericMachine.<String>builder().build();
        try {
            machine.addRule(spec.name(), spec.patternJson().get());
        } catch (Exception e) {
            throw new IllegalArgumentException("archive " + spec.name() + " has an invalid event pattern: " + e.getMessage(), e);
        }
        return event -> {
            try {
                return !machine.rulesForJSONEvent(event).isEmpty();
            } catch (Exception e) {
                throw new IllegalStateException("Event Ruler could not evaluate an archived event", e);
            }
        };
    }

    private static String replayName(String name) {
        if (!REPLAY_NAME.matcher(name).matches()) {
            throw BusApiException.validation("1 validation error detected: Value '" + name + "' at 'replayName' failed "
                    + "to satisfy constraint: Member must satisfy regular expression pattern: [\\.\\-_A-Za-z0-9]+ "
                    + "and have length 1..64");
        }
        return name;
    }

    private static String required(JsonNode request, String field, String member) {
        String value = BusJson.optionalText(request, field);
        if (value == null) {
            throw missing(member);
        }
        return value;
    }

    private static Instant requiredTime(JsonNode request, String field, String member) {
        Instant value = BusJson.optionalTime(request, field);
        if (value == null) {
            throw missing(member);
        }
        return value;
    }

    private static BusApiException missing(String member) {
        return BusApiException.validation("1 validation error detected: Value null at '" + member
                + "' failed to satisfy constraint: Member must not be null");
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
