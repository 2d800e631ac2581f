package dev.arenaflow.cli.replay;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.DeadLetterHeaders;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

class ReplaySelectionTest {

    private static final ConsumerRecord<byte[], byte[]> RECORD = record(1, 10, 5000, "TIMEOUT");

    @Test
    void shouldSelectEverythingByDefault() {
        assertThat(ReplaySelection.all().matches(RECORD)).isTrue();
        assertThat(ReplaySelection.all().matches(record(0, 0, 0, null))).isTrue();
    }

    @Test
    void shouldTreatOffsetAndTimeBoundsAsInclusive() {
        assertThat(select(Set.of(), 10L, 10L, 5000L, 5000L, Set.of()).matches(RECORD)).isTrue();
        assertThat(select(Set.of(), 11L, null, null, null, Set.of()).matches(RECORD)).isFalse();
        assertThat(select(Set.of(), null, 9L, null, null, Set.of()).matches(RECORD)).isFalse();
        assertThat(select(Set.of(), null, null, 5001L, null, Set.of()).matches(RECORD)).isFalse();
        assertThat(select(Set.of(), null, null, null, 4999L, Set.of()).matches(RECORD)).isFalse();
    }

    @Test
    void shouldRequireEveryCriterion() {
        assertThat(select(Set.of(1), 0L, 100L, 0L, 9999L, Set.of("TIMEOUT")).matches(RECORD)).isTrue();
        assertThat(select(Set.of(0), 0L, 100L, 0L, 9999L, Set.of("TIMEOUT")).matches(RECORD)).isFalse();
        assertThat(select(Set.of(1), 0L, 100L, 0L, 9999L, Set.of("HTTP_500")).matches(RECORD)).isFalse();
    }

    @Test
    void shouldNotMatchARecordWithoutAnErrorCodeWhenCodesAreGiven() {
        assertThat(select(Set.of(), null, null, null, null, Set.of("TIMEOUT")).matches(record(1, 10, 5000, null)))
                .isFalse();
    }

    private static ReplaySelection select(Set<Integer> partitions, Long fromOffset, Long toOffset, Long fromTime,
                                          Long toTime, Set<String> codes) {
        return new ReplaySelection(partitions, fromOffset, toOffset, fromTime, toTime, codes);
    }

    private static ConsumerRecord<byte[], byte[]> record(int partition, long offset, long timestamp, String code) {
        RecordHeaders headers = new RecordHeaders();
        if (code != null) {
            headers.add(DeadLetterHeaders.ERROR_CODE, code.getBytes(StandardCharsets.UTF_8));
        }
        return new ConsumerRecord<>("dlq", partition, offset, timestamp, TimestampType.CREATE_TIME, -1, -1, null,
                null, headers, Optional.empty());
    }
}
