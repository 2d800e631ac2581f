package dev.arenaflow.cli.replay;

import dev.arenaflow.topology.DeadLetterHeaders;
import org.apache.kafka.common.header.Headers;

/**
 * The retry topic replay writes to: the plugin's shortest tier, so the replay is due at once.
 *
 * @param topic the topic
 * @param partitions its partition count, at least 1
 */
public record RetryTarget(String topic, int partitions) {

    public RetryTarget {
        if (partitions < 1) {
            throw new IllegalArgumentException("retry topic " + topic + " has no partitions");
        }
    }

    /**
     * Partition p of a retry topic is read by the task of input partition p, which holds the
     * message's arena entry and its source's state; so the origin partition is the right one.
     * Another partition still works, only without that task's state, so a header that does not
     * name one falls back to spreading by the dead letter's own partition.
     *
     * @param headers the dead letter's headers
     * @param deadLetterPartition the dead letter's partition
     * @return the partition to write the replay to
     */
    public int partitionFor(Headers headers, int deadLetterPartition) {
        Long origin = DeadLetterHeaders.number(headers, DeadLetterHeaders.ORIGIN_PARTITION);
        if (origin != null && origin >= 0 && origin < partitions) {
            return origin.intValue();
        }
        return deadLetterPartition % partitions;
    }
}
