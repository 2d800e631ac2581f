package dev.arenaflow.local;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Settings of a {@link LocalKafka} broker.
 *
 * @param defaultPartitions {@code num.partitions}, for topics created without a count; at least 1
 * @param maxHeap the broker JVM's {@code -Xmx} value, e.g. {@code "512m"}
 * @param extraConfig further {@code server.properties} entries; they override the defaults
 * @param separateController whether the KRaft controller runs in a process of its own, so that
 *     {@link LocalKafka#kill()} kills the broker alone (see {@link #withSeparateController()})
 */
public record KafkaOptions(int defaultPartitions, String maxHeap, Map<String, String> extraConfig,
                           boolean separateController) {

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

    /** Settings for one process that is both broker and controller. */
    public KafkaOptions(int defaultPartitions, String maxHeap, Map<String, String> extraConfig) {
        this(defaultPartitions, maxHeap, extraConfig, false);
    }

    /** These settings with {@code num.partitions} set to {@code partitions}. */
    public KafkaOptions withDefaultPartitions(int partitions) {
        return new KafkaOptions(partitions, maxHeap, extraConfig, separateController);
    }

    /** These settings with the broker heap limit set to {@code heap}, e.g. {@code "1g"}. */
    public KafkaOptions withMaxHeap(String heap) {
        return new KafkaOptions(defaultPartitions, heap, extraConfig, separateController);
    }

    /**
     * These settings with a transaction of a killed producer aborted within about 6 s, not 20: for
     * tests that SIGKILL instances.
     */
    public KafkaOptions withFastTransactionAbort() {
        return withConfig("transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");
    }

    /**
     * These settings with the KRaft controller in a process of its own, as production clusters run
     * it: for tests that SIGKILL the broker, which then kills the broker alone.
     *
     * <p>Why: with one process in both roles, a restart after a kill starts the node from metadata
     * that still names it leader of every partition, and it acts as leader for some seconds until
     * its own controller fences and unfences it. Kafka 4.4.0's transaction coordinator, completing a
     * transaction in that window (aborting one the kill left open), finds its partitions without a
     * leader, logs "Couldn't find leader endpoint ... likely deleted already and hence can be
     * skipped", and records the transaction complete without writing its markers. The partitions
     * are then stuck behind a hanging transaction (read_committed readers and state restores stop
     * there), and the producer's next commit on one of them commits the aborted records. Here 6 kills
     * of 6 left hanging transactions that way with one process, and 0 of 12 with the controller
     * apart, restarted 2 s or 12 s after the kill; but restarted at once on a heavily loaded machine,
     * 2 runs of {@code BrokerKillIT} of 4 still did, most likely because a broker restarted before its
     * controller has fenced its old registration also starts from stale metadata. So {@link LocalKafka#restart()} waits until the controller has
     * fenced the broker (12 s after the kill); it then starts as a follower with no leader and leads nothing until the
     * controller unfences it. {@code BrokerKillIT} checks it.
     */
    public KafkaOptions withSeparateController() {
        return new KafkaOptions(defaultPartitions, maxHeap, extraConfig, true);
    }

    /** These settings plus one {@code server.properties} entry, which wins over the defaults. */
    public KafkaOptions withConfig(String key, String value) {
        Map<String, String> config = new LinkedHashMap<>(extraConfig);
        config.put(key, value);
        return new KafkaOptions(defaultPartitions, maxHeap, config, separateController);
    }
}
