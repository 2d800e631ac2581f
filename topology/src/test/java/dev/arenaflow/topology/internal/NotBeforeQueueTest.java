package dev.arenaflow.topology.internal;

import static dev.arenaflow.topology.internal.TestArenas.backFromRetry;
import static dev.arenaflow.topology.internal.TestArenas.entry;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NotBeforeQueueTest {

    private final NotBeforeQueue queue = new NotBeforeQueue();

    @Test
    void shouldReleaseWaitingMessagesEarliestFirstOnceTheirTimeHasCome() {
        queue.defer(entry(10, 1).parkedUntil(300), "s1");
        queue.awaitRetryTime(backFromRetry(entry(11, 1), 100), null);
        queue.defer(entry(12, 1).parkedUntil(200), null);

        assertThat(queue.nextDueMs()).isEqualTo(100);
        assertThat(queue.pollDue(99)).isNull();

        assertThat(queue.pollDue(250).key().offset()).isEqualTo(11);
        assertThat(queue.pollDue(250).key().offset()).isEqualTo(12);
        assertThat(queue.pollDue(250)).isNull();
        assertThat(queue.nextDueMs()).isEqualTo(300);

        NotBeforeQueue.Waiting last = queue.pollDue(300);
        assertThat(last).isEqualTo(new NotBeforeQueue.Waiting(entry(10, 1).key(), 1, 300, "s1", false));
        assertThat(queue.nextDueMs()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void shouldCountOnlyMessagesBackFromARetryTopicUntilTheyAreDue() {
        queue.defer(entry(10, 1).parkedUntil(100), null);
        queue.awaitRetryTime(backFromRetry(entry(11, 1), 100), null);
        queue.awaitRetryTime(backFromRetry(entry(12, 1), 200), "s1");

        assertThat(queue.size()).isEqualTo(3);
        assertThat(queue.backFromRetry()).isEqualTo(2);

        assertThat(queue.pollDue(100)).isNotNull();
        assertThat(queue.pollDue(100)).isNotNull();
        assertThat(queue.backFromRetry()).isEqualTo(1);

        NotBeforeQueue.Waiting retry = queue.pollDue(200);
        assertThat(retry.backFromRetry()).isTrue();
        assertThat(retry.attempt()).isEqualTo(2);
        assertThat(retry.source()).isEqualTo("s1");
        assertThat(queue.backFromRetry()).isZero();
    }

    @Test
    void shouldForgetEverythingOnClear() {
        queue.awaitRetryTime(backFromRetry(entry(11, 1), 100), null);
        queue.defer(entry(10, 1).parkedUntil(100), null);

        queue.clear();

        assertThat(queue.size()).isZero();
        assertThat(queue.backFromRetry()).isZero();
        assertThat(queue.pollDue(Long.MAX_VALUE)).isNull();
    }
}
