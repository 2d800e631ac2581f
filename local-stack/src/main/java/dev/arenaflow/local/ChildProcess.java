package dev.arenaflow.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A server JVM started as a child process, with its standard output and error going to one log
 * file. It is not tied to this JVM's lifetime: if this JVM dies without calling {@link #stop}, the
 * child keeps running, so owners stop it in {@code close()} and callers add a shutdown hook.
 *
 * <p>Threading notes: {@link #stop} may be called from any thread, any number of times, including
 * from a shutdown hook while another thread is starting or stopping the same child.
 */
final class ChildProcess {

    /** What a failure message quotes of the log, enough to show a stack trace's cause. */
    static final int LOG_TAIL_LINES = 30;
    private static final Duration KILL_WAIT = Duration.ofSeconds(5);

    private final String name;
    private final Process process;
    private final Path log;

    private ChildProcess(String name, Process process, Path log) {
        this.name = name;
        this.process = process;
        this.log = log;
    }

    /**
     * Starts {@code java} with the given arguments, from the JDK this JVM runs on.
     *
     * @param name what messages call the process, e.g. "Kafka broker"
     * @param jvmArgs the arguments after the java binary
     * @param workDir the child's working directory; must exist
     * @param log file that receives stdout and stderr; truncated first
     */
    static ChildProcess startJava(String name, List<String> jvmArgs, Path workDir, Path log) {
        List<String> command = new ArrayList<>();
        command.add(javaBinary().toString());
        command.addAll(jvmArgs);
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(Redirect.to(log.toFile()));
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("Could not start the " + name + ": " + command, e);
        }
        closeStdin(process);
        return new ChildProcess(name, process, log);
    }

    /** Servers never read stdin; an open pipe would only hold a descriptor in this JVM. */
    private static void closeStdin(Process process) {
        try {
            process.getOutputStream().close();
        } catch (IOException ignored) {
            // Harmless: the pipe stays open until the child exits.
        }
    }

    /** The java binary of this JVM, so children run on the same, known-good JDK. */
    static Path javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    long pid() {
        return process.pid();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    Path log() {
        return log;
    }

    /**
     * Waits for the child to exit by itself, for short-lived tools.
     *
     * @return the exit code
     * @throws ChildProcessException if it is still running after {@code timeout}; it is then killed
     * @throws InterruptedException if the caller is interrupted; the child is then killed
     */
    int awaitExit(Duration timeout) throws InterruptedException {
        boolean exited;
        try {
            exited = process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            kill();
            throw e;
        }
        if (!exited) {
            kill();
            throw failure("did not finish within " + timeout.toSeconds() + " s");
        }
        return process.exitValue();
    }

    /**
     * Asks the child to stop (SIGTERM, which runs its shutdown hooks) and kills it if it is still
     * running after {@code grace}, or at once if the caller is interrupted meanwhile. Returns once
     * it has exited, or after a further 5 s if even the kill does not take; the caller's interrupt
     * status is kept.
     */
    void stop(Duration grace) {
        // Cleared so that the waits below work; a pending interrupt only skips the grace.
        boolean interrupted = Thread.interrupted();
        process.destroy();
        try {
            if (interrupted || !process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            interrupted = true;
            kill();
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** SIGKILL, then waits up to {@link #KILL_WAIT} for the exit, even if interrupted meanwhile. */
    void kill() {
        process.destroyForcibly();
        long deadline = System.nanoTime() + KILL_WAIT.toNanos();
        boolean interrupted = false;
        while (process.isAlive() && System.nanoTime() - deadline < 0) {
            try {
                process.waitFor(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** An exception about this child whose message ends with the tail of its log. */
    ChildProcessException failure(String what) {
        String tail = logTail(LOG_TAIL_LINES);
        return new ChildProcessException("The " + name + " " + what + ". Last lines of " + log + ":\n" + tail,
                tail);
    }

    /** The last {@code lines} lines of the log, or a note saying why they could not be read. */
    String logTail(int lines) {
        try {
            // Decoded leniently: a stray non-UTF-8 byte must not hide the cause of a failure.
            List<String> all = new String(Files.readAllBytes(log), StandardCharsets.UTF_8).lines().toList();
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(could not read " + log + ": " + e + ")";
        }
    }
}
