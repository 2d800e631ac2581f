package dev.arenaflow.cli.api;

import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SnapshotServiceGrpc.SnapshotServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The options of a command that asks one instance's API about one source of a plugin ({@code get},
 * {@code why}), as a picocli mixin, and the call it makes: over the connection the options ask for,
 * within a deadline; the answer goes to the printer, a status to standard error as one line with
 * the exit status {@link ApiFailure} gives it.
 */
public final class UnaryCall {

    @Option(names = "--api", paramLabel = "HOST:PORT", converter = ApiAddress.Converter.class,
            description = "An instance's gRPC API (default: ${DEFAULT-VALUE}).", defaultValue = "localhost:9090")
    ApiAddress api;

    @Option(names = "--plugin", required = true, paramLabel = "P", description = "The plugin.")
    String plugin;

    @Option(names = "--source", required = true, paramLabel = "S", description = "The source.")
    String source;

    @Option(names = "--timeout-ms", paramLabel = "MS", description = "Deadline of the call (default: ${DEFAULT-VALUE}).")
    long timeoutMs = 10_000;

    @Mixin
    ApiClientOptions security;

    /** @return the plugin asked about */
    public String plugin() {
        return plugin;
    }

    /** @return the source asked about */
    public String source() {
        return source;
    }

    /**
     * @param spec the command, for its name and standard error
     * @param call makes the call on a stub that carries the token and the deadline
     * @param print prints the answer
     * @return the exit status: 0 if answered, else as {@link ApiFailure#describe}
     * @throws ParameterException if a file the options name cannot be used
     */
    public <T> int run(CommandSpec spec, Function<SnapshotServiceBlockingStub, T> call, Consumer<T> print)
            throws InterruptedException {
        ApiConnection connection;
        try {
            connection = security.connection();
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        ManagedChannel channel = connection.open(api);
        try {
            T answer = call.apply(connection.authorize(SnapshotServiceGrpc.newBlockingStub(channel))
                    .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS));
            print.accept(answer);
            return 0;
        } catch (StatusRuntimeException e) {
            ApiFailure.Verdict verdict = ApiFailure.describe(e.getStatus(), api);
            PrintWriter err = spec.commandLine().getErr();
            err.println("arenaflow " + spec.name() + ": " + verdict.line());
            err.flush();
            return verdict.exitStatus();
        } finally {
            channel.shutdownNow();
            channel.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
