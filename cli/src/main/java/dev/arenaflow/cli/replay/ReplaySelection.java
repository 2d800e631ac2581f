package dev.arenaflow.cli.replay;

import dev.arenaflow.topology.DeadLetterHeaders;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;

/**
 * Which records of the source topic a replay looks at. Every criterion is optional and they
 * combine with AND; bounds are inclusive.
 *
 * @param partitions partitions to read; empty for all
 * @param fromOffset lowest offset, in every partition read; or null
 * @param toOffset highest offset, in every partition read; or null
 * @param fromTimeMs earliest record timestamp, epoch milliseconds; or null
 * @param toTimeMs latest record timestamp, epoch milliseconds; or null
 * @param errorCodes values of {@value DeadLetterHeaders#ERROR_CODE} to take; empty for any
 */
public record ReplaySelection(Set<Integer> partitions, Long fromOffset, Long toOffset, Long fromTimeMs,
                              Long toTimeMs, Set<String> errorCodes) {

    public ReplaySelection {
        partitions = Set.copyOf(partitions);
        errorCodes = Set.copyOf(errorCodes);
    }

    /** @return a selection of every record */
    public static ReplaySelection all() {
        return new ReplaySelection(Set.of(), null, null, null, null, Set.of());
    }

    /**
     * @param partition a partition of the source topic
     * @return whether to read it at all
     */
    public boolean includesPartition(int partition) {
        return partitions.isEmpty() || partitions.contains(partition);
    }

    /**
     * @param record a record of the source topic
     * @return whether it is selected
     */
    public boolean matches(ConsumerRecord<byte[], byte[]> record) {
        return includesPartition(record.partition())
                && within(record.offset(), fromOffset, toOffset)
                && within(record.timestamp(), fromTimeMs, toTimeMs)
                && hasSelectedErrorCode(record);
    }

    private boolean hasSelectedErrorCode(ConsumerRecord<byte[], byte[]> record) {
        if (errorCodes.isEmpty()) {
            return true;
        }
        // Set.copyOf's sets throw on contains(null).
        String code = DeadLetterHeaders.text(record.headers(), DeadLetterHeaders.ERROR_CODE);
        return code != null && errorCodes.contains(code);
    }

    private static boolean within(long value, Long lowest, Long highest) {
        return (lowest == null || value >= lowest) && (highest == null || value <= highest);
    }
}
