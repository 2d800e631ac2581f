package dev.arenaflow.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The largest dead letter arenaflow will send to each dead-letter topic, and the largest record to
 * each retry topic: the producer's {@code max.request.size}, lowered at start-up to the topic's
 * {@code max.message.bytes} when it allows less. Dead-letter topics are named by the plugin whose
 * dead letters they hold ({@code decode} for malformed records), retry topics by their name. A
 * record over it would fail its send, and under exactly_once_v2 a failed send aborts the whole
 * transaction, so the task would fail on it again and again. A dead letter that does not fit is
 * sent without its value instead, with {@link DeadLetterHeaders#VALUE_DROPPED_BYTES} saying how
 * large it was; the headers still name its input topic, partition and offset. A retry record that
 * does not fit is not sent: the message becomes a dead letter (see {@link #fitsRetryTopic}).
 *
 * <p>Threading notes: set once at start-up, before Kafka Streams starts; read by every stream thread.
 */
public final class DeadLetterLimit {

    /** The error code of a message whose retry record would be over its retry topic's limit. */
    public static final String RETRY_TOO_LARGE = "RETRY_TOO_LARGE";

    /** Where {@link ArenaflowTopology#streamsProperties} hands the limit to the decode dead-letter handler. */
    public static final String PROPERTY = "arenaflow.internal.dead.letter.limit";

    private final int maxRequestSize;
    private final Map<String, Integer> byPlugin = new ConcurrentHashMap<>();
    private final Map<String, Integer> byRetryTopic = new ConcurrentHashMap<>();

    /** @param maxRequestSize the producer's {@code max.request.size} */
    public DeadLetterLimit(int maxRequestSize) {
        this.maxRequestSize = maxRequestSize;
    }

    /**
     * @param plugin whose dead-letter topic it is, or {@link DeadLetterHeaders#DECODE_PLUGIN}
     * @param topicMaxMessageBytes that topic's {@code max.message.bytes}; lowers its limit, never raises it
     */
    public void lowerTo(String plugin, int topicMaxMessageBytes) {
        byPlugin.merge(plugin, Math.min(maxRequestSize, topicMaxMessageBytes), Math::min);
    }

    /**
     * @param retryTopic a retry topic
     * @param topicMaxMessageBytes its {@code max.message.bytes}; lowers its limit, never raises it
     */
    public void lowerRetryTopicTo(String retryTopic, int topicMaxMessageBytes) {
        byRetryTopic.merge(retryTopic, Math.min(maxRequestSize, topicMaxMessageBytes), Math::min);
    }

    /** @return the largest record, in bytes as the producer and broker count them, that goes to this retry topic */
    public int retryTopicMaxBytes(String retryTopic) {
        return byRetryTopic.getOrDefault(retryTopic, maxRequestSize);
    }

    /**
     * A retry record must be sent whole, since its value is what the next attempt reads; one too
     * large is the caller's to turn into a dead letter.
     *
     * @return true if this record may be sent to the retry topic
     */
    public boolean fitsRetryTopic(String retryTopic, byte[] key, byte[] value, Headers headers) {
        return sizeOf(key, value, headers) <= retryTopicMaxBytes(retryTopic);
    }

    /** @return the producer's {@code max.request.size}, the limit of every topic not lowered */
    public int maxRequestSize() {
        return maxRequestSize;
    }

    /**
     * @param plugin whose dead-letter topic it is, or {@link DeadLetterHeaders#DECODE_PLUGIN}
     * @return the largest record, in bytes as the producer and broker count them, sent there with its value
     */
    public int maxBytes(String plugin) {
        return byPlugin.getOrDefault(plugin, maxRequestSize);
    }

    /**
     * @return the size the producer checks against {@code max.request.size}: one record in its own
     *         uncompressed batch, an upper bound of what the broker checks against {@code max.message.bytes}
     */
    public static int sizeOf(byte[] key, byte[] value, Headers headers) {
        // Record format v2, counted as Kafka's own upper bound does (its class is internal in 4.4): the batch
        // header, then the record with every varint at its widest.
        long size = BATCH_OVERHEAD + VARINT + 1 + VARLONG + VARINT
                + VARINT + (key == null ? 0 : key.length)
                + VARINT + (value == null ? 0 : value.length)
                + VARINT;
        for (Header header : headers) {
            size += VARINT + header.key().getBytes(StandardCharsets.UTF_8).length
                    + VARINT + (header.value() == null ? 0 : header.value().length);
        }
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    /** A record batch's header, before its records (format v2). */
    private static final int BATCH_OVERHEAD = 61;
    private static final int VARINT = 5;
    private static final int VARLONG = 10;

    /**
     * @param plugin whose dead letter it is, or {@link DeadLetterHeaders#DECODE_PLUGIN}
     * @param key the record's key
     * @param value the record's value
     * @param headers its headers; {@link DeadLetterHeaders#VALUE_DROPPED_BYTES} is added if the value is dropped
     * @return {@code value} if the record fits, else null: the record goes without its value
     */
    public byte[] valueToSend(String plugin, byte[] key, byte[] value, Headers headers) {
        if (sizeOf(key, value, headers) <= maxBytes(plugin)) {
            return value;
        }
        headers.add(DeadLetterHeaders.VALUE_DROPPED_BYTES,
                Integer.toString(value == null ? 0 : value.length).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return null;
    }

}
