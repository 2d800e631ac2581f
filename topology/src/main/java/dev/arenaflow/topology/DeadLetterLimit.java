package dev.arenaflow.topology;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * The largest dead letter arenaflow will send to each dead-letter topic: the producer's
 * {@code max.request.size}, lowered at start-up to the topic's {@code max.message.bytes} when it
 * allows less. Topics are named by the plugin whose dead letters they hold ({@code decode} for
 * malformed records). A record over it would fail its send, and under exactly_once_v2 a
 * failed send aborts the whole transaction, so the task would fail on it again and again. A record
 * that does not fit is sent without its value instead, with {@link DeadLetterHeaders#VALUE_DROPPED_BYTES}
 * saying how large it was; the headers still name its input topic, partition and offset.
 *
 * <p>Threading notes: set once at start-up, before Kafka Streams starts; read by every stream thread.
 */
public final class DeadLetterLimit {

    /** Where {@link ArenaflowTopology#streamsProperties} hands the limit to the decode dead-letter handler. */
    public static final String PROPERTY = "arenaflow.internal.dead.letter.limit";

    private final int maxRequestSize;
    private final Map<String, Integer> byPlugin = new ConcurrentHashMap<>();

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
