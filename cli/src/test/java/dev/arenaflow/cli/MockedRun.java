package dev.arenaflow.cli;

import dev.arenaflow.cli.io.ShutdownSignal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import picocli.CommandLine;

/**
 * Runs {@code arenaflow produce}, {@code consume} or {@code replay} in-process over mock Kafka
 * clients, whether or not {@link ArenaflowCommand} registers them yet. {@code replay} sees no
 * environment variables and a clock stopped at {@link #NOW}; {@code produce} paces {@code --rate}
 * by a {@link VirtualTime}, so it never waits.
 */
final class MockedRun {

    static final Instant NOW = Instant.parse("2026-11-26T12:00:00Z");

    private MockedRun() {
    }

    static CommandRun run(MockKafkaClients clients, ShutdownSignal signal, String stdin, String... args) {
        return run(clients, signal, new VirtualTime(), stdin, args);
    }

    /** @param time the clock {@code produce --rate} paces itself by */
    static CommandRun run(MockKafkaClients clients, ShutdownSignal signal, VirtualTime time, String stdin,
                          String... args) {
        CommandLine.IFactory factory = new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == ProduceCommand.class) {
                    return type.cast(new ProduceCommand(clients, () -> signal, () -> false, time, time));
                }
                if (type == ConsumeCommand.class) {
                    return type.cast(new ConsumeCommand(clients, () -> signal));
                }
                if (type == ReplayCommand.class) {
                    return type.cast(new ReplayCommand(clients, () -> signal, Map.of(),
                            Clock.fixed(NOW, ZoneOffset.UTC), () -> false));
                }
                return CommandLine.defaultFactory().create(type);
            }
        };
        ByteArrayOutputStream stdout = new ByteArrayOutputStream();
        CommandLine commandLine = new CommandLine(new ArenaflowCommand(
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(stdout, true, StandardCharsets.UTF_8)), factory);
        addIfMissing(commandLine, factory, ProduceCommand.class, "produce");
        addIfMissing(commandLine, factory, ConsumeCommand.class, "consume");
        addIfMissing(commandLine, factory, ReplayCommand.class, "replay");
        StringWriter stderr = new StringWriter();
        StringWriter help = new StringWriter();
        commandLine.setErr(new PrintWriter(stderr, true));
        commandLine.setOut(new PrintWriter(help, true));
        int exitCode = commandLine.execute(args);
        return new CommandRun(exitCode, help + stdout.toString(StandardCharsets.UTF_8), stderr.toString());
    }

    static CommandRun run(MockKafkaClients clients, String stdin, String... args) {
        return run(clients, ShutdownSignal.manual(), stdin, args);
    }

    private static void addIfMissing(CommandLine commandLine, CommandLine.IFactory factory, Class<?> type, String name) {
        if (!commandLine.getSubcommands().containsKey(name)) {
            try {
                commandLine.addSubcommand(factory.create(type));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
