package dev.arenaflow.cli.it.support;

import dev.arenaflow.cli.ArenaflowCommand;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs an arenaflow command in its own JVM, as {@code bin/arenaflow} would, with the test's class
 * path and without any {@code ARENAFLOW_*} variable of the build's environment.
 */
public final class CliProcess {

    private static final Duration LIMIT = Duration.ofMinutes(2);

    /**
     * What a command printed.
     *
     * @param exitCode its exit status
     * @param lines its standard output, line by line
     * @param stderr its standard error
     */
    public record Result(int exitCode, List<String> lines, String stderr) {
    }

    private CliProcess() {
    }

    /**
     * @param work where to keep its output files
     * @param name names those files
     * @param args the command and its arguments
     * @return what it printed, once it ended
     * @throws AssertionError if it did not end within two minutes
     */
    public static Result run(Path work, String name, List<String> args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Xmx256m", "-cp", classPath(), ArenaflowCommand.class.getName()));
        command.addAll(args);
        Path out = work.resolve(name + ".out");
        Path err = work.resolve(name + ".err");
        ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
        builder.environment().keySet().removeIf(variable -> variable.startsWith("ARENAFLOW_"));
        Process process = builder.start();
        process.getOutputStream().close();
        if (!process.waitFor(LIMIT.toSeconds(), TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(args + " did not end within " + LIMIT + "; stderr: " + Files.readString(err));
        }
        return new Result(process.exitValue(), Files.readAllLines(out), Files.readString(err));
    }

    /** Surefire and Failsafe may run tests from a manifest-only jar; this property has the real path. */
    private static String classPath() {
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }
}
