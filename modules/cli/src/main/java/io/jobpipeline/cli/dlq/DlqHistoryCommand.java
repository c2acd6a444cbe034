package io.jobpipeline.cli.dlq;

import io.jobpipeline.cli.TextTable;
import io.jobpipeline.cli.Version;
import io.jobpipeline.cli.stack.StackCommand;
import io.jobpipeline.cli.stack.StackTarget;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code pipeline dlq history}: the replays' audit trail, newest first. */
@Command(name = "history", mixinStandardHelpOptions = true, versionProvider = Version.class, sortOptions = false,
        description = "List the replays done on this stack, newest first: when, who, from which queue to where, with which "
                + "filters, and what they moved. A dry run is marked; a replay that died shows as RUNNING.")
final class DlqHistoryCommand extends StackCommand {
    @Option(names = "--limit", paramLabel = "N", defaultValue = "20", order = 1, description = "Show the newest N (default: ${DEFAULT-VALUE}).")
    long limit;

    @Override
    protected void validate() {
        DeadLetterReplayer.requirePositive("--limit", limit);
    }

    @Override
    protected int run(StackTarget target) {
        List<ReplayRecord> records = new ReplayAudit(target.dynamoDb(), target.tableName()).newest((int) Math.min(limit, 1000));
        if (records.isEmpty()) {
            out().println("No replays recorded on " + target.describe() + ".");
            return 0;
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"STARTED", "WHO", "QUEUE", "TO", "FILTERS", "MOVED", "SKIPPED", "FAILED", "STATUS", "REPLAY"});
        for (ReplayRecord r : records) {
            rows.add(new String[] {Ages.time(r.startedAt()), r.operator(), r.queue(), r.destination(), r.filters(),
                    Long.toString(r.moved()), Long.toString(r.skipped()), Long.toString(r.failed()),
                    (r.dryRun() ? "DRY RUN " : "") + r.status(),
                    r.replayId() + (r.moveTaskHandle() == null ? "" : " (move task " + r.moveTaskHandle() + ")")});
        }
        TextTable.print(rows, Set.of(), out());
        return 0;
    }
}
