package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.arena.ArenaEntry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SourceOrderTest {

    private final List<Long> read = new ArrayList<>();
    private final SourceOrder order = new SourceOrder(true, this::readSource);

    @Test
    void shouldNeitherReadSourcesNorKeepStateWithoutPerSourceOrder() {
        SourceOrder unordered = new SourceOrder(false, this::readSource);

        assertThat(unordered.head(entry(10, 1), null)).isNull();
        assertThat(unordered.busySourceOf(entry(11, 1))).isNull();
        assertThat(unordered.headAwaitingRetry(entry(12, 1))).isNull();
        assertThat(unordered.sourceOf(entry(13, 1))).isNull();
        assertThat(unordered.parkedBehind()).isZero();
        assertThat(read).isEmpty();
    }

    @Test
    void shouldReadNoSourceWhileNoSourceIsBusy() {
        assertThat(order.busySourceOf(entry(10, 1))).isNull();
        assertThat(read).isEmpty();
    }

    @Test
    void shouldMakeAnUnresolvedEntryItsSourcesHeadAndQueueLaterOnesBehindIt() {
        assertThat(order.head(entry(10, 1, 1), null)).isEqualTo("s1");
        assertThat(order.head(entry(10, 1, 1), "s1")).isEqualTo("s1");
        assertThat(read).containsExactly(10L);

        assertThat(order.busySourceOf(entry(11, 1, 1))).isEqualTo("s1");
        assertThat(order.busySourceOf(entry(12, 1, 2))).isNull();
        order.waitBehind("s1", entry(11, 1, 1).key());

        assertThat(order.next("s1")).isEqualTo(entry(11, 1, 1).key());
        assertThat(order.next("s1")).isNull();
        assertThat(order.busySourceOf(entry(13, 1, 1))).isNull();
    }

    @Test
    void shouldParkLaterMessagesBehindAHeadAwaitingItsRetry() {
        assertThat(order.headAwaitingRetry(entry(10, 1, 1))).isEqualTo("s1");
        assertThat(order.retrying("s1")).isTrue();
        order.waitBehind("s1", entry(11, 1, 1).key());
        assertThat(order.parkedBehind()).isEqualTo(1);

        order.setRetrying("s1", false);
        assertThat(order.parkedBehind()).isZero();

        order.clear();
        assertThat(order.busySourceOf(entry(12, 1, 1))).isNull();
    }

    private String readSource(ArenaEntry entry) {
        read.add(entry.key().offset());
        return TestArenas.sourceOf(entry);
    }
}
