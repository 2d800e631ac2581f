package dev.arenaflow.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A {@link LocalKafka} broker and a {@link LocalRegistry}, started together and closed together,
 * under one work folder ({@code workDir/kafka}, {@code workDir/registry}).
 *
 * <p>The servers outlive this JVM if it is killed without {@link #close()}; a caller that runs
 * until interrupted adds {@code Runtime.getRuntime().addShutdownHook(new Thread(stack::close))}.
 *
 * <p>Threading notes: {@link #start} blocks its caller and uses two short-lived threads of its
 * own. {@link #close()} is idempotent and may be called from any thread, including a shutdown
 * hook, concurrently with another {@code close()}.
 */
public final class LocalStack implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalStack.class);
    /** Longer than a server's own grace before it is killed. */
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final LocalKafka kafka;
    private final LocalRegistry registry;
    private final Path workDir;
    private final boolean deleteWorkDirOnClose;

    private LocalStack(LocalKafka kafka, LocalRegistry registry, Path workDir, boolean deleteWorkDirOnClose) {
        this.kafka = kafka;
        this.registry = registry;
        this.workDir = workDir;
        this.deleteWorkDirOnClose = deleteWorkDirOnClose;
    }

    /**
     * Starts both servers with default settings and keeps {@code workDir} on close, so the logs
     * can be read afterwards.
     *
     * @param workDir folder for both servers' files; created if missing
     * @throws ChildProcessException if either server fails to start; the other is then stopped
     */
    public static LocalStack start(Path workDir) throws InterruptedException {
        return start(workDir, LocalStackLayout.locate(), KafkaOptions.defaults(), false);
    }

    /**
     * Starts both servers at once and blocks until both are ready. If either fails, or the caller
     * is interrupted, the other is stopped before this returns.
     *
     * @param workDir folder for both servers' files; created if missing
     * @param layout where the servers' jars are
     * @param kafkaOptions broker settings
     * @param deleteWorkDirOnClose whether {@link #close()} deletes {@code workDir} after stopping
     * @throws ChildProcessException if either server fails to start
     */
    public static LocalStack start(Path workDir, LocalStackLayout layout, KafkaOptions kafkaOptions,
            boolean deleteWorkDirOnClose) throws InterruptedException {
        // Own threads, not the common pool: with 2 cores its single thread would start them one by one.
        ExecutorService starter = Executors.newFixedThreadPool(2, task -> {
            Thread thread = new Thread(task, "arenaflow-local-stack-start");
            thread.setDaemon(true);
            return thread;
        });
        // Filled by the start threads themselves: a start cancelled just as it succeeds loses its result.
        Queue<AutoCloseable> started = new ConcurrentLinkedQueue<>();
        CompletionService<AutoCloseable> starts = new ExecutorCompletionService<>(starter);
        List<Future<AutoCloseable>> futures = List.of(
                starts.submit(() -> keep(started, LocalKafka.start(workDir.resolve("kafka"), layout, kafkaOptions))),
                starts.submit(() -> keep(started, LocalRegistry.start(workDir.resolve("registry"), layout, Map.of()))));
        boolean ready = false;
        try {
            awaitInCompletionOrder(starts, futures.size());
            LocalStack stack = new LocalStack((LocalKafka) futures.get(0).get(), (LocalRegistry) futures.get(1).get(),
                    workDir, deleteWorkDirOnClose);
            ready = true;
            return stack;
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } finally {
            if (!ready) {
                // Interrupting a start makes it stop its child; the first failure need not wait for the other.
                futures.forEach(future -> future.cancel(true));
            }
            starter.shutdown();
            awaitTermination(starter);
            if (!ready) {
                started.forEach(LocalStack::closeQuietly);
            }
        }
    }

    private static <T extends AutoCloseable> T keep(Queue<AutoCloseable> started, T server) {
        started.add(server);
        return server;
    }

    /** Returns once all starts succeeded, or throws the first failure as soon as it happens. */
    private static void awaitInCompletionOrder(CompletionService<AutoCloseable> starts, int count)
            throws InterruptedException, ExecutionException {
        for (int i = 0; i < count; i++) {
            starts.take().get();
        }
    }

    private static void awaitTermination(ExecutorService starter) {
        try {
            if (!starter.awaitTermination(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                LOG.warn("A local server start did not end within {} s after it was abandoned", STOP_TIMEOUT.toSeconds());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable server) {
        try {
            server.close();
        } catch (Exception e) {
            LOG.warn("Could not stop a local server after a failed start", e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException runtime) {
            return runtime;
        }
        if (cause instanceof Error error) {
            throw error;
        }
        return new IllegalStateException(cause);
    }

    /** The broker. */
    public LocalKafka kafka() {
        return kafka;
    }

    /** The schema registry. */
    public LocalRegistry registry() {
        return registry;
    }

    /** The folder holding both servers' files and logs. */
    public Path workDir() {
        return workDir;
    }

    /**
     * Stops both servers at once, then deletes the work folder if {@link #start} was asked to.
     * Returns once both processes have exited.
     */
    @Override
    public void close() {
        Thread stopRegistry = new Thread(registry::close, "arenaflow-local-registry-stop");
        stopRegistry.start();
        kafka.close();
        joinUninterruptibly(stopRegistry);
        if (deleteWorkDirOnClose) {
            deleteWorkDir();
        }
    }

    private void deleteWorkDir() {
        try {
            MoreFiles.deleteRecursively(workDir);
        } catch (IOException e) {
            LOG.warn("Could not delete the local stack's folder {}: {}", workDir, e.toString());
        }
    }

    private static void joinUninterruptibly(Thread thread) {
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
