package dev.arenaflow.topology;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What to do when a stream thread dies. A thread that died of an error from or about the brokers
 * (a Kafka {@link ApiException} in its causes: a transaction left in an invalid state by a long
 * broker outage, a fenced producer, a timeout) is replaced: Kafka Streams closes its tasks, and a
 * new thread with new clients redoes their work from the last commit, as after a rebalance. Any
 * other failure (a bug, an {@link Error}) would recur on the same record, so it stops the instance,
 * as do more than {@value #MAX_REPLACEMENTS} replacements within {@link #WINDOW}.
 *
 * <p>Threading notes: called on the dying stream threads; synchronized.
 */
final class StreamThreadFailures {

    static final int MAX_REPLACEMENTS = 5;
    static final Duration WINDOW = Duration.ofMinutes(10);

    private static final Logger LOG = LoggerFactory.getLogger(StreamThreadFailures.class);

    private final LongSupplier nanoClock;
    private final Deque<Long> replacements = new ArrayDeque<>();

    /** @param nanoClock a monotonic clock in nanoseconds, e.g. {@code System::nanoTime} */
    StreamThreadFailures(LongSupplier nanoClock) {
        this.nanoClock = nanoClock;
    }

    /** @return REPLACE_THREAD or SHUTDOWN_CLIENT for a thread that died of {@code failure}, having logged why */
    synchronized StreamThreadExceptionResponse onFailure(Throwable failure) {
        ApiException brokerError = brokerError(failure);
        if (brokerError == null) {
            LOG.error("Stream thread failed; stopping this instance", failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        long now = nanoClock.getAsLong();
        while (!replacements.isEmpty() && now - replacements.peekFirst() > WINDOW.toNanos()) {
            replacements.removeFirst();
        }
        if (replacements.size() >= MAX_REPLACEMENTS) {
            LOG.error("Stream thread failed on a broker error again ({} replacements within {} min already); "
                    + "stopping this instance", replacements.size(), WINDOW.toMinutes(), failure);
            return StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        }
        replacements.addLast(now);
        LOG.warn("Stream thread failed on a broker error ({}); replacing it: its tasks are closed and a new thread "
                + "with new clients redoes their work from the last commit (replacement {} of at most {} within {} min)",
                brokerError.toString(), replacements.size(), MAX_REPLACEMENTS, WINDOW.toMinutes(), failure);
        return StreamThreadExceptionResponse.REPLACE_THREAD;
    }

    /** @return the first Kafka API exception among the causes, or null if there is none or an Error is among them */
    private static ApiException brokerError(Throwable failure) {
        ApiException found = null;
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof Error) {
                return null;
            }
            if (found == null && t instanceof ApiException api) {
                found = api;
            }
        }
        return found;
    }
}
