package dev.arenaflow.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.Test;

class RetryTargetTest {

    private final RetryTarget target = new RetryTarget("arenaflow.retry.enrich.1s", 4);

    @Test
    void shouldWriteToTheOriginPartitionSoTheOriginalTaskRunsTheRetry() {
        assertThat(target.partitionFor(origin("3"), 0)).isEqualTo(3);
    }

    @Test
    void shouldSpreadByTheDeadLettersPartitionWhenTheOriginIsNotAPartitionOfTheRetryTopic() {
        assertThat(target.partitionFor(origin("4"), 6)).isEqualTo(2);
        assertThat(target.partitionFor(origin("-1"), 5)).isEqualTo(1);
        assertThat(target.partitionFor(new RecordHeaders(), 3)).isEqualTo(3);
    }

    @Test
    void shouldRefuseATopicWithoutPartitions() {
        assertThatThrownBy(() -> new RetryTarget("t", 0)).hasMessageContaining("t has no partitions");
    }

    private static Headers origin(String partition) {
        RecordHeaders headers = new RecordHeaders();
        headers.add(DeadLetterHeaders.ORIGIN_PARTITION, partition.getBytes(StandardCharsets.UTF_8));
        return headers;
    }
}
