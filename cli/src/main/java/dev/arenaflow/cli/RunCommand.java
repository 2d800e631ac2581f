package dev.arenaflow.cli;

import dev.arenaflow.api.ApiServer;
import dev.arenaflow.cli.config.SettingsSource;
import dev.arenaflow.cli.io.KafkaSecurityFailure;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.DependencyUnavailableException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import org.apache.kafka.common.config.ConfigException;
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
                + "Unknown keys and bad values stop start-up with a message naming them.",
            "",
            "Serves the gRPC API (arenaflow.v1.SnapshotService, health, reflection) on arenaflow.grpc.port "
                + "(default 9090, -1 off): 'arenaflow get' and 'arenaflow watch' are its clients. Serves the "
                + "operations endpoint (/metrics, /health/live, /health/ready, /api/status, the status page) on "
                + "arenaflow.http.port (default 8080, -1 off)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:stopped cleanly",
            "1:stopped by a failure, or the gRPC API's or the operations endpoint's port cannot be bound",
            "2:invalid configuration",
            "3:the broker refused the login or its TLS certificate is not trusted: one line names the settings "
                + "to check (sasl.jaas.config, ssl.truststore.location)",
            "4:no broker reachable at bootstrap.servers within arenaflow.startup.wait.ms",
            "5:the schema registry at arenaflow.registry.url did not answer within arenaflow.startup.wait.ms"})
public final class RunCommand implements Callable<Integer> {

    static final int INVALID_CONFIG = 2;
    static final int BROKER_UNREACHABLE = 4;
    static final int REGISTRY_UNREACHABLE = 5;
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

    private int run(ArenaflowSettings settings) throws InterruptedException {
        Instance instance;
        try {
            instance = Instance.create(settings);
        } catch (Instance.StartFailure e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("arenaflow: " + e.getMessage());
            err.flush();
            return 1;
        }
        Thread hook = new Thread(instance::close, "arenaflow-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            instance.app().start();
        } catch (DependencyUnavailableException e) {
            PrintWriter err = spec.commandLine().getErr();
            err.println("arenaflow: " + e.getMessage());
            err.flush();
            Runtime.getRuntime().removeShutdownHook(hook);
            instance.close();
            return e.dependency() == DependencyUnavailableException.Dependency.BROKER
                    ? BROKER_UNREACHABLE : REGISTRY_UNREACHABLE;
        } catch (RuntimeException e) {
            // Topics are prepared with an admin client first: a wrong password or certificate shows here.
            Optional<String> refused = KafkaSecurityFailure.describe(e);
            if (refused.isEmpty()) {
                throw e;
            }
            Runtime.getRuntime().removeShutdownHook(hook);
            instance.close();
            PrintWriter err = spec.commandLine().getErr();
            err.println("arenaflow: " + refused.get());
            err.flush();
            return KafkaSecurityFailure.EXIT_STATUS;
        }
        boolean failed = instance.app().awaitTermination();
        instance.api().ifPresent(ApiServer::close);
        LOG.info("arenaflow stopped{}", failed ? " after a failure" : "");
        return failed ? 1 : 0;
    }
}
