package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import com.sun.net.httpserver.HttpServer;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code run} refuses every kind of configuration mistake before it connects to anything. */
class RunCommandTest {

    private static final String VALID = """
            application.id=arenaflow-test
            bootstrap.servers=127.0.0.1:1
            arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2
            """;

    @TempDir
    Path dir;

    @Test
    void shouldAcceptValidConfiguration() throws IOException {
        RunCommand command = new RunCommand(Map.of());
        command.config = write(VALID + "processing.guarantee=exactly_once_v2\n");

        var settings = command.settings();

        assertThat(settings.plugins()).extracting(p -> p.name()).containsExactly("session");
        assertThat(settings.properties().getProperty("processing.guarantee")).isEqualTo("exactly_once_v2");
    }

    @Test
    void shouldRefuseMissingConfigFile() {
        assertThat(run(Map.of(), "--config", dir.resolve("nope.properties").toString()))
                .contains("nope.properties does not exist");
    }

    @Test
    void shouldRefuseUnknownKeyNamingIt() throws IOException {
        assertThat(runWith(VALID + "arenaflow.plugin=session\n")).contains("Unknown setting arenaflow.plugin=session");
        assertThat(runWith(VALID + "bootstrap.server=x:1\n")).contains("Unknown setting bootstrap.server=x:1");
        assertThat(runWith(VALID + "producer.lingr.ms=5\n")).contains("Unknown setting producer.lingr.ms=5");
    }

    @Test
    void shouldRefuseBadValueNamingKeyAndValue() throws IOException {
        assertThat(runWith(VALID + "arenaflow.max.payload.bytes=lots\n"))
                .contains("lots").contains("arenaflow.max.payload.bytes");
        assertThat(runWith(VALID + "processing.guarantee=sometimes\n"))
                .contains("sometimes").contains("processing.guarantee");
        assertThat(runWith(VALID + "arenaflow.registry.timeout.ms=0\n"))
                .contains("arenaflow.registry.timeout.ms").contains("0");
    }

    @Test
    void shouldRefuseMissingRequiredSetting() throws IOException {
        assertThat(runWith(VALID.replace("application.id=arenaflow-test\n", ""))).contains("application.id");
        assertThat(runWith(VALID.replace("arenaflow.registry.url=http://127.0.0.1:1/apis/registry/v2\n", "")))
                .contains("arenaflow.registry.url");
    }

    @Test
    void shouldRefuseUnknownPluginAndUnknownPluginSetting() throws IOException {
        assertThat(runWith(VALID + "arenaflow.plugins=session,enrichh\n"))
                .contains("enrichh").contains("no such plugin").contains("session");
        assertThat(runWith(VALID + "plugin.session.colour=blue\n"))
                .contains("plugin.session.colour").contains("blue");
        assertThat(runWith(VALID + "plugin.other.x=1\n")).contains("plugin.other.x").contains("not in arenaflow.plugins");
    }

    @Test
    void shouldAcceptArenaflowPluginLimitsAndRefuseBadOnes() throws IOException {
        RunCommand command = new RunCommand(Map.of());
        command.config = write(VALID + "plugin.session.max.in.flight=50\nplugin.session.ordered=false\n");
        assertThat(command.settings().plugins().get(0).limits().maxInFlight()).isEqualTo(50);

        assertThat(runWith(VALID + "plugin.session.max.in.flight=0\n")).contains("max.in.flight").contains("0")
                .contains("plugin.session.");
        assertThat(runWith(VALID + "plugin.session.timeout.ms=soon\n")).contains("timeout.ms").contains("soon");
    }

    @Test
    void shouldRefuseAPluginPathThatIsNotADirectoryNamingIt() throws IOException {
        Path missing = dir.resolve("no-such-plugins");

        assertThat(runWith(VALID + "arenaflow.plugin.path=" + missing + "\n"))
                .contains("arenaflow.plugin.path").contains(missing.toString()).contains("does not exist");
    }

    @Test
    void shouldAcceptAnExistingPluginPath() throws IOException {
        Path plugins = Files.createDirectories(dir.resolve("plugins"));
        RunCommand command = new RunCommand(Map.of());
        command.config = write(VALID + "arenaflow.plugin.path=" + plugins + "\n");

        assertThat(command.settings().config().pluginPath()).containsExactly(plugins);
    }

    @Test
    void shouldApplyEnvironmentOverridesAndValidateThem() throws IOException {
        Path file = write(VALID);

        String out = run(Map.of("ARENAFLOW_ARENAFLOW_MAX_PAYLOAD_BYTES", "-5"), "--config", file.toString());

        assertThat(out).contains("arenaflow.max.payload.bytes").contains("-5");
    }

    @Test
    void shouldNotPrintValuesOfSecretLookingKeys() throws IOException {
        String out = runWith(VALID + "sasl.jaas.confg=hunter2\n");

        assertThat(out).contains("sasl.jaas.confg").doesNotContain("hunter2");
    }

    @Test
    void shouldGiveUpOnAnAbsentBrokerWithOneLineNamingBootstrapServers() throws IOException {
        int closed = closedPort();
        HttpServer registry = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        registry.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        registry.start();
        try {
            String properties = VALID.replace("bootstrap.servers=127.0.0.1:1", "bootstrap.servers=127.0.0.1:" + closed)
                    .replace("http://127.0.0.1:1/", "http://127.0.0.1:" + registry.getAddress().getPort() + "/")
                    + OFF_AND_SHORT;

            StringWriter err = new StringWriter();
            int status = execute(err, "--config", write(properties).toString());

            assertThat(status).as("stderr: %s", err).isEqualTo(RunCommand.BROKER_UNREACHABLE);
            assertThat(err.toString().lines().toList()).containsExactly("arenaflow: no broker reachable at "
                    + "bootstrap.servers=127.0.0.1:" + closed + " within 300 ms (arenaflow.startup.wait.ms)");
        } finally {
            registry.stop(0);
        }
    }

    @Test
    void shouldGiveUpOnAnAbsentRegistryWithOneLineNamingItsSettingAndNoCredentials() throws IOException {
        int closed = closedPort();
        String properties = VALID.replace("http://127.0.0.1:1/", "http://reader:hunter2@127.0.0.1:" + closed + "/")
                + OFF_AND_SHORT;

        StringWriter err = new StringWriter();
        int status = execute(err, "--config", write(properties).toString());

        assertThat(status).as("stderr: %s", err).isEqualTo(RunCommand.REGISTRY_UNREACHABLE);
        assertThat(err.toString().lines().toList()).containsExactly("arenaflow: the schema registry at "
                + "arenaflow.registry.url=http://127.0.0.1:" + closed + "/apis/registry/v2 did not answer within "
                + "300 ms (arenaflow.startup.wait.ms)");
    }

    private static final String OFF_AND_SHORT = "arenaflow.grpc.port=-1\narenaflow.http.port=-1\n"
            + "arenaflow.startup.wait.ms=300\n";

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private int execute(StringWriter err, String... args) {
        CommandLine cli = new CommandLine(new RunCommand(Map.of()));
        cli.setErr(new PrintWriter(err, true));
        return cli.execute(args);
    }

    private String runWith(String properties) throws IOException {
        return run(Map.of(), "--config", write(properties).toString());
    }

    private String run(Map<String, String> environment, String... args) {
        StringWriter err = new StringWriter();
        CommandLine cli = new CommandLine(new RunCommand(environment));
        cli.setErr(new PrintWriter(err, true));
        int status = cli.execute(args);
        assertThat(status).as("exit status; stderr: %s", err).isEqualTo(RunCommand.INVALID_CONFIG);
        return err.toString();
    }

    private Path write(String properties) throws IOException {
        Path file = Files.createTempFile(dir, "arenaflow", ".properties");
        Files.writeString(file, properties, StandardCharsets.UTF_8);
        return file;
    }
}
