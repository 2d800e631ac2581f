package dev.arenaflow.topology.internal;

import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.DeadLetterHeaders;
import dev.arenaflow.topology.arena.ArenaKey;
import java.util.Set;
import org.apache.kafka.common.header.Headers;

/**
 * What arenaflow needs from a retry record's headers: where the message came from, which attempt
 * failed, and when it may be attempted again.
 *
 * @param origin the original input position, the message's arena key
 * @param failedAttempt the attempt that failed; 0 for a replayed record
 * @param notBeforeMs not to be attempted before this time
 * @param problem why the headers are unusable, or null
 */
record RetryHeaders(ArenaKey origin, int failedAttempt, long notBeforeMs, String problem) {

    private static final int MAX_ATTEMPT = 1_000_000;

    /**
     * @param headers a retry record's headers
     * @param inputTopics the application's input topics: a retry from any other came from another
     *                    application sharing the retry topic prefix, or was written by hand
     */
    static RetryHeaders read(Headers headers, Set<String> inputTopics) {
        String topic = DeadLetterHeaders.text(headers, DeadLetterHeaders.ORIGIN_TOPIC);
        Long partition = DeadLetterHeaders.number(headers, DeadLetterHeaders.ORIGIN_PARTITION);
        Long offset = DeadLetterHeaders.number(headers, DeadLetterHeaders.ORIGIN_OFFSET);
        Long attempt = DeadLetterHeaders.number(headers, DeadLetterHeaders.ATTEMPT);
        Long notBefore = DeadLetterHeaders.number(headers, DeadLetterHeaders.NOT_BEFORE_MS);
        String problem = null;
        if (topic == null || topic.isEmpty()) {
            problem = "header " + DeadLetterHeaders.ORIGIN_TOPIC + " is missing";
        } else if (!inputTopics.contains(topic)) {
            problem = "origin topic " + topic + " is not an input topic of this application " + inputTopics
                    + " (does another application use the same " + ArenaflowConfig.RETRY_TOPIC_PREFIX + "?)";
        } else if (partition == null || partition < 0 || partition > Integer.MAX_VALUE) {
            problem = "header " + DeadLetterHeaders.ORIGIN_PARTITION + " is missing or not a partition";
        } else if (offset == null || offset < 0) {
            problem = "header " + DeadLetterHeaders.ORIGIN_OFFSET + " is missing or not an offset";
        } else if (attempt == null || attempt < 0 || attempt >= MAX_ATTEMPT) {
            problem = "header " + DeadLetterHeaders.ATTEMPT + " is missing or not an attempt number";
        } else if (notBefore == null) {
            problem = "header " + DeadLetterHeaders.NOT_BEFORE_MS + " is missing or not a time";
        }
        if (problem != null) {
            return new RetryHeaders(null, 0, 0, problem);
        }
        return new RetryHeaders(new ArenaKey(topic, partition.intValue(), offset), attempt.intValue(), notBefore, null);
    }
}
