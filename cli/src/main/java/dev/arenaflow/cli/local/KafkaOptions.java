package dev.arenaflow.cli.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of a {@link LocalKafka} broker.
 *
 * @param defaultPartitions {@code num.partitions}, for topics created without a count; at least 1
 * @param maxHeap the broker JVM's {@code -Xmx} value, e.g. {@code "512m"}
 * @param extraConfig further {@code server.properties} entries; they override the defaults
 */
public record KafkaOptions(int defaultPartitions, String maxHeap, Map<String, String> extraConfig) {

    /**
     * The settings {@link LocalKafka#start(java.nio.file.Path)} uses: 1 partition, 512 MB heap, and
     * one partition for the offsets and transaction-state topics, which makes the first group join
     * and the first transaction about a third faster on a single local broker.
     */
    public static KafkaOptions defaults() {
        return new KafkaOptions(1, "512m", Map.of("offsets.topic.num.partitions", "1",
                "transaction.state.log.num.partitions", "1"));
    }

    /**
     * Validates and copies the settings.
     *
     * @throws IllegalArgumentException naming the setting and its bad value
     */
    public KafkaOptions {
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("defaultPartitions must be at least 1 but was " + defaultPartitions);
        }
        if (maxHeap == null || !maxHeap.matches("\\d+[kKmMgG]?")) {
            throw new IllegalArgumentException("maxHeap must look like 512m but was " + maxHeap);
        }
        extraConfig = Map.copyOf(extraConfig);
    }

    /** These settings with {@code num.partitions} set to {@code partitions}. */
    public KafkaOptions withDefaultPartitions(int partitions) {
        return new KafkaOptions(partitions, maxHeap, extraConfig);
    }

    /** These settings with the broker heap limit set to {@code heap}, e.g. {@code "1g"}. */
    public KafkaOptions withMaxHeap(String heap) {
        return new KafkaOptions(defaultPartitions, heap, extraConfig);
    }

    /**
     * These settings with a transaction of a killed producer aborted within about 6 s, not 20: for
     * tests that SIGKILL instances.
     */
    public KafkaOptions withFastTransactionAbort() {
        return withConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    }

    /**
     * These settings with the high watermarks checkpointed every 100 ms, not 5 s: for tests that
     * SIGKILL this broker. With the default, the single broker restarted after a kill forgot partitions
     * added to an open transaction and a later commit marker committed an aborted transaction's records,
     * doubling inputs under exactly_once_v2 (see OutageIT); a replicated cluster does not restart from
     * one node's checkpoint.
     */
    public KafkaOptions withFastHighWatermarkCheckpoint() {
        return withConfig("replica.high.watermark.checkpoint.interval.ms", "100");
    }

    /** These settings plus one {@code server.properties} entry, which wins over the defaults. */
    public KafkaOptions withConfig(String key, String value) {
        Map<String, String> config = new LinkedHashMap<>(extraConfig);
        config.put(key, value);
        return new KafkaOptions(defaultPartitions, maxHeap, config);
    }
}
