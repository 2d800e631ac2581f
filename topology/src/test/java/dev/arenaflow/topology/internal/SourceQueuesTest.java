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
        queues.add("a", K10);
        queues.add("b", K11);
        queues.add("a", K12);

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
        queues.add("a", K10);
        queues.add("a", K11);
        queues.setRetrying("a", true);
        assertThat(queues.retrying("a")).isTrue();
        assertThat(queues.parkedBehindRetry()).isEqualTo(1);

        queues.add("a", K12);
        assertThat(queues.parkedBehindRetry()).isEqualTo(2);

        assertThat(queues.resolveHead("a")).isEqualTo(K11);
        assertThat(queues.retrying("a")).isFalse();
        assertThat(queues.parkedBehindRetry()).isZero();
    }

    @Test
    void shouldIgnoreRetryMarksOfFreeSourcesAndForgetEverythingOnClear() {
        queues.setRetrying("a", true);
        assertThat(queues.busy("a")).isFalse();
        assertThat(queues.resolveHead("a")).isNull();

        queues.add("b", K10);
        queues.add("b", K11);
        queues.setRetrying("b", true);
        queues.clear();

        assertThat(queues.isEmpty()).isTrue();
        assertThat(queues.parkedBehindRetry()).isZero();
    }
}
