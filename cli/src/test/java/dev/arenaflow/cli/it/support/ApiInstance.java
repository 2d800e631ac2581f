package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.ArenaflowCommand;
import dev.arenaflow.cli.api.ApiAddress;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.ProcessBuilder.Redirect;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

/**
 * One {@code arenaflow run} in a child JVM, as a user starts it (a properties file, the real
 * command), with its gRPC API on a free loopback port; its output goes to
 * {@code <dir>/<name>.out} and {@code .err}. Ready once the API's standard health service says
 * SERVING, which it does while Kafka Streams is RUNNING.
 */
public final class ApiInstance implements AutoCloseable {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final ApiAddress address;
    private final Path err;

    private ApiInstance(String name, Process process, ApiAddress address, Path err) {
        this.name = name;
        this.process = process;
        this.address = address;
        this.err = err;
    }

    /**
     * @param name names the instance and its files
     * @param dir where its config, state and logs go
     * @param settings its settings; the gRPC host and port, the HTTP endpoint's and the state folder are added
     * @param maxHeap the child's {@code -Xmx}, e.g. {@code 384m}
     */
    public static ApiInstance start(String name, Path dir, Map<String, String> settings, String maxHeap) {
        try {
            Files.createDirectories(dir);
            int port = freePort();
            Properties props = new Properties();
            props.putAll(settings);
            props.put("arenaflow.grpc.host", "127.0.0.1");
            props.put("arenaflow.grpc.port", Integer.toString(port));
            // Instances share this machine: their operations endpoints take free ports too.
            props.put("arenaflow.http.bind.address", "127.0.0.1");
            props.put("arenaflow.http.port", "0");
            props.put("state.dir", dir.resolve(name + "-state").toString());
            Path config = dir.resolve(name + ".properties");
            try (Writer out = Files.newBufferedWriter(config, StandardCharsets.UTF_8)) {
                props.store(out, null);
            }
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx" + maxHeap, "-XX:+UseSerialGC", "-cp", classPath(),
                    ArenaflowCommand.class.getName(), "run", "--config", config.toString()));
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(Redirect.to(out.toFile()))
                    .redirectError(Redirect.to(err.toFile()));
            builder.environment().keySet().removeIf(variable -> variable.startsWith("ARENAFLOW_"));
            Process process = builder.start();
            process.getOutputStream().close();
            return new ApiInstance(name, process, new ApiAddress("127.0.0.1", port), err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name, e);
        }
    }

    /** Blocks until the health service says SERVING; fails if the child exits or time runs out. */
    public ApiInstance awaitServing(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!serving()) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited while starting\n" + tail());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " was not SERVING within " + timeout + "\n" + tail());
            }
            Thread.sleep(100);
        }
        return this;
    }

    /** @return true if the standard health service answers SERVING */
    public boolean serving() {
        ManagedChannel channel = address.channel();
        try {
            return HealthGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS)
                    .check(HealthCheckRequest.newBuilder().build()).getStatus() == HealthCheckResponse.ServingStatus.SERVING;
        } catch (StatusRuntimeException e) {
            return false;
        } finally {
            channel.shutdownNow();
        }
    }

    public ApiAddress address() {
        return address;
    }

    public long pid() {
        return process.pid();
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL, and waits for the exit. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** SIGTERM, and waits for the exit; returns the exit status. */
    public int terminate() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + EXIT_WAIT + " of SIGTERM\n" + tail());
        }
        return process.exitValue();
    }

    /** @return the end of its log, for failure messages */
    public String tail() {
        try {
            List<String> lines = Files.exists(err) ? Files.readAllLines(err, StandardCharsets.UTF_8) : List.of();
            return "---- " + name + " stderr tail:\n"
                    + String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** Surefire and Failsafe may run tests from a manifest-only jar; this property has the real path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
