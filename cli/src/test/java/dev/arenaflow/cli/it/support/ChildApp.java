package dev.arenaflow.cli.it.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * One run of {@link CrashApp} in a child JVM, on this JVM's java binary and test class path, with
 * its standard output and error in {@code <dir>/<name>.out} and {@code <dir>/<name>.err}.
 *
 * <p>Threading notes: one test thread drives it; {@link #close} may also run from a cleanup path.
 */
public final class ChildApp implements AutoCloseable {

    private static final String RESTORED_SERIES = "arenaflow_plugin_restored_entries";
    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);
    private static final Duration POLL = Duration.ofMillis(100);

    private final String name;
    private final Process process;
    private final Path out;
    private final Path err;
    /** The most restored arena entries read per task, kept so they can be told after the child is gone. */
    private final Map<String, Integer> restoredSeen = new TreeMap<>();

    private ChildApp(String name, Process process, Path out, Path err) {
        this.name = name;
        this.process = process;
        this.out = out;
        this.err = err;
    }

    /**
     * @param name names the run in messages and its log files, e.g. {@code crash-3}
     * @param dir folder of the log files; created if missing
     * @param settings the instance's settings, each passed as one {@code key=value} argument
     * @return the started run; it is not running yet, see {@link #awaitRunning}
     */
    public static ChildApp start(String name, Path dir, Map<String, String> settings) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx512m", "-XX:+UseSerialGC",
                "-cp", classPath(), CrashApp.class.getName()));
        settings.forEach((k, v) -> command.add(k + "=" + v));
        try {
            Files.createDirectories(dir);
            Path out = dir.resolve(name + ".out");
            Path err = dir.resolve(name + ".err");
            Process process = new ProcessBuilder(command).redirectOutput(Redirect.to(out.toFile()))
                    .redirectError(Redirect.to(err.toFile())).start();
            process.getOutputStream().close();
            return new ChildApp(name, process, out, err);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    /** Blocks until the child has printed {@code RUNNING}; fails if it exits or the time runs out. */
    public ChildApp awaitRunning(Duration timeout) throws InterruptedException {
        awaitOutput(lines -> lines.contains("RUNNING"), timeout, "RUNNING");
        return this;
    }

    /** Blocks until the child's latest active tasks satisfy the condition. */
    public Set<String> awaitTasks(Predicate<Set<String>> condition, Duration timeout, String what)
            throws InterruptedException {
        awaitOutput(lines -> condition.test(tasksIn(lines)), timeout, what);
        return tasks();
    }

    /** Blocks until the child has printed {@code line} {@code times} times; fails if it exits or the time runs out. */
    public void awaitLine(String line, int times, Duration timeout) throws InterruptedException {
        awaitOutput(lines -> lines.stream().filter(line::equals).count() >= times, timeout,
                "'" + line + "' printed " + times + " time(s)");
    }

    /** Fails with the tail of the child's logs if it is no longer running. */
    public void assertAlive() {
        if (!process.isAlive()) {
            throw new AssertionError(name + " is no longer running\n" + tail(60));
        }
    }

    /** @return the active tasks the child reported last, e.g. {@code [0_0, 0_2]} */
    public Set<String> tasks() {
        return tasksIn(outputLines());
    }

    /** Reads the restored entries, then sends SIGKILL and waits for the exit. */
    public void kill() throws InterruptedException {
        readRestored();
        process.destroyForcibly();
        waitForExit();
    }

    /** Reads the restored entries, then sends SIGTERM, so the child closes Kafka Streams cleanly, and waits for the exit. */
    public void terminate() throws InterruptedException {
        readRestored();
        process.destroy();
        waitForExit();
        if (!outputLines().contains("CLOSED")) {
            throw new AssertionError(name + " exited on SIGTERM without closing cleanly\n" + tail(20));
        }
    }

    /**
     * @return for each task the child opened, the most restored arena entries its
     *     {@code arenaflow_plugin_restored_entries} showed (summed over its plugins) when it was read:
     *     by {@link #awaitRestored}, and just before {@link #kill} or {@link #terminate}
     */
    public Map<String, Integer> restoredEntriesByTask() {
        return new TreeMap<>(restoredSeen);
    }

    /** @return every restored arena entry in {@link #restoredEntriesByTask}, summed over its tasks */
    public int restoredEntries() {
        return restoredSeen.values().stream().mapToInt(Integer::intValue).sum();
    }

    /**
     * Blocks until the child has opened its plugins in each of the tasks, so their restored entries are known.
     *
     * @return the restored arena entries of those tasks
     */
    public Map<String, Integer> awaitRestored(Set<String> tasks, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<String, Integer> now = readRestored();
        while (!now.keySet().containsAll(tasks)) {
            assertAlive();
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not open its plugins in tasks " + tasks + " within " + timeout
                        + " (" + RESTORED_SERIES + " has tasks " + now.keySet() + ")\n" + tail(40));
            }
            Thread.sleep(POLL.toMillis());
            now = readRestored();
        }
        Map<String, Integer> restored = new TreeMap<>(now);
        restored.keySet().retainAll(tasks);
        return restored;
    }

    /**
     * @return the arena entries per task the child reported last while it had open tasks (the last
     *     non-empty {@code ARENA} line); after a clean close, about what its final commit made durable
     */
    public Map<String, Integer> arenaEntries() {
        List<String> lines = outputLines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            String text = lines.get(i).startsWith("ARENA") ? lines.get(i).substring("ARENA".length()).trim() : "";
            if (!text.isEmpty()) {
                Map<String, Integer> entries = new TreeMap<>();
                for (String pair : text.split(",")) {
                    int eq = pair.indexOf('=');
                    entries.put(pair.substring(0, eq), Integer.parseInt(pair.substring(eq + 1)));
                }
                return entries;
            }
        }
        return Map.of();
    }

    /** @return a series of the child's {@code /metrics}, summed over its labels; 0 if it has none */
    public double metric(String series) throws InterruptedException {
        return PrometheusScrape.of(metricsUri()).sumBy(series, "task").values().stream()
                .mapToDouble(Double::doubleValue).sum();
    }

    /** @return the last lines of the child's output and logs, for failure messages */
    public String tail(int lines) {
        return "---- " + name + " (pid " + process.pid() + ", " + (process.isAlive() ? "alive" : "exit "
                + process.exitValue()) + ") stdout tail:\n" + String.join("\n", last(withoutOldArenaLines(lines(out)), lines))
                + "\n---- " + name + " stderr tail:\n" + String.join("\n", last(lines(err), lines)) + "\n";
    }

    /** @return how many lines of the child's log (standard error) contain {@code text} */
    public long logLinesContaining(String text) {
        return lines(err).stream().filter(l -> l.contains(text)).count();
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
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

    private void awaitOutput(Predicate<List<String>> condition, Duration timeout, String what)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.test(outputLines())) {
            if (!process.isAlive()) {
                throw new AssertionError(name + " exited while waiting for " + what + "\n" + tail(40));
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError(name + " did not reach " + what + " within " + timeout + "\n" + tail(40));
            }
            Thread.sleep(POLL.toMillis());
        }
    }

    /** @return the restored entries the child shows now, per task; also merged into what it showed before */
    private Map<String, Integer> readRestored() throws InterruptedException {
        Map<String, Integer> now = new TreeMap<>();
        PrometheusScrape.of(metricsUri()).sumBy(RESTORED_SERIES, "task")
                .forEach((task, entries) -> now.put(task, entries.intValue()));
        now.forEach((task, entries) -> restoredSeen.merge(task, entries, Math::max));
        return now;
    }

    /** @return the {@code /metrics} address of the operations endpoint the child printed */
    private URI metricsUri() {
        return outputLines().stream().filter(l -> l.startsWith("HTTP ")).findFirst()
                .map(l -> URI.create(l.substring("HTTP ".length()).trim()).resolve("/metrics"))
                .orElseThrow(() -> new AssertionError(name + " has not printed its operations endpoint (HTTP <url>)\n"
                        + tail(40)));
    }

    private void waitForExit() throws InterruptedException {
        if (!process.waitFor(EXIT_WAIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(name + " did not exit within " + EXIT_WAIT + "\n" + tail(40));
        }
    }

    private List<String> outputLines() {
        return lines(out);
    }

    private static Set<String> tasksIn(List<String> lines) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).startsWith("TASKS")) {
                String ids = lines.get(i).substring("TASKS".length()).trim();
                return ids.isEmpty() ? Set.of() : new TreeSet<>(Arrays.asList(ids.split(",")));
            }
        }
        return Set.of();
    }

    private static List<String> lines(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file, StandardCharsets.UTF_8) : List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The many {@code ARENA} lines would crowd the rest out of a tail; the last one stays. */
    private static List<String> withoutOldArenaLines(List<String> lines) {
        int lastArena = -1;
        for (int i = lines.size() - 1; i >= 0 && lastArena < 0; i--) {
            if (lines.get(i).startsWith("ARENA")) {
                lastArena = i;
            }
        }
        List<String> kept = new ArrayList<>(lines.size());
        for (int i = 0; i < lines.size(); i++) {
            if (i == lastArena || !lines.get(i).startsWith("ARENA")) {
                kept.add(lines.get(i));
            }
        }
        return kept;
    }

    private static List<String> last(List<String> lines, int n) {
        return lines.subList(Math.max(0, lines.size() - n), lines.size());
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Surefire and Failsafe may run tests from a manifest-only jar; this property has the real path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
