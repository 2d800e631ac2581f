package dev.arenaflow.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine;

/** Runs {@code arenaflow} in-process with given standard input and captures what it prints. */
record CommandRun(int exitCode, String stdout, String stderr) {

    static CommandRun run(String stdin, String... args) {
        return run(stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static CommandRun run(byte[] stdin, String... args) {
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        return run(stdin, stdout, args).withStdout(stdout.toString(StandardCharsets.UTF_8));
    }

    static CommandRun run(byte[] stdin, OutputStream stdout, String... args) {
        StringWriter stderr = new StringWriter();
        CommandLine commandLine = new CommandLine(
                new ArenaflowCommand(new ByteArrayInputStream(stdin), new PrintStream(stdout, true, StandardCharsets.UTF_8)));
        commandLine.setErr(new PrintWriter(stderr, true));
        StringWriter help = new StringWriter();
        commandLine.setOut(new PrintWriter(help, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, help.toString(), stderr.toString());
    }

    List<String> lines() {
        return stdout.lines().toList();
    }

    private CommandRun withStdout(String captured) {
        return new CommandRun(exitCode, stdout + captured, stderr);
    }
}
