package dev.arenaflow.cli.replay;

import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/** The headers of a replayed record, made from those of its dead letter. */
public final class ReplayHeaders {

    /**
     * The application runs a retry record as attempt {@code arenaflow.attempt + 1}: 0 makes the
     * replay attempt 1, with the plugin's whole retry budget again.
     */
    static final String FIRST_ATTEMPT_MINUS_ONE = "0";

    private ReplayHeaders() {
    }

    /**
     * @param headers a record's headers
     * @return its {@value DeadLetterHeaders#REPLAY_COUNT}; 0 if missing, negative or not a number
     */
    public static long replayCount(Headers headers) {
        Long count = DeadLetterHeaders.number(headers, DeadLetterHeaders.REPLAY_COUNT);
        return count == null || count < 0 ? 0 : count;
    }

    /**
     * Keeps every header, in order, except the three that replay sets, which it appends once each:
     * attempt 0, not before now, and the replay count one higher.
     *
     * @param deadLetter the dead letter's headers; not modified
     * @param nowMs the time of the replay, epoch milliseconds
     * @return new headers
     */
    public static Headers rewrite(Headers deadLetter, long nowMs) {
        long count = replayCount(deadLetter) + 1;
        RecordHeaders headers = new RecordHeaders(deadLetter.toArray());
        headers.remove(DeadLetterHeaders.ATTEMPT);
        headers.remove(DeadLetterHeaders.NOT_BEFORE_MS);
        headers.remove(DeadLetterHeaders.REPLAY_COUNT);
        add(headers, DeadLetterHeaders.ATTEMPT, FIRST_ATTEMPT_MINUS_ONE);
        add(headers, DeadLetterHeaders.NOT_BEFORE_MS, Long.toString(nowMs));
        add(headers, DeadLetterHeaders.REPLAY_COUNT, Long.toString(count));
        return headers;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
