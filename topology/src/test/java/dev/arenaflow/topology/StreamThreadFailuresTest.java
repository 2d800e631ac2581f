package dev.arenaflow.topology;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.common.errors.InvalidTxnStateException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.streams.errors.StreamsException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.junit.jupiter.api.Test;

class StreamThreadFailuresTest {

    private final AtomicLong nanos = new AtomicLong();
    private final StreamThreadFailures failures = new StreamThreadFailures(nanos::get);

    @Test
    void shouldReplaceAThreadThatDiedOfABrokerError() {
        StreamsException commitFailed = new StreamsException("Error encountered trying to commit a transaction",
                new InvalidTxnStateException("The producer attempted a transactional operation in an invalid state."));

        assertThat(failures.onFailure(commitFailed)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }

    @Test
    void shouldStopOnAFailureThatIsNotTheBrokers() {
        assertThat(failures.onFailure(new StreamsException(new NullPointerException("a bug"))))
                .isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopWhenAPluginStalledWithWatchdogActionFail() {
        StreamsException stalled = new StreamsException("punctuation failed",
                new PluginStalledException("enrich", "0_1", "no outcome applied for 120000 ms"));

        assertThat(failures.onFailure(stalled)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopOnAnErrorEvenBesideABrokerError() {
        StreamsException failure = new StreamsException(new TimeoutException("late", new OutOfMemoryError()));

        assertThat(failures.onFailure(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);
    }

    @Test
    void shouldStopAfterTooManyReplacementsWithinTheWindowAndReplaceAgainOnceItHasPassed() {
        StreamsException failure = new StreamsException(new TimeoutException("broker away"));
        for (int i = 0; i < StreamThreadFailures.MAX_REPLACEMENTS; i++) {
            assertThat(failures.onFailure(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
            nanos.addAndGet(1_000_000_000L);
        }

        assertThat(failures.onFailure(failure)).isEqualTo(StreamThreadExceptionResponse.SHUTDOWN_CLIENT);

        nanos.addAndGet(StreamThreadFailures.WINDOW.toNanos());
        assertThat(failures.onFailure(failure)).isEqualTo(StreamThreadExceptionResponse.REPLACE_THREAD);
    }
}
