package dev.arenaflow.bench.async;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A main class in a child JVM, its output and logs in {@code <dir>/<name>.out} and {@code .err}.
 * The child reports on standard output in lines {@code <WORD> <number>}, e.g. {@code RUNNING
 * <epoch ms>}, that the parent waits for. A child is what can be killed with SIGKILL, and what
 * can run on another class path.
 */
public final class ChildRun implements AutoCloseable {

    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;

    private ChildRun(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param name names the run in messages and its log files
     * @param dir folder of the log files; created if missing
     * @param classPath the child's class path
     * @param main the child's main class
     * @param args its arguments
     */
    public static ChildRun start(String name, Path dir, String classPath, Class<?> main, List<String> args)
            throws IOException {
        return start(name, dir, classPath, main.getName(), args);
    }

    /**
     * As {@link #start(String, Path, String, Class, List)}, for a main class this module does not
     * compile against.
     */
    public static ChildRun start(String name, Path dir, String classPath, String main, List<String> args)
            throws IOException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g"));
        // e.g. -Dbench.child.java.opts=-XX:StartFlightRecording=filename=/tmp/child.jfr to profile a child
        String opts = System.getProperty("bench.child.java.opts", "").trim();
        if (!opts.isEmpty()) {
            command.addAll(List.of(opts.split("\\s+")));
        }
        command.addAll(List.of("-cp", classPath, main));
        command.addAll(args);
        Files.createDirectories(dir);
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = new ProcessBuilder(command).redirectOutput(Redirect.to(out.toFile()))
                .redirectError(Redirect.to(err.toFile())).start();
        process.getOutputStream().close();
        return new ChildRun(name, process, out, err);
    }

    /** @return the value of the last {@code <word> <value>} line the child printed, if any */
    public Optional<Long> last(String word) {
        List<String> lines = lines(out);
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith(word + " ")) {
                return Optional.of(Long.parseLong(lines.get(i).substring(word.length() + 1).trim()));
            }
        }
        return Optional.empty();
    }

    /** Blocks until the last {@code <word> <value>} line has at least this value. */
    public long await(String word, long atLeast, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<Long> value = last(word);
            if (value.isPresent() && value.get() >= atLeast) {
                return value.get();
            }
            assertAlive();
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(name + ": no " + word + " >= " + atLeast + " within " + timeout
                        + " (last " + value.orElse(null) + ")\n" + tail());
            }
            Thread.sleep(50);
        }
    }

    /**
     * @return the arena entries the child's open tasks restored, from the last {@code RESTORED <entries>}
     *     line of a child that prints them (the {@code restored.entries} gauge); 0 if it printed none
     */
    public long restoredEntries() {
        return last("RESTORED").orElse(0L);
    }

    /** @throws IllegalStateException with the tail of its log if the child has exited */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(name + " exited with " + process.exitValue() + "\n" + tail());
        }
    }

    /** @return the child's process id, e.g. to read its CPU time */
    public long pid() {
        return process.pid();
    }

    /** SIGKILL on Linux: no shutdown hook, no commit, no leaving the group. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** SIGTERM, so the child closes Kafka Streams cleanly; SIGKILL if it has not exited within a minute. */
    @Override
    public void close() {
        try {
            if (process.isAlive()) {
                process.destroy();
                if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
                    kill();
                }
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    /** @return the last lines of the child's log, for messages */
    public String tail() {
        List<String> lines = lines(err);
        return "---- " + name + " stderr tail:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 30),
                lines.size()));
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
