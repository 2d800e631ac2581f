package dev.arenaflow.cli;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.cli.api.UnaryCall;
import picocli.CommandLine.Mixin;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
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

    @Mixin
    UnaryCall query;

    @Override
    public Integer call() throws InterruptedException {
        GetLatestRequest request = GetLatestRequest.newBuilder().setPlugin(query.plugin()).setSource(query.source())
                .build();
        return query.run(spec, stub -> stub.getLatest(request), snapshot -> {
            parent.stdout().println(snapshot.getJson());
            parent.stdout().flush();
        });
    }
}
