package dev.arenaflow.cli;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.cli.api.UnaryCall;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arenaflow why}: why a source of a plugin is not done, through the API layer. */
@Command(name = "why", mixinStandardHelpOptions = true,
        description = {"Print why a source of a plugin is not done: each of its un-acknowledged messages, one line "
                + "each, with its input position, attempt, stage (in flight since, waiting for retry until, parked "
                + "behind the source's head, held by pause, ...), last error, and whether the source is quarantined. "
                + "Asked of any instance's gRPC API: it asks every instance and merges their answers.",
            "",
            "Standard error names the instances that answered, and any that did not."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:printed, or nothing is pending for the source", "1:no answer: the gRPC status (UNAVAILABLE "
                + "while an instance cannot answer, UNAUTHENTICATED for a missing or wrong --token-file, ...) is on "
                + "standard error",
            "2:invalid arguments",
            "3:the server's TLS certificate is not trusted by --tls-ca"})
public final class WhyCommand implements Callable<Integer> {

    private static final JsonFormat.Printer JSON = JsonFormat.printer().alwaysPrintFieldsWithNoPresence()
            .omittingInsignificantWhitespace();

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

    @Option(names = "--json", description = "Print the reply as one JSON object (protobuf's JSON mapping) instead.")
    boolean json;

    @Mixin
    UnaryCall query;

    @Override
    public Integer call() throws InterruptedException {
        WhyRequest request = WhyRequest.newBuilder().setPlugin(query.plugin()).setSource(query.source()).build();
        return query.run(spec, stub -> stub.why(request), this::print);
    }

    private void print(WhyReply reply) {
        PrintStream out = parent.stdout();
        if (json) {
            out.println(json(reply));
        } else {
            WhyLines.of(reply).forEach(out::println);
        }
        out.flush();
        PrintWriter err = spec.commandLine().getErr();
        if (reply.getAnsweredByCount() > 0) {
            err.println("answered by " + String.join(", ", reply.getAnsweredByList()));
        }
        reply.getUnansweredList().forEach(u -> err.println("not answered (the list may be incomplete): " + u));
        err.flush();
    }

    private static String json(WhyReply reply) {
        try {
            return JSON.print(reply);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException("a WhyReply has no Any field to resolve", e);
        }
    }
}
