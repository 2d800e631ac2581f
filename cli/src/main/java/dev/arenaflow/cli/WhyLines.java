package dev.arenaflow.cli;

import dev.arenaflow.api.v1.PendingMessage;
import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@code Why} reply as {@code why} prints it for a person: one line per pending message, e.g.
 * {@code raw-events-0@42 attempt 2 waiting for retry until 2026-12-04T21:40:01Z (last error: TIMEOUT: ...)},
 * times in UTC to the second.
 */
final class WhyLines {

    private WhyLines() {
    }

    /** @return the lines; one saying nothing is pending if no task holds the source */
    static List<String> of(WhyReply reply) {
        List<String> lines = new ArrayList<>();
        for (SourceHolder holder : reply.getHoldersList()) {
            holder.getMessagesList().forEach(m -> lines.add(line(m, holder.getQuarantined())));
        }
        if (lines.isEmpty()) {
            lines.add("nothing pending for source " + reply.getSource() + " of plugin " + reply.getPlugin());
        }
        return lines;
    }

    static String line(PendingMessage m, boolean quarantined) {
        StringBuilder line = new StringBuilder().append(m.getInputTopic()).append('-').append(m.getInputPartition())
                .append('@').append(m.getInputOffset()).append(" attempt ").append(m.getAttempt()).append(' ')
                .append(stage(m));
        if (m.hasLastError()) {
            line.append(" (last error: ").append(m.getLastError()).append(')');
        }
        if (quarantined) {
            line.append(" (source quarantined)");
        }
        return line.toString();
    }

    private static String stage(PendingMessage m) {
        return switch (m.getStage()) {
            case IN_FLIGHT -> "in flight" + (m.hasSinceMs() ? " since " + time(m.getSinceMs()) : "");
            case AWAITING_RETRY_RECORD -> "awaiting its retry record";
            case WAITING_FOR_RETRY -> "waiting for retry" + until(m);
            case DEFERRED -> "deferred" + until(m);
            case HELD_BY_PAUSE -> "held by pause";
            case QUEUED, PARKED -> m.getStage().name().toLowerCase(Locale.ROOT)
                    + (m.hasBehindOffset() ? " behind @" + m.getBehindOffset() : "");
            case DISPATCHING -> "being dispatched";
            default -> "in stage " + m.getStage();
        };
    }

    private static String until(PendingMessage m) {
        return m.hasUntilMs() ? " until " + time(m.getUntilMs()) : "";
    }

    private static String time(long epochMillis) {
        return Instant.ofEpochMilli(epochMillis).truncatedTo(ChronoUnit.SECONDS).toString();
    }
}
