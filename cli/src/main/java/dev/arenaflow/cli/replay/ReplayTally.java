package dev.arenaflow.cli.replay;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The counts of a replay and why it ended, for its summary.
 *
 * <p>Threading notes: confined to the replaying thread.
 */
public final class ReplayTally {

    /** Why a replay ended before reading all it planned to. */
    public enum Stop {
        /** It read everything it planned to. */
        FINISHED,
        /** Another record would have been replayed past {@code --max-records}. */
        CAPPED,
        /** Ctrl-C. */
        INTERRUPTED,
        /** Standard output was closed, e.g. by {@code | head}. */
        OUTPUT_CLOSED,
        /** A write or the client failed. */
        FAILED
    }

    private final Map<ReplayAction, Long> counts = new EnumMap<>(ReplayAction.class);
    private final List<ReadRange> unread = new ArrayList<>();
    private long read;
    private Stop stop = Stop.FINISHED;
    private String failure;

    void countRead() {
        read++;
    }

    void add(ReplayAction action) {
        counts.merge(action, 1L, Long::sum);
    }

    void stop(Stop why) {
        if (stop == Stop.FINISHED) {
            stop = why;
        }
    }

    void fail(String message) {
        stop(Stop.FAILED);
        if (failure == null) {
            failure = message;
        }
    }

    void unread(ReadRange rest) {
        unread.add(rest);
    }

    /** @param action an action @return how many selected records ended so */
    public long count(ReplayAction action) {
        return counts.getOrDefault(action, 0L);
    }

    /** @return records read up to the planned ends */
    public long read() {
        return read;
    }

    /** @return records selected */
    public long selected() {
        return counts.values().stream().mapToLong(Long::longValue).sum();
    }

    /** @return why it ended */
    public Stop stop() {
        return stop;
    }

    /** @return the first failure's message, or null */
    public String failure() {
        return failure;
    }

    /** @return what was planned but not read, by partition */
    public List<ReadRange> unread() {
        return List.copyOf(unread);
    }

    /**
     * @param request what was asked
     * @param target the retry topic
     * @return the lines of the summary for standard error
     */
    public List<String> summary(ReplayRequest request, String target) {
        List<String> lines = new ArrayList<>();
        lines.add(String.format(Locale.ROOT, "%s %s into %s: %s (%,d selected of %,d read)",
                request.dryRun() ? "dry run of replay from" : "replay from", request.sourceTopic(), target,
                counts(request.dryRun()), selected(), read));
        switch (stop) {
            case CAPPED -> lines.add(String.format(Locale.ROOT, "stopped at --max-records %,d: more records would be "
                    + "replayed; %s", request.maxRecords(), resumeHint()));
            case INTERRUPTED -> lines.add("stopped by Ctrl-C; " + resumeHint());
            case OUTPUT_CLOSED -> lines.add("stopped: standard output was closed; " + resumeHint());
            case FAILED -> lines.add("replay failed: " + failure);
            default -> { }
        }
        if (request.dryRun()) {
            lines.add("dry run: nothing written");
        }
        return lines;
    }

    private String counts(boolean dryRun) {
        List<ReplayAction> shown = dryRun
                ? List.of(ReplayAction.WOULD_REPLAY, ReplayAction.KEPT, ReplayAction.SKIPPED)
                : List.of(ReplayAction.REPLAYED, ReplayAction.KEPT, ReplayAction.SKIPPED, ReplayAction.FAILED);
        return shown.stream()
                .filter(a -> a != ReplayAction.FAILED || count(a) > 0)
                .map(a -> String.format(Locale.ROOT, "%,d %s", count(a), a.label()))
                .collect(Collectors.joining(", "));
    }

    private String resumeHint() {
        if (unread.isEmpty()) {
            return "nothing planned was left unread";
        }
        return "to go on, run again from " + unread.stream()
                .map(r -> "partition " + r.partition().partition() + " offset " + r.start())
                .collect(Collectors.joining(", "));
    }
}
