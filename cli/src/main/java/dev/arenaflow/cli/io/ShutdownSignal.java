package dev.arenaflow.cli.io;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Ctrl-C for a command that must stop cleanly: a JVM shutdown hook that raises a flag, runs an
 * action (such as {@code consumer.wakeup()}), then waits, for a bounded time, until the command
 * says it is done, so that it can flush and print its summary before the JVM exits.
 *
 * <p>Threading notes: the hook thread calls {@link #request}; the command's thread polls
 * {@link #requested} and calls {@link #onRequest} and {@link #close}. All of them are safe to race.
 */
public final class ShutdownSignal implements AutoCloseable {

    private final CountDownLatch done = new CountDownLatch(1);
    private final Duration grace;
    private final Thread hook;
    private volatile boolean requested;
    private volatile Runnable action = () -> { };

    private ShutdownSignal(Duration grace, boolean installHook) {
        this.grace = grace;
        this.hook = installHook ? new Thread(this::requestAndWait, "arenaflow-shutdown") : null;
        if (hook != null) {
            Runtime.getRuntime().addShutdownHook(hook);
        }
    }

    /**
     * @param grace how long the hook waits for {@link #close} before letting the JVM exit
     * @return a signal with its shutdown hook registered; close it when the command is done
     */
    public static ShutdownSignal install(Duration grace) {
        return new ShutdownSignal(grace, true);
    }

    /** @return a signal without a shutdown hook, raised by {@link #request} only; for tests */
    public static ShutdownSignal manual() {
        return new ShutdownSignal(Duration.ZERO, false);
    }

    /** @param onRequest run once a stop is requested, at once if it already was; must be thread-safe */
    public void onRequest(Runnable onRequest) {
        this.action = onRequest;
        if (requested) {
            onRequest.run();
        }
    }

    /** Asks the command to stop: raises the flag and runs the action. */
    public void request() {
        requested = true;
        action.run();
    }

    /** @return true once a stop was requested */
    public boolean requested() {
        return requested;
    }

    /** Says the command is done and removes the hook unless the JVM is already shutting down. */
    @Override
    public void close() {
        done.countDown();
        if (hook != null && !requested) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // The hook is running or about to; it will see the latch open.
            }
        }
    }

    private void requestAndWait() {
        request();
        try {
            done.await(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
