package dev.arenaflow.topology.internal;

import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Times a plugin's {@code handle} calls on the stream thread. A call that takes longer than the
 * plugin's {@code handle.timeout.ms} trips its circuit breaker when it returns. While it has not
 * returned, a shared watchdog thread logs where the stream thread is stuck, once per call: arenaflow
 * cannot take the thread back from a plugin (interrupting it would break Kafka's clients), so that
 * log line is what an operator needs. A call that never returns makes Kafka Streams' consumer
 * leave the group after {@code max.poll.interval.ms}, and the tasks move to another instance.
 *
 * <p>Threading notes: {@link #start} and {@link #stop} run on the stream thread; the watchdog
 * reads the volatile start time on its own thread.
 */
final class HandleWatch implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HandleWatch.class);
    private static final long CHECK_MS = 500;
    private static final Set<HandleWatch> WATCHED = ConcurrentHashMap.newKeySet();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(task -> {
        Thread thread = new Thread(task, "arenaflow-handle-watchdog");
        thread.setDaemon(true);
        return thread;
    });

    static {
        WATCHDOG.scheduleWithFixedDelay(HandleWatch::checkAll, CHECK_MS, CHECK_MS, TimeUnit.MILLISECONDS);
    }

    private final String label;
    private final long limitNanos;
    private final Thread thread;
    private volatile long startedNanos;
    private long reportedStart;
    private long lastNanos;

    /**
     * @param label names the plugin and task in the log
     * @param limitMs longest a call may take
     */
    HandleWatch(String label, long limitMs) {
        this.label = label;
        this.limitNanos = TimeUnit.MILLISECONDS.toNanos(limitMs);
        this.thread = Thread.currentThread();
        WATCHED.add(this);
    }

    void start() {
        startedNanos = System.nanoTime();
    }

    /** @return how long the call took, in ms, if over the limit; else -1 */
    long stop() {
        long took = System.nanoTime() - startedNanos;
        startedNanos = 0;
        lastNanos = took;
        return took > limitNanos ? TimeUnit.NANOSECONDS.toMillis(took) : -1;
    }

    /** @return how long the last call took, in ns */
    long lastNanos() {
        return lastNanos;
    }

    @Override
    public void close() {
        WATCHED.remove(this);
    }

    private static void checkAll() {
        for (HandleWatch watch : WATCHED) {
            watch.check();
        }
    }

    private void check() {
        long started = startedNanos;
        if (started == 0 || started == reportedStart || System.nanoTime() - started <= limitNanos) {
            return;
        }
        reportedStart = started;
        String stack = Arrays.stream(thread.getStackTrace()).limit(25).map(f -> "\tat " + f)
                .collect(Collectors.joining("\n"));
        LOG.warn("{}: handle() has blocked stream thread {} for over {} ms (handle.timeout.ms); it cannot be "
                + "taken back, and the plugin will be paused when the call returns. Where it is:\n{}",
                label, thread.getName(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started), stack);
    }
}
