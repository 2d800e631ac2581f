package dev.arenaflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apicurio Registry 2.6 server, in-memory storage, running as a child JVM on a free 127.0.0.1
 * port from the runner jar that {@code local-stack} unpacks at build time. It serves Apicurio's
 * own API at {@link #apicurioV2Url()} and the Confluent-compatible API at {@link #ccompatUrl()}.
 * Everything registered is lost when it stops.
 *
 * <p>The server outlives this JVM if this JVM is killed without {@link #close()}; callers that
 * run until interrupted (the demo) add a shutdown hook that calls {@link #close()}.
 *
 * <p>Threading notes: {@link #start} blocks its caller until the server is ready. The other
 * methods may be called from any thread; {@link #close()} is idempotent and safe to call from a
 * shutdown hook concurrently with other threads.
 */
public final class LocalRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    private static final Duration STOP_GRACE = Duration.ofSeconds(15);
    private static final Duration POLL_INTERVAL = Duration.ofMillis(200);
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(2);
    private static final int START_ATTEMPTS = 3;
    private static final int HTTP_OK = 200;

    private final ChildProcess server;
    private final String url;

    private LocalRegistry(ChildProcess server, int port) {
        this.server = server;
        this.url = "http://127.0.0.1:" + port;
    }

    /**
     * Starts a registry located by {@link LocalStackLayout#locate()}, with no extra settings.
     *
     * @param workDir folder for {@code registry.log}; created if missing
     * @throws ChildProcessException if the server fails to start or is not ready within 90 s
     */
    public static LocalRegistry start(Path workDir) throws InterruptedException {
        return start(workDir, LocalStackLayout.locate(), Map.of());
    }

    /**
     * Starts a registry and blocks until its Confluent-compatible API answers. Retries with a new
     * port if another process took the picked one first.
     *
     * @param workDir folder for {@code registry.log}; created if missing
     * @param layout where the runner jar is
     * @param serverProperties extra {@code -D} settings of the server, e.g.
     *        {@code registry.ccompat.legacy-id-mode.enabled}
     * @throws ChildProcessException if the server fails to start or is not ready within 90 s
     */
    public static LocalRegistry start(Path workDir, LocalStackLayout layout, Map<String, String> serverProperties)
            throws InterruptedException {
        for (int attempt = 1; ; attempt++) {
            try {
                return startOnce(workDir, layout, serverProperties);
            } catch (ChildProcessException e) {
                if (!e.isPortClash() || attempt == START_ATTEMPTS) {
                    throw e;
                }
                LOG.info("A picked port was taken before the registry bound it; retrying with a new port");
            }
        }
    }

    private static LocalRegistry startOnce(Path workDir, LocalStackLayout layout, Map<String, String> serverProperties)
            throws InterruptedException {
        long startNanos = System.nanoTime();
        int port = FreePorts.pick(1)[0];
        createDirectories(workDir);
        ChildProcess server = ChildProcess.startJava("schema registry", javaArgs(layout, port, serverProperties),
                workDir, workDir.resolve("registry.log"));
        LocalRegistry registry = new LocalRegistry(server, port);
        try {
            registry.awaitReady();
        } catch (InterruptedException | RuntimeException e) {
            registry.close();
            throw e;
        }
        LOG.info("Schema registry ready at {} in {} ms (pid {}, log {})", registry.url,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), server.pid(), server.log());
        return registry;
    }

    private static List<String> javaArgs(LocalStackLayout layout, int port, Map<String, String> serverProperties) {
        List<String> args = new ArrayList<>(List.of(
                "-Xmx256m",
                "-XX:+ExitOnOutOfMemoryError",
                // C1 only: halves the start-up CPU (about 7 s to 3.5 s) and takes 40 MB less memory;
                // a local registry serves a handful of requests, so peak speed does not matter.
                "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1",
                "-Dquarkus.http.port=" + port));
        serverProperties.forEach((key, value) -> args.add("-D" + key + "=" + value));
        args.addAll(List.of("-jar", layout.registryJar().toString()));
        return args;
    }

    private static void createDirectories(Path workDir) {
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create the registry's folder " + workDir, e);
        }
    }

    private void awaitReady() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(REQUEST_TIMEOUT).build();
        HttpRequest subjects = HttpRequest.newBuilder(URI.create(ccompatUrl() + "/subjects"))
                .timeout(REQUEST_TIMEOUT).GET().build();
        ReadinessProbe.await(server, () -> http.send(subjects, HttpResponse.BodyHandlers.discarding())
                .statusCode() == HTTP_OK, READY_TIMEOUT, POLL_INTERVAL);
    }

    /** {@code "http://127.0.0.1:<port>"}, the server's root. */
    public String url() {
        return url;
    }

    /** The Apicurio v2 API, the {@code apicurio.registry.url} for Apicurio serdes. */
    public String apicurioV2Url() {
        return url + "/apis/registry/v2";
    }

    /** The Confluent-compatible API, the {@code schema.registry.url} for Confluent clients. */
    public String ccompatUrl() {
        return url + "/apis/ccompat/v7";
    }

    /** The server's process id, for diagnostics. */
    public long pid() {
        return server.pid();
    }

    /** The file that receives the server's output. */
    public Path log() {
        return server.log();
    }

    /**
     * Stops the server: SIGTERM for a clean shutdown, then a kill after 15 s. Returns once the
     * process has exited, also when another thread is closing it at the same time; does nothing
     * once it has exited.
     */
    @Override
    public void close() {
        server.stop(STOP_GRACE);
    }
}
