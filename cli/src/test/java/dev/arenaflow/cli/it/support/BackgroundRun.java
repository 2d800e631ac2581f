package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.ArenaflowCommand;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code arenaflow run -c FILE} in its own JVM, as {@code bin/arenaflow run} starts it, with its
 * standard output and error in files; the ports it bound (settings of 0) are read from its log.
 *
 * <p>Threading notes: one test thread drives it.
 */
public final class BackgroundRun implements AutoCloseable {

    private static final Pattern GRPC = Pattern.compile("gRPC API listening on [^:]+:(\\d+)");
    private static final Pattern HTTP = Pattern.compile("Operations endpoint on [^:]+:(\\d+)");
    private static final Duration POLL = Duration.ofMillis(100);

    private final Process process;
    private final Path out;
    private final Path err;

    private BackgroundRun(Process process, Path out, Path err) {
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param work where its output files go
     * @param name names those files
     * @param config the settings file
     * @return the started process
     */
    public static BackgroundRun start(Path work, String name, Path config) throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx512m", "-XX:+UseSerialGC", "-cp", System.getProperty("surefire.test.class.path",
                System.getProperty("java.class.path")), ArenaflowCommand.class.getName(), "run", "-c",
                config.toString()));
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ARENAFLOW_"));
        Process process = builder.start();
        process.getOutputStream().close();
        return new BackgroundRun(process, out, err);
    }

    /** @return the gRPC API's port, once logged */
    public int awaitGrpcPort(Duration timeout) throws InterruptedException {
        return awaitLogged(GRPC, timeout);
    }

    /** @return the operations endpoint's port, once logged */
    public int awaitHttpPort(Duration timeout) throws InterruptedException {
        return awaitLogged(HTTP, timeout);
    }

    /** @return everything it wrote to standard error so far (its log) */
    public String stderr() {
        return read(err);
    }

    /** @return everything it wrote to standard output so far */
    public String stdout() {
        return read(out);
    }

    /** @return the exit status once it ended within the timeout */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("run did not end within " + timeout + "; log:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Sends SIGTERM and waits for the exit status. */
    public int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        return awaitExit(timeout);
    }

    private int awaitLogged(Pattern pattern, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Matcher m = pattern.matcher(stderr());
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            if (!process.isAlive()) {
                throw new AssertionError("run exited with " + process.exitValue() + " before logging " + pattern
                        + "; log:\n" + stderr());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("run did not log " + pattern + " within " + timeout + "; log:\n" + stderr());
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    private static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
