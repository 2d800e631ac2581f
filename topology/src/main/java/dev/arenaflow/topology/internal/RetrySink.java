package dev.arenaflow.topology.internal;

import java.util.Optional;
import java.util.Set;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.StreamPartitioner;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * The pieces of a plugin's retry sink. A retry record goes to its tier's topic, into the partition
 * number of the task that wrote it, so it comes back to the same task: the one holding its
 * source's state and, with ordered retry, the messages parked behind it. The sink's partitioner
 * sees only key and value, so the value carries topic and partition alongside the original bytes.
 */
public final class RetrySink {

    /**
     * A retry record's value on its way to the sink.
     *
     * @param topic the tier's retry topic
     * @param partition the partition to write to
     * @param value the original value bytes, written unchanged
     */
    public record Outbound(String topic, int partition, byte[] value) {
    }

    private RetrySink() {
    }

    /** @return picks each record's tier topic */
    public static TopicNameExtractor<byte[], Outbound> topics() {
        return (key, value, context) -> value.topic();
    }

    /** @return puts each record in its task's partition number */
    public static StreamPartitioner<byte[], Outbound> partitioner() {
        return new StreamPartitioner<>() {
            @Override
            public Optional<Set<Integer>> partitions(String topic, byte[] key, Outbound value, Headers headers,
                                                     int numPartitions) {
                if (value.partition() >= numPartitions) {
                    throw new IllegalStateException("retry topic " + topic + " has " + numPartitions
                            + " partitions; a retry from task partition " + value.partition() + " needs more");
                }
                return Optional.of(Set.of(value.partition()));
            }

            // Still abstract in Kafka Streams 4.4, though marked for removal; Kafka Streams calls the one above.
            @Override
            @SuppressWarnings("removal")
            public Optional<Set<Integer>> partitions(String topic, byte[] key, Outbound value, int numPartitions) {
                return partitions(topic, key, value, null, numPartitions);
            }
        };
    }

    /** @return writes the original value bytes */
    public static Serializer<Outbound> serializer() {
        return (topic, value) -> value == null ? null : value.value();
    }
}
