package dev.arenaflow.cli.io;

/**
 * Where {@code arenaflow produce} takes its records from.
 *
 * <p>Threading notes: {@link #next} and {@link #close} are called by one thread, the producing one.
 */
public interface RecordSource extends AutoCloseable {

    /**
     * @param timeoutMillis how long to wait for input, at least 0
     * @return the next item, {@link SourceItem#END} once the input is exhausted, or null if none arrived in time
     * @throws InterruptedException if the thread was interrupted while waiting
     */
    SourceItem next(long timeoutMillis) throws InterruptedException;

    /** Stops reading; never throws. */
    @Override
    void close();
}
