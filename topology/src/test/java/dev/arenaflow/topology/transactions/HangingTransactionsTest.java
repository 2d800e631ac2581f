package dev.arenaflow.topology.transactions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.transactions.HangingTransactions.Hanging;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import org.apache.kafka.clients.admin.ProducerState;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class HangingTransactionsTest {

    private static final long NOW = 1_000_000L;
    private static final long AFTER = 60_000L;
    private static final TopicPartition SNAPSHOTS_0 = new TopicPartition("snapshots.session", 0);
    private static final TopicPartition CHANGELOG_2 = new TopicPartition("app-state-session-changelog", 2);

    @Test
    void shouldReportATransactionOpenWithNoWriteForLongerThanAllowed() {
        List<Hanging> found = HangingTransactions.find(Map.of(SNAPSHOTS_0,
                List.of(open(7, 3938, 26_640, NOW - AFTER - 1))), NOW, AFTER);

        assertThat(found).containsExactly(new Hanging(SNAPSHOTS_0, 7, 3938, 26_640, NOW - AFTER - 1));
        assertThat(found.get(0).abortCommand()).isEqualTo("kafka-transactions.sh --bootstrap-server "
                + "<bootstrap.servers> abort --topic snapshots.session --partition 0 --start-offset 26640");
    }

    @Test
    void shouldNotReportATransactionStillWithinItsTime() {
        assertThat(HangingTransactions.find(Map.of(SNAPSHOTS_0, List.of(open(7, 1, 5, NOW - AFTER))), NOW, AFTER))
                .isEmpty();
    }

    @Test
    void shouldNotReportAProducerWithNoTransactionOpenHoweverOld() {
        ProducerState idle = new ProducerState(7, 3, 12, 0, OptionalInt.of(1), OptionalLong.empty());

        assertThat(HangingTransactions.find(Map.of(SNAPSHOTS_0, List.of(idle)), NOW, AFTER)).isEmpty();
    }

    @Test
    void shouldReportEachHangingTransactionInPartitionOrder() {
        List<Hanging> found = HangingTransactions.find(Map.of(
                SNAPSHOTS_0, List.of(open(9, 2, 40, 0), open(7, 5, 41, NOW)),
                CHANGELOG_2, List.of(open(7, 5, 3, 0))), NOW, AFTER);

        assertThat(found).extracting(Hanging::partition, Hanging::producerId)
                .containsExactly(org.assertj.core.api.Assertions.tuple(CHANGELOG_2, 7L),
                        org.assertj.core.api.Assertions.tuple(SNAPSHOTS_0, 9L));
    }

    private static ProducerState open(long producerId, int epoch, long startOffset, long lastWrite) {
        return new ProducerState(producerId, epoch, 0, lastWrite, OptionalInt.of(8), OptionalLong.of(startOffset));
    }
}
