package dev.arenaflow.cli;

import dev.arenaflow.cli.config.SettingsSource;
import dev.arenaflow.ops.OperationsEndpoint;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.SnapshotSerdes;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code arenaflow run}: the production entry point. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = {"Run arenaflow against a Kafka cluster and a schema registry until stopped (SIGTERM or Ctrl-C).",
            "",
            "Settings come from the --config file, then from environment variables ARENAFLOW_<KEY>: upper-case the "
                + "key and write '.' as '_', '_' as '__' and '-' as '___' (ARENAFLOW_BOOTSTRAP_SERVERS sets "
                + "bootstrap.servers). Required: application.id, bootstrap.servers, arenaflow.registry.url. "
                + "Unknown keys and bad values stop start-up with a message naming them."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly", "1:stopped by a failure", "2:invalid configuration"})
public final class RunCommand implements Callable<Integer> {

    static final int INVALID_CONFIG = 2;
    private static final Logger LOG = LoggerFactory.getLogger(RunCommand.class);

    @Spec
    CommandSpec spec;

    @Option(names = {"-c", "--config"}, paramLabel = "FILE", description = "Properties file of Kafka Streams and arenaflow settings.")
    Path config;

    private final Map<String, String> environment;

    public RunCommand() {
        this(System.getenv());
    }

    RunCommand(Map<String, String> environment) {
        this.environment = environment;
    }

    @Override
    public Integer call() throws InterruptedException {
        ArenaflowSettings settings;
        try {
            settings = settings();
        } catch (ConfigException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("arenaflow: invalid configuration: " + e.getMessage());
            err.flush();
            return INVALID_CONFIG;
        }
        return run(settings);
    }

    ArenaflowSettings settings() {
        return SettingsSource.validated(config, environment, getClass().getClassLoader());
    }

    private static int run(ArenaflowSettings settings) throws InterruptedException {
        var meters = OperationsEndpoint.newRegistry(settings.properties().getProperty(StreamsConfig.APPLICATION_ID_CONFIG));
        ArenaflowApplication app = ArenaflowApplication.create(settings, SnapshotSerdes.serializer(settings.properties()),
                meters);
        // Before Kafka Streams starts, so that liveness is answered while the topics are prepared.
        OperationsEndpoint ops = OperationsEndpoint.start(app, meters);
        Thread hook = new Thread(() -> {
            app.close();
            ops.close();
        }, "arenaflow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        app.start();
        boolean failed = app.awaitTermination();
        LOG.info("arenaflow stopped{}", failed ? " after a failure" : "");
        return failed ? 1 : 0;
    }
}
