package dev.arenaflow.cli;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.api.ApiClientOptions;
import dev.arenaflow.cli.api.UnaryCall;
import picocli.CommandLine.Mixin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arenaflow get}: the latest snapshot of one source, through the API layer. */
@Command(name = "get", mixinStandardHelpOptions = true,
        description = {"Print the latest snapshot a plugin emitted for a source, as one JSON line (the format "
                + "'consume' prints), asked of any instance's gRPC API: the instance forwards to the one that owns "
                + "the source."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed", "1:no answer: the gRPC status (NOT_FOUND, UNAVAILABLE, UNAUTHENTICATED for a missing or wrong "
                + "--token-file, ...) is on standard error",
            "2:invalid arguments",
            "3:the server's TLS certificate is not trusted by --tls-ca"})
public final class GetCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

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

    @Override
    public Integer call() throws InterruptedException {
        return UnaryCall.run(spec, security, api, timeoutMs,
                stub -> stub.getLatest(GetLatestRequest.newBuilder().setPlugin(plugin).setSource(source).build()),
                snapshot -> {
                    parent.stdout().println(snapshot.getJson());
                    parent.stdout().flush();
                });
    }
}
