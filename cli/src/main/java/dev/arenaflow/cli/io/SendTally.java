package dev.arenaflow.cli.io;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.AuthorizationException;

/**
 * Counts the outcomes of sends. It keeps the first few failure messages for the producing thread
 * to print, so that standard error has a single writer; later failures are only counted.
 *
 * <p>Threading notes: {@link #onCompletion} runs on the producer's I/O thread (or on the sending
 * thread for a send that fails at once); every other method is for the producing thread.
 */
public final class SendTally implements Callback {

    /** How many failure messages are kept for printing. */
    public static final int MAX_REPORTED_FAILURES = 5;

    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final List<String> failureMessages = new ArrayList<>();
    private volatile String fatal;
    private volatile Exception fatalCause;

    @Override
    public void onCompletion(RecordMetadata metadata, Exception exception) {
        if (exception == null) {
            acknowledged.incrementAndGet();
            return;
        }
        long count = failed.incrementAndGet();
        String message = exception.getClass().getSimpleName() + ": " + exception.getMessage();
        if (exception instanceof AuthenticationException) {
            // Every send fails the same way; the command reports it once, naming the settings to check.
            fatalCause = exception;
            fatal = message;
            return;
        }
        if (count <= MAX_REPORTED_FAILURES) {
            synchronized (failureMessages) {
                failureMessages.add(count == MAX_REPORTED_FAILURES
                        ? message + " (further failures are only counted)" : message);
            }
        }
        if (exception instanceof AuthenticationException || exception instanceof AuthorizationException) {
            fatal = message;
        }
    }

    /** @return records the broker acknowledged */
    public long acknowledged() {
        return acknowledged.get();
    }

    /** @return records that failed */
    public long failed() {
        return failed.get();
    }

    /** @return the failure messages kept since the last call, in order; then forgets them */
    public List<String> drainFailureMessages() {
        synchronized (failureMessages) {
            List<String> drained = List.copyOf(failureMessages);
            failureMessages.clear();
            return drained;
        }
    }

    /** @return the authentication failure that stopped the sends, or null */
    public Exception fatalCause() {
        return fatalCause;
    }

    /** @return the message of a failure that every later send would repeat (authentication, authorization), or null */
    public String fatal() {
        return fatal;
    }
}
