package dev.arenaflow.local.lookup;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A local stand-in for a device registry, for the {@code enrich} plugin in {@code arenaflow demo}.
 * It listens on 127.0.0.1 only and answers {@code GET /sources/{source}} with:
 * <ul>
 *   <li>503, for a configurable fraction of requests (none by default), so the demo shows retries;
 *   <li>404, for sources that start with {@code unknown};
 *   <li>200 and a JSON object derived from the source alone, such as
 *       {@code {"source":"sensor-001","site":"plant-2","kind":"thermometer","owner":"team-7"}}.
 * </ul>
 * Each answer comes after an artificial latency (20 ms by default). The latency holds no thread:
 * two server threads route requests, and one scheduler thread writes each reply when it is due.
 *
 * <p>Threading notes: {@link #start} and {@link #close} may be called from any thread, and
 * {@link #close} from a shutdown hook; the accessors are immutable.
 */
public final class LookupService implements AutoCloseable {

    /** The latency of {@link #start(int)}. */
    public static final Duration DEFAULT_LATENCY = Duration.ofMillis(20);

    /**
     * The JDK server writes a reply's headers and body separately; without TCP_NODELAY, Nagle's
     * algorithm and the client's delayed ACK add about 40 ms to every reply. The JDK reads it once,
     * when the first server of the JVM starts, so it is set only if nobody chose a value.
     */
    static final String NODELAY_PROPERTY = "sun.net.httpserver.nodelay";
    private static final int BACKLOG = 64;
    static final int SERVER_THREADS = 2;

    private final HttpServer server;
    private final ExecutorService workers;
    private final ScheduledExecutorService replies;

    private LookupService(HttpServer server, ExecutorService workers, ScheduledExecutorService replies) {
        this.server = server;
        this.workers = workers;
        this.replies = replies;
    }

    /**
     * Starts a service with the default latency and no 503s.
     *
     * @param port the port on 127.0.0.1; 0 for a free one
     * @return the running service; close it
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static LookupService start(int port) {
        return start(port, DEFAULT_LATENCY, 0);
    }

    /**
     * Starts a service.
     *
     * @param port the port on 127.0.0.1; 0 for a free one
     * @param latency how long each answer is delayed; zero for none
     * @param unavailableFraction the share of requests answered 503, from 0 to 1
     * @return the running service; close it
     * @throws IllegalArgumentException if the latency is negative or the fraction is not in [0, 1]
     * @throws UncheckedIOException if the port cannot be bound
     */
    public static LookupService start(int port, Duration latency, double unavailableFraction) {
        // Checked before the reply thread exists, so a bad setting leaves no thread behind.
        LookupHandler.validate(latency, unavailableFraction);
        return start(port, latency, unavailableFraction,
                Executors.newSingleThreadScheduledExecutor(daemon("arenaflow-lookup-reply-")));
    }

    /**
     * @param replies writes each reply once its latency is over; shut down by {@link #close}
     * @see #start(int, Duration, double)
     */
    static LookupService start(int port, Duration latency, double unavailableFraction,
                               ScheduledExecutorService replies) {
        LookupHandler.validate(latency, unavailableFraction);
        if (System.getProperty(NODELAY_PROPERTY) == null) {
            System.setProperty(NODELAY_PROPERTY, "true");
        }
        ExecutorService workers = Executors.newFixedThreadPool(SERVER_THREADS, daemon("arenaflow-lookup-"));
        try {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), BACKLOG);
            server.createContext("/", new LookupHandler(replies, latency, unavailableFraction));
            server.setExecutor(workers);
            server.start();
            return new LookupService(server, workers, replies);
        } catch (IOException e) {
            workers.shutdownNow();
            replies.shutdownNow();
            throw new UncheckedIOException("cannot start the lookup service on 127.0.0.1:" + port, e);
        }
    }

    /** @return the port it listens on */
    public int port() {
        return server.getAddress().getPort();
    }

    /** @return the base URL, such as {@code http://127.0.0.1:8089} */
    public String url() {
        return "http://127.0.0.1:" + port();
    }

    /** @return the value for {@code plugin.enrich.url.template}: {@code <url>/sources/{source}} */
    public String urlTemplate() {
        return url() + LookupHandler.PREFIX + "{source}";
    }

    /** Stops listening at once; replies not yet sent are dropped. Idempotent. */
    @Override
    public void close() {
        replies.shutdownNow();
        server.stop(0);
        workers.shutdownNow();
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return task -> {
            Thread thread = new Thread(task, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }
}
