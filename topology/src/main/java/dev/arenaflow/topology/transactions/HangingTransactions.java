package dev.arenaflow.topology.transactions;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;

/**
 * Picks, from what partition leaders report of their producers, the transactions that have been
 * open too long to be going on: no producer may keep one open longer than the broker's
 * {@code transaction.max.timeout.ms}, so one that has not written for longer than that was left
 * behind, typically by a coordinator that completed it without writing its markers. Until it is
 * aborted, {@code read_committed} readers of the partition, and Kafka Streams restoring it as a
 * changelog, stop at its first offset.
 */
public final class HangingTransactions {

    /** A transaction open on a partition since {@code startOffset}, last written at {@code lastWriteMillis}. */
    public record Hanging(TopicPartition partition, long producerId, int producerEpoch, long startOffset,
                   long lastWriteMillis) {

        /** The Kafka tool's command that aborts it, for the operator to run once they agree. */
        public String abortCommand() {
            return "kafka-transactions.sh --bootstrap-server <bootstrap.servers> abort --topic " + partition.topic()
                    + " --partition " + partition.partition() + " --start-offset " + startOffset;
        }
    }

    private HangingTransactions() {
    }

    /**
     * @param producers each partition's active producers, as {@code Admin.describeProducers} reports them
     * @param nowMillis the current time, epoch milliseconds
     * @param hangingAfterMillis how long without a write an open transaction may stay open
     * @return the hanging ones, by partition
     */
    static List<Hanging> find(Map<TopicPartition, List<ProducerState>> producers, long nowMillis,
                              long hangingAfterMillis) {
        List<Hanging> hanging = new ArrayList<>();
        producers.forEach((partition, states) -> {
            for (ProducerState state : states) {
                if (state.currentTransactionStartOffset().isPresent()
                        && nowMillis - state.lastTimestamp() > hangingAfterMillis) {
                    hanging.add(new Hanging(partition, state.producerId(), state.producerEpoch(),
                            state.currentTransactionStartOffset().getAsLong(), state.lastTimestamp()));
                }
            }
        });
        hanging.sort(Comparator.comparing((Hanging h) -> h.partition().topic())
                .thenComparingInt(h -> h.partition().partition()).thenComparingLong(Hanging::producerId));
        return hanging;
    }
}
