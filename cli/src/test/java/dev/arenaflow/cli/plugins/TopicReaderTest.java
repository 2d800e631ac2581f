package dev.arenaflow.cli.plugins;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 20, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class TopicReaderTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private final MockConsumer<byte[], byte[]> consumer = new MockConsumer<>("earliest");

    @Test
    void shouldReportATopicThatDoesNotExistAsMissingWithoutRecords() {
        Map<String, TopicContents> read = TopicReader.readToEnd(consumer, List.of("nope"), TIMEOUT);

        assertThat(read.get("nope").exists()).isFalse();
        assertThat(read.get("nope").latest()).isEmpty();
    }

    @Test
    void shouldKeepTheLatestValueOfEachKeyAcrossPartitionsAndForgetKeysEndingInATombstone() {
        partitions("t", 2, 3L, 2L);
        consumer.schedulePollTask(() -> {
            consumer.addRecord(record("t", 0, 0, "a", "1"));
            consumer.addRecord(record("t", 0, 1, "b", "1"));
            consumer.addRecord(record("t", 0, 2, "a", "2"));
            consumer.addRecord(record("t", 1, 0, "c", "1"));
        });
        consumer.schedulePollTask(() -> consumer.addRecord(record("t", 1, 1, "c", null)));

        TopicContents t = TopicReader.readToEnd(consumer, List.of("t"), TIMEOUT).get("t");

        assertThat(t.exists()).isTrue();
        assertThat(t.latest()).containsOnlyKeys("a", "b");
        assertThat(new String(t.latest("a").orElseThrow().value(), StandardCharsets.UTF_8)).isEqualTo("2");
        assertThat(t.latest("a").orElseThrow().position()).isEqualTo("partition 0, offset 2");
    }

    @Test
    void shouldStopAtTheEndOffsetsCapturedAtStart() {
        partitions("t", 1, 1L);
        consumer.schedulePollTask(() -> consumer.addRecord(record("t", 0, 0, "a", "1")));
        consumer.schedulePollTask(() -> {
            throw new AssertionError("polled again after reaching the end offset");
        });

        assertThat(TopicReader.readToEnd(consumer, List.of("t"), TIMEOUT).get("t").latest()).containsOnlyKeys("a");
    }

    @Test
    void shouldReadSeveralTopicsWithOneConsumer() {
        partitions("c", 1, 1L);
        partitions("s", 1, 0L);
        consumer.schedulePollTask(() -> consumer.addRecord(record("c", 0, 0, "p", "x")));

        Map<String, TopicContents> read = TopicReader.readToEnd(consumer, List.of("c", "s", "gone"), TIMEOUT);

        assertThat(read.keySet()).containsExactly("c", "s", "gone");
        assertThat(read.get("c").latest()).containsOnlyKeys("p");
        assertThat(read.get("s").exists()).isTrue();
        assertThat(read.get("s").latest()).isEmpty();
        assertThat(read.get("gone").exists()).isFalse();
    }

    @Test
    void shouldFailNamingThePartitionsNotReadToTheirEnd() {
        partitions("t", 1, 5L);

        assertThatThrownBy(() -> TopicReader.readToEnd(consumer, List.of("t"), Duration.ofMillis(1)))
                .isInstanceOf(CommandFailure.class).hasMessageContaining("t-0=5")
                .extracting(e -> ((CommandFailure) e).exitCode()).isEqualTo(CommandFailure.FAILED);
    }

    private void partitions(String topic, int count, Long... endOffsets) {
        Node node = new Node(0, "localhost", 9092);
        List<PartitionInfo> infos = new java.util.ArrayList<>();
        for (int p = 0; p < count; p++) {
            infos.add(new PartitionInfo(topic, p, node, new Node[] {node}, new Node[] {node}));
            consumer.updateBeginningOffsets(Map.of(new TopicPartition(topic, p), 0L));
            consumer.updateEndOffsets(Map.of(new TopicPartition(topic, p), endOffsets[p]));
        }
        consumer.updatePartitions(topic, infos);
    }

    private static ConsumerRecord<byte[], byte[]> record(String topic, int partition, long offset, String key,
                                                         String value) {
        return new ConsumerRecord<>(topic, partition, offset, key.getBytes(StandardCharsets.UTF_8),
                value == null ? null : value.getBytes(StandardCharsets.UTF_8));
    }
}
