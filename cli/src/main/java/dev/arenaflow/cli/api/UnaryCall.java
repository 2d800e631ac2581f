package dev.arenaflow.cli.api;

import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SnapshotServiceGrpc.SnapshotServiceBlockingStub;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.io.PrintWriter;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * One call of a unary method of the API, as {@code get} and {@code why} make it: over the connection
 * the options ask for, within a deadline; the answer goes to the printer, a status to standard error
 * as one line with the exit status {@link ApiFailure} gives it.
 */
public final class UnaryCall {

    private UnaryCall() {
    }

    /**
     * @param spec the command, for its name and standard error
     * @param security its connection options
     * @param api the instance to call
     * @param timeoutMs the call's deadline
     * @param call makes the call on a stub that carries the token
     * @param print prints the answer
     * @return the exit status: 0 if answered, else as {@link ApiFailure#describe}
     * @throws ParameterException if a file the options name cannot be used
     */
    public static <T> int run(CommandSpec spec, ApiClientOptions security, ApiAddress api, long timeoutMs,
                              Function<SnapshotServiceBlockingStub, T> call, Consumer<T> print)
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
