package io.jobpipeline.cli.stack;

import java.util.List;

/**
 * A dead-letter queue of the template and where its messages came from: another queue (its RedrivePolicy names this
 * one) or the event bus, for a consumer's DLQ (the function's DeadLetterQueue and its rules' DeadLetterConfig).
 */
public record DeadLetterQueue(String name, Source source) {

    public sealed interface Source permits FromQueue, FromBus {}

    /** Messages that failed {@code maxReceiveCount} receives of {@code queue}; replayed by sending them back there. */
    public record FromQueue(String queue) implements Source {}

    /** Events a consumer could not handle; replayed by putting them on {@code bus} again. */
    public record FromBus(String bus, String function, List<String> rules) implements Source {
        public FromBus {
            rules = List.copyOf(rules);
        }
    }

    public boolean fromBus() {
        return source instanceof FromBus;
    }

    /** What {@code dlq list} prints as the source: the queue, or the bus and the consumer's rules. */
    public String sourceText() {
        return switch (source) {
            case FromQueue q -> q.queue();
            case FromBus b -> "bus " + b.bus() + " (" + b.function() + ")";
        };
    }
}
