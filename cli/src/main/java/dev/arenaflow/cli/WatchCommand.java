package dev.arenaflow.cli;

import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.api.ApiClientOptions;
import dev.arenaflow.cli.api.ApiConnection;
import dev.arenaflow.cli.api.ApiFailure;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.ParameterException;
import dev.arenaflow.cli.api.SnapshotWatch;
import dev.arenaflow.cli.io.ShutdownSignal;
import io.grpc.Status;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arenaflow watch}: a plugin's snapshots as they are committed, through the API layer. */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = {"Stream a plugin's committed snapshots from an instance's gRPC API as JSON lines (the format "
                + "'consume' prints), in topic order per source.",
            "",
            "When it stops (Ctrl-C, --limit, or a stream that ends) it prints the token to resume from on standard "
                + "error; --from TOKEN resumes right after it, on any instance, with no snapshot missed or repeated. "
                + "With --reconnect it resumes by itself when a server goes away or it fell behind, trying each "
                + "--api address in turn."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped by --limit, or the stream ended", "1:the stream failed: the gRPC status is on standard error "
                + "(UNAUTHENTICATED: a missing or wrong --token-file)",
            "2:invalid arguments", "3:the server's TLS certificate is not trusted by --tls-ca",
            "130:stopped by Ctrl-C"})
public final class WatchCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

    @Option(names = "--api", paramLabel = "HOST:PORT", split = ",", converter = ApiAddress.Converter.class,
            description = "Instances' gRPC APIs, comma-separated; the first is used first (default: ${DEFAULT-VALUE}).",
            defaultValue = "localhost:9090")
    List<ApiAddress> api;

    @Option(names = "--plugin", required = true, paramLabel = "P", description = "The plugin.")
    String plugin;

    @Option(names = "--source", paramLabel = "S", description = "Only this source; repeat for more (default: all).")
    List<String> sources = List.of();

    @Option(names = "--from", paramLabel = "latest|earliest|TOKEN",
            description = "Where to start: new snapshots only, all the topic still holds, or after a token (default: ${DEFAULT-VALUE}).")
    String from = "latest";

    @Option(names = "--reconnect", description = "Resume by itself when a stream ends with UNAVAILABLE or RESOURCE_EXHAUSTED.")
    boolean reconnect;

    @Mixin
    ApiClientOptions security;

    @Option(names = "--limit", paramLabel = "N", description = "Stop after N snapshots (default: no limit).")
    long limit;

    @Override
    public Integer call() throws InterruptedException {
        PrintWriter err = spec.commandLine().getErr();
        PrintStream out = parent.stdout();
        ApiConnection connection;
        try {
            connection = security.connection();
        } catch (RuntimeException e) {
            throw new ParameterException(spec.commandLine(), e.getMessage());
        }
        SnapshotWatch watch = new SnapshotWatch(api, connection, plugin, sources, from, reconnect,
                line -> say(err, line));
        AtomicLong seen = new AtomicLong();
        SnapshotWatch.End end;
        try (ShutdownSignal signal = ShutdownSignal.install(Duration.ofSeconds(10))) {
            signal.onRequest(watch::stop);
            end = watch.run(event -> {
                if (event.hasSnapshot()) {
                    out.println(event.getSnapshot().getJson());
                    out.flush();
                    if (limit > 0 && seen.incrementAndGet() >= limit) {
                        watch.stop();
                    }
                }
            });
            if (end.status().getCode() != Status.Code.INVALID_ARGUMENT && !ApiFailure.isSecurityFailure(end.status())) {
                say(err, watch.token() == null ? "arenaflow watch: no event received, so no token to resume from"
                        : "arenaflow watch: resume with --from " + watch.token());
            }
            if (end.status().getCode() == Status.Code.CANCELLED) {
                return signal.requested() ? 130 : 0;
            }
        }
        if (end.status().isOk()) {
            return 0;
        }
        ApiFailure.Verdict verdict = ApiFailure.describe(end.status(), end.address());
        say(err, "arenaflow watch: " + verdict.line());
        return verdict.exitStatus();
    }

    private static void say(PrintWriter err, String line) {
        err.println(line);
        err.flush();
    }
}
