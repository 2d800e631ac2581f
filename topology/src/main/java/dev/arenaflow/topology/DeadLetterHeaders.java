package dev.arenaflow.topology;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * The headers of dead-letter and retry records, as {@code docs/topics-and-headers.md} names them. Every value is UTF-8
 * text; numbers are decimal and times are epoch milliseconds.
 */
public final class DeadLetterHeaders {

    public static final String ERROR_CODE = "arenaflow.error.code";
    public static final String ERROR_MESSAGE = "arenaflow.error.message";
    public static final String ERROR_CLASS = "arenaflow.error.class";
    public static final String PLUGIN = "arenaflow.plugin";
    public static final String ATTEMPT = "arenaflow.attempt";
    public static final String ORIGIN_TOPIC = "arenaflow.origin.topic";
    public static final String ORIGIN_PARTITION = "arenaflow.origin.partition";
    public static final String ORIGIN_OFFSET = "arenaflow.origin.offset";
    public static final String FIRST_FAILURE_MS = "arenaflow.first.failure.ms";
    public static final String NOT_BEFORE_MS = "arenaflow.not.before.ms";
    /** How many times {@code arenaflow replay} has put the record back into processing; kept across retries. */
    public static final String REPLAY_COUNT = "arenaflow.replay.count";

    /**
     * On a dead letter sent without its value because it did not fit ({@link DeadLetterLimit}): the
     * value's size in bytes. The value is still in the input topic at the origin headers' position.
     */
    public static final String VALUE_DROPPED_BYTES = "arenaflow.value.dropped.bytes";

    /** The value of {@link #PLUGIN} on the decode dead-letter topic. */
    public static final String DECODE_PLUGIN = "decode";

    private static final String[] ALL = {ERROR_CODE, ERROR_MESSAGE, ERROR_CLASS, PLUGIN, ATTEMPT, ORIGIN_TOPIC,
        ORIGIN_PARTITION, ORIGIN_OFFSET, FIRST_FAILURE_MS, NOT_BEFORE_MS, VALUE_DROPPED_BYTES};
    private static final String ELLIPSIS = "...";

    private DeadLetterHeaders() {
    }

    /**
     * Why a record became a dead letter, and where it came from.
     *
     * @param code stable error code
     * @param message human-readable reason, without secrets
     * @param errorClass class of the exception or component that failed it
     * @param plugin plugin name, or {@link #DECODE_PLUGIN}
     * @param attempt attempt on which it failed, from 1
     * @param originTopic input topic
     * @param originPartition input partition
     * @param originOffset input offset
     * @param firstFailureMs when it first failed, epoch milliseconds
     */
    public record Failure(String code, String message, String errorClass, String plugin, int attempt,
                          String originTopic, int originPartition, long originOffset, long firstFailureMs) {
    }

    /**
     * Builds the headers of a dead letter: the original headers, less any arenaflow headers they
     * already carried, plus the failure's.
     *
     * @param original the input record's headers; not modified
     * @param failure the failure
     * @param maxMessageChars the error message is cut to this length
     * @return new headers
     */
    public static Headers of(Headers original, Failure failure, int maxMessageChars) {
        RecordHeaders headers = new RecordHeaders(original == null ? null : original.toArray());
        for (String name : ALL) {
            headers.remove(name);
        }
        add(headers, ERROR_CODE, failure.code());
        add(headers, ERROR_MESSAGE, bounded(failure.message(), maxMessageChars));
        add(headers, ERROR_CLASS, failure.errorClass());
        add(headers, PLUGIN, failure.plugin());
        add(headers, ATTEMPT, Integer.toString(failure.attempt()));
        add(headers, ORIGIN_TOPIC, failure.originTopic());
        add(headers, ORIGIN_PARTITION, Integer.toString(failure.originPartition()));
        add(headers, ORIGIN_OFFSET, Long.toString(failure.originOffset()));
        add(headers, FIRST_FAILURE_MS, Long.toString(failure.firstFailureMs()));
        return headers;
    }

    /**
     * Builds the headers of a retry record: those of a dead letter, plus when it may be attempted again.
     *
     * @param original the message's headers; not modified
     * @param failure the failure of the attempt
     * @param maxMessageChars the error message is cut to this length
     * @param notBeforeMs not to be attempted before this time, epoch milliseconds
     * @return new headers
     */
    public static Headers forRetry(Headers original, Failure failure, int maxMessageChars, long notBeforeMs) {
        Headers headers = of(original, failure, maxMessageChars);
        add(headers, NOT_BEFORE_MS, Long.toString(notBeforeMs));
        return headers;
    }

    /**
     * @param headers a message's headers
     * @param name a header holding a decimal number
     * @return its value, or null if it is missing or not a number
     */
    public static Long number(Headers headers, String name) {
        String text = headers == null ? null : text(headers, name);
        if (text == null) {
            return null;
        }
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /**
     * Reads a header as text.
     *
     * @param headers headers
     * @param name header name
     * @return the last value under that name as UTF-8 text, or null
     */
    public static String text(Headers headers, String name) {
        var header = headers.lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String bounded(String message, int maxChars) {
        String text = message == null ? "" : message;
        if (text.length() <= maxChars) {
            return text;
        }
        int end = maxChars - ELLIPSIS.length();
        if (Character.isHighSurrogate(text.charAt(end - 1))) {
            end--;
        }
        return text.substring(0, end) + ELLIPSIS;
    }

    private static void add(Headers headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
