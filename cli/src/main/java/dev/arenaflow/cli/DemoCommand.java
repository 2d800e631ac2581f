package dev.arenaflow.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.streams.StreamsConfig;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code arenaflow demo}: the whole pipeline on a real local broker and registry, in one command. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"Run the whole pipeline on a real local broker and registry, with sample data.",
            "",
            "Starts a single-node Kafka broker (KRaft) and a schema registry on free 127.0.0.1 ports, runs arenaflow "
                + "with the built-in plugins (enrich against a small lookup service it also starts), feeds it sample "
                + "records from several sources (with gaps, duplicates and a few malformed records) and prints every "
                + "snapshot (received through the gRPC API's Subscribe, as any client would) and dead letter as a "
                + "JSON line. Progress goes to standard error, with the API's address (try 'arenaflow watch' and "
                + "'arenaflow get' against it while it runs) and the status page's (and /metrics, /health/ready), "
                + "both on 127.0.0.1. Ctrl-C stops everything and removes the temporary files."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:every record processed (--records), or stopped by Ctrl-C",
            "1:the pipeline did not start, or stalled with outputs outstanding",
            "2:bad arguments",
            "4:not a source checkout: the local broker, registry and lookup service (cli/target/demo-lib) are not "
                + "on the class path, as in the production image"})
public final class DemoCommand implements Callable<Integer> {

    /** Exit status when the local stack is not on the class path, as in the production image. */
    static final int NO_LOCAL_STACK = 4;

    /** In a {@code --set} value, stands for the URL of the demo's lookup service. */
    static final String LOOKUP_PLACEHOLDER = "{lookup}";

    /** Named, not referenced: a reference would fail to load where the class is missing. */
    static final String LOCAL_STACK_CLASS = "dev.arenaflow.local.LocalStack";

    @Spec
    CommandSpec spec;

    @ParentCommand
    ArenaflowCommand parent;

    @Option(names = "--records", paramLabel = "N", description = "Stop after N records have been produced and processed; 0 runs until Ctrl-C (default: ${DEFAULT-VALUE}).")
    long records;

    @Option(names = "--rate", paramLabel = "R", description = "Records produced per second (default: ${DEFAULT-VALUE}).")
    double rate = 20;

    @Option(names = "--sources", paramLabel = "K", description = "Number of sources (default: ${DEFAULT-VALUE}).")
    int sources = 5;

    @Option(names = "--partitions", paramLabel = "P", description = "Partitions of the input topic (default: ${DEFAULT-VALUE}).")
    int partitions = 2;

    @Option(names = "--malformed-rate", paramLabel = "F", description = "Fraction of malformed records, 0..1 (default: ${DEFAULT-VALUE}).")
    double malformedRate = 0.03;

    @Option(names = "--guarantee", paramLabel = "G", description = "at_least_once or exactly_once_v2 (default: ${DEFAULT-VALUE}).")
    String guarantee = StreamsConfig.EXACTLY_ONCE_V2;

    @Option(names = "--plugins", paramLabel = "LIST", split = ",",
            description = "Plugins to run (default: ${DEFAULT-VALUE}); enrich looks each source up in a local HTTP service the demo starts.")
    List<String> plugins = List.of("session", "enrich");

    @Option(names = "--plugin-path", paramLabel = "DIRS", split = ",",
            description = "Directories of plugin jars (arenaflow.plugin.path), for plugins named in --plugins that are not built in.")
    List<Path> pluginPath = List.of();

    @Option(names = "--set", paramLabel = "KEY=VALUE",
            description = "A setting of the demo's arenaflow, over the demo's own, e.g. a plugin's: "
                    + "--set 'plugin.geo.url.template={lookup}/sources/{source}', where " + LOOKUP_PLACEHOLDER
                    + " stands for the URL of the demo's lookup service. Repeatable.")
    Map<String, String> settings = new LinkedHashMap<>();

    @Option(names = "--lookup-unavailable", paramLabel = "F",
            description = "Fraction of lookups the local service answers with 503, to show retries (default: ${DEFAULT-VALUE}).")
    double lookupUnavailable = 0.05;

    @Option(names = "--api-port", paramLabel = "PORT",
            description = "Port of the gRPC API on 127.0.0.1; 0 picks a free one (default: ${DEFAULT-VALUE}).")
    int apiPort;

    @Option(names = "--http-port", paramLabel = "PORT",
            description = "Port of the status page and metrics on 127.0.0.1; 0 picks a free one, -1 turns them off (default: ${DEFAULT-VALUE}).")
    int httpPort;

    @Option(names = "--quiet", description = "Print progress only, not the records.")
    boolean quiet;

    @Option(names = "--seed", description = "Seed of the sample data (default: ${DEFAULT-VALUE}).")
    long seed = 42;

    @Override
    public Integer call() throws Exception {
        if (apiPort < 0 || apiPort > 65_535) {
            throw new ParameterException(spec.commandLine(), "--api-port must be 0 (a free port) to 65535, not " + apiPort);
        }
        PrintWriter err = spec.commandLine().getErr();
        if (!localStackOn(DemoCommand.class.getClassLoader())) {
            err.println("arenaflow demo: the demo needs a source checkout (bin/arenaflow demo); its local broker, "
                    + "registry and lookup service are not part of this installation");
            err.flush();
            return NO_LOCAL_STACK;
        }
        return new DemoRun(this, parent.stdout()).run(err);
    }

    /**
     * @return whether the local stack ({@code arenaflow-local-stack}, in {@code cli/target/demo-lib}
     *     of a checkout and in no image) can be loaded
     */
    static boolean localStackOn(ClassLoader loader) {
        try {
            Class.forName(LOCAL_STACK_CLASS, false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
