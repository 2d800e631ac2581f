package dev.arenaflow.cli.replay;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;

/**
 * The offsets of one partition that a replay reads: from {@code start} up to, not including,
 * {@code end}. The end is taken once, before reading, so a replay always finishes even while
 * new dead letters arrive.
 *
 * @param partition the partition
 * @param start first offset to read
 * @param end offset to stop at; at most the partition's end offset when the plan was made
 */
public record ReadRange(TopicPartition partition, long start, long end) {

    /** @return whether there is nothing to read */
    public boolean isEmpty() {
        return start >= end;
    }

    /**
     * Plans what to read: from the latest of the partition's beginning, {@code fromOffset} and the
     * first offset at or after {@code fromTimeMs}, up to the earlier of the current end offset
     * and just past {@code toOffset}.
     *
     * @param consumer asked for the offsets; not assigned or moved
     * @param partitions the partitions to read
     * @param selection the bounds
     * @return one range per partition, in the given order
     */
    public static List<ReadRange> plan(Consumer<?, ?> consumer, Collection<TopicPartition> partitions,
                                       ReplaySelection selection) {
        Map<TopicPartition, Long> beginnings = consumer.beginningOffsets(partitions);
        Map<TopicPartition, Long> ends = consumer.endOffsets(partitions);
        Map<TopicPartition, OffsetAndTimestamp> byTime = selection.fromTimeMs() == null ? Map.of()
                : consumer.offsetsForTimes(partitions.stream()
                        .collect(Collectors.toMap(p -> p, p -> selection.fromTimeMs())));
        List<ReadRange> ranges = new ArrayList<>();
        for (TopicPartition partition : partitions) {
            long end = ends.get(partition);
            if (selection.toOffset() != null) {
                end = Math.min(end, selection.toOffset() + 1);
            }
            long start = Math.max(beginnings.get(partition), selection.fromOffset() == null ? 0 : selection.fromOffset());
            if (selection.fromTimeMs() != null) {
                // No offset for the time means no record that late: nothing to read.
                OffsetAndTimestamp first = byTime.get(partition);
                start = first == null ? end : Math.max(start, first.offset());
            }
            ranges.add(new ReadRange(partition, Math.min(start, end), end));
        }
        return ranges;
    }
}
