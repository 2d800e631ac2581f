package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.arena.ArenaKey;
import org.junit.jupiter.api.Test;

class SourceQueuesTest {

    private static final ArenaKey K10 = entry(10, 1).key();
    private static final ArenaKey K11 = entry(11, 1).key();
    private static final ArenaKey K12 = entry(12, 1).key();

    private final SourceQueues queues = new SourceQueues();

    @Test
    void shouldHandOutEachSourcesMessagesInInputOrderAndFreeTheSourceAfterTheLast() {
        queues.add("a", K10, 0);
        queues.add("b", K11, 0);
        queues.add("a", K12, 0);

        assertThat(queues.busy("a")).isTrue();
        assertThat(queues.busy("c")).isFalse();
        assertThat(queues.resolveHead("a")).isEqualTo(K12);
        assertThat(queues.resolveHead("a")).isNull();
        assertThat(queues.busy("a")).isFalse();
        assertThat(queues.isEmpty()).isFalse();

        assertThat(queues.resolveHead("b")).isNull();
        assertThat(queues.isEmpty()).isTrue();
    }

    @Test
    void shouldCountTheMessagesBehindAHeadWaitingForItsRetryAsParked() {
        queues.add("a", K10, 0);
        queues.add("a", K11, 0);
        queues.setRetrying("a", true);
        assertThat(queues.retrying("a")).isTrue();
        assertThat(queues.parkedBehind()).isEqualTo(1);

        queues.add("a", K12, 0);
        assertThat(queues.parkedBehind()).isEqualTo(2);

        assertThat(queues.resolveHead("a")).isEqualTo(K11);
        assertThat(queues.retrying("a")).isFalse();
        assertThat(queues.parkedBehind()).isZero();
    }

    @Test
    void shouldCountTheMessagesBehindTheHeadOfAQuarantinedSourceAsParkedOnceEvenWhileItAlsoRetries() {
        queues.add("a", K10, 5);
        queues.add("a", K11, 6);
        queues.add("a", K12, 7);
        queues.setQuarantined("a", true);
        assertThat(queues.parkedBehind()).isEqualTo(2);
        assertThat(queues.quarantinedSources()).isEqualTo(1);
        queues.setRetrying("a", true);
        assertThat(queues.parkedBehind()).isEqualTo(2);
        assertThat(queues.headArrivedMs("a")).isEqualTo(5);

        assertThat(queues.resolveHead("a")).isEqualTo(K11);
        assertThat(queues.quarantined("a")).isTrue();
        assertThat(queues.retrying("a")).isFalse();
        assertThat(queues.parkedBehind()).isEqualTo(1);
        assertThat(queues.headArrivedMs("a")).isEqualTo(6);
        assertThat(queues.messages("a")).extracting(SourceQueues.Waiting::key).containsExactly(K11, K12);

        queues.setQuarantined("a", false);
        assertThat(queues.parkedBehind()).isZero();
        queues.setQuarantined("a", true);
        assertThat(queues.resolveHead("a")).isEqualTo(K12);
        assertThat(queues.parkedBehind()).isZero();
        assertThat(queues.resolveHead("a")).isNull();
        assertThat(queues.quarantinedSources()).isZero();
        assertThat(queues.busy("a")).isFalse();
    }

    @Test
    void shouldIgnoreRetryMarksOfFreeSourcesAndForgetEverythingOnClear() {
        queues.setRetrying("a", true);
        assertThat(queues.busy("a")).isFalse();
        assertThat(queues.resolveHead("a")).isNull();

        queues.add("b", K10, 0);
        queues.add("b", K11, 0);
        queues.setRetrying("b", true);
        queues.setQuarantined("b", true);
        queues.clear();

        assertThat(queues.isEmpty()).isTrue();
        assertThat(queues.parkedBehind()).isZero();
        assertThat(queues.quarantinedSources()).isZero();
    }
}
