package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arenaflow.cli.it.support.BackgroundRun;
import dev.arenaflow.cli.it.support.CliProcess;
import dev.arenaflow.cli.it.support.TrustingHttp;
import dev.arenaflow.local.KafkaOptions;
import dev.arenaflow.local.LocalCertificate;
import dev.arenaflow.local.LocalKafka;
import dev.arenaflow.local.LocalRegistry;
import dev.arenaflow.local.LocalStackLayout;
import dev.arenaflow.local.SecureListener;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Every command against a broker whose clients' listener is SASL_SSL (SCRAM-SHA-512 over TLS, with
 * a certificate this test makes): {@code run} with its gRPC API and operations endpoint on TLS
 * with bearer tokens, {@code produce}, {@code consume}, {@code plugins}, {@code replay}, {@code get}
 * and {@code watch}, each in its own JVM as {@code bin/arenaflow} runs it. Then a wrong password
 * ({@code produce}, {@code consume}, {@code run}, {@code plugins}, {@code replay}) and an untrusted
 * broker certificate (the same five), a CA that did not sign the API's certificate and a wrong API
 * token ({@code get}, {@code watch}), and a scan of everything written for the secrets in use.
 */
// Guards against a hang only; no step is timed.
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class SecuredClusterIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "arenaflow";
    // Each secret is unlike any other text, so finding it anywhere means it leaked.
    private static final String SCRAM_PASSWORD = "scramPw7f3e9a";
    private static final String WRONG_PASSWORD = "wrongPw40d1c6";
    private static final String STORE_PASSWORD = "storePw51c2d8";
    private static final String GRPC_TOKEN = "grpcTok9b4e61";
    private static final String HTTP_TOKEN = "httpTok2d7f03";
    private static final String WRONG_TOKEN = "wrongTok5a81e7";
    /** The JAAS config's user part: it appears in no output even when the password is cut off. */
    private static final String JAAS_USER = "username=\"" + USER + "\"";
    private static final List<String> SECRETS = List.of(SCRAM_PASSWORD, WRONG_PASSWORD, STORE_PASSWORD, GRPC_TOKEN,
            HTTP_TOKEN, WRONG_TOKEN, JAAS_USER);
    private static final String INPUT = "secure-it.raw";
    private static final int RECORDS = 20;
    private static final int MALFORMED = 2;
    private static final Duration START = Duration.ofSeconds(90);
    private static final Pattern THROWABLE_LINE = Pattern.compile("^(Caused by: )?[\\w.$]+(Exception|Error)\\b");
    private static final Pattern LOG_LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d\\.\\d{3} ");

    private static Path work;
    private static LocalCertificate certificate;
    private static LocalCertificate stranger;
    private static LocalKafka kafka;
    private static LocalRegistry registry;
    private static SecureListener listener;
    /** Everything a command or the application wrote, by what it was, for the secret scan. */
    private static final Map<String, String> written = new LinkedHashMap<>();

    @BeforeAll
    static void startSecuredStack() throws Exception {
        work = Files.createTempDirectory("arenaflow-secured-it-");
        certificate = LocalCertificate.create(work.resolve("certs"), "server", STORE_PASSWORD);
        stranger = LocalCertificate.create(work.resolve("certs"), "stranger", STORE_PASSWORD);
        listener = new SecureListener(certificate, USER, SCRAM_PASSWORD);
        kafka = LocalKafka.start(work.resolve("kafka"), LocalStackLayout.locate(), KafkaOptions.defaults(), listener);
        registry = LocalRegistry.start(work.resolve("registry"));
        kafka.createTopics(Map.of(INPUT, 2));
    }

    @AfterAll
    static void stopStack() {
        if (registry != null) {
            registry.close();
        }
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void shouldRunEveryCommandThroughSaslSslAndLeakNoSecret() throws Exception {
        Path clientConfig = properties("client.properties", listener.clientSettings());
        Path appConfig = properties("app.properties", appSettings(listener.clientSettings()));
        Path tokenFile = Files.writeString(work.resolve("grpc.token"), GRPC_TOKEN + "\n");
        try (BackgroundRun run = BackgroundRun.start(work, "run", appConfig)) {
            int grpcPort = run.awaitGrpcPort(START);
            int httpPort = run.awaitHttpPort(START);
            String api = "127.0.0.1:" + grpcPort;
            String ops = "https://127.0.0.1:" + httpPort;
            TrustingHttp http = new TrustingHttp(certificate.trustStore(), STORE_PASSWORD);

            CliProcess.Result produced = cli("produce", "produce", "--bootstrap-server", kafka.secureBootstrapServers(),
                    "--config", clientConfig.toString(), "--topic", INPUT, "--generate", "" + RECORDS, "--sources", "3",
                    "--gap-rate", "0", "--duplicate-rate", "0", "--seed", "7");
            CliProcess.Result producedBad = cli("produce-malformed", "produce", "--bootstrap-server",
                    kafka.secureBootstrapServers(), "--config", clientConfig.toString(), "--topic", INPUT,
                    "--generate", "" + MALFORMED, "--malformed-rate", "1", "--duplicate-rate", "0", "--seed", "8");
            assertThat(produced.exitCode()).as(produced.stderr()).isZero();
            assertThat(producedBad.exitCode()).as(producedBad.stderr()).isZero();

            CliProcess.Result snapshots = consume("consume-snapshots", clientConfig, "snapshots.session", RECORDS);
            CliProcess.Result deadLetters = consume("consume-dlq", clientConfig, "arenaflow.dlq.decode", MALFORMED);
            assertThat(snapshots.lines()).as(snapshots.stderr()).hasSize(RECORDS);
            assertThat(deadLetters.lines()).as(deadLetters.stderr()).hasSize(MALFORMED)
                    .allSatisfy(line -> assertThat(line).contains("arenaflow.error.code"));
            String source = JSON.readTree(snapshots.lines().get(0)).path("value").path("meta").path("source").asText();
            assertThat(source).startsWith("sensor-");

            CliProcess.Result paused = cli("plugins-pause", "plugins", "pause", "session", "-c", appConfig.toString(),
                    "--by", "it");
            CliProcess.Result list = cli("plugins-list", "plugins", "list", "-c", appConfig.toString());
            assertThat(paused.exitCode()).as(paused.stderr()).isZero();
            assertThat(list.exitCode()).as(list.stderr()).isZero();
            assertThat(String.join("\n", list.lines())).contains("session").contains("paused");

            CliProcess.Result replay = cli("replay", "replay", "-c", appConfig.toString(), "--plugin", "session",
                    "--dry-run");
            assertThat(replay.exitCode()).as(replay.stderr()).isZero();

            CliProcess.Result got = cli("get", "get", "--api", api, "--tls-ca", certificate.certificatePem().toString(),
                    "--token-file", tokenFile.toString(), "--plugin", "session", "--source", source);
            assertThat(got.exitCode()).as(got.stderr()).isZero();
            assertThat(JSON.readTree(got.lines().get(0)).path("value").path("meta").path("source").asText())
                    .isEqualTo(source);
            CliProcess.Result watched = cli("watch", "watch", "--api", api, "--tls-ca",
                    certificate.certificatePem().toString(), "--token-file", tokenFile.toString(), "--plugin", "session",
                    "--from", "earliest", "--limit", "3");
            assertThat(watched.exitCode()).as(watched.stderr()).isZero();
            assertThat(watched.lines()).hasSize(3);

            CliProcess.Result noToken = cli("get-no-token", "get", "--api", api, "--tls-ca",
                    certificate.certificatePem().toString(), "--plugin", "session", "--source", source);
            assertThat(noToken.exitCode()).isEqualTo(1);
            assertThat(noToken.stderr()).contains("UNAUTHENTICATED").contains("arenaflow.grpc.token");
            assertApiClientsRefused(api, tokenFile, source);

            HttpResponse<String> statusWithout = http.get(ops + "/api/status", null);
            HttpResponse<String> status = http.get(ops + "/api/status", HTTP_TOKEN);
            HttpResponse<String> metrics = http.get(ops + "/metrics", null);
            HttpResponse<String> ready = http.get(ops + "/health/ready", null);
            assertThat(statusWithout.statusCode()).isEqualTo(401);
            assertThat(statusWithout.headers().firstValue("WWW-Authenticate")).contains("Bearer");
            assertThat(status.statusCode()).isEqualTo(200);
            assertThat(status.body()).contains("\"session\"");
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.body()).contains("arenaflow_plugin_records_in_total");
            assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);

            // SIGTERM: the JVM's status is 143 once the shutdown hook has closed the instance.
            assertThat(run.terminate(Duration.ofSeconds(60))).isIn(0, 143);
            remember("run", run.stdout(), run.stderr());
            written.put("/api/status body", status.body());
            written.put("/metrics body", metrics.body());
            written.put("/api/status 401 body", statusWithout.body());
        }
        assertThat(written).containsKeys("run stderr", "consume-dlq stdout", "plugins-list stdout", "replay stderr",
                "get stdout", "watch stdout", "/api/status body", "/metrics body", "get-untrusted-ca stderr",
                "watch-wrong-token stderr");
        assertNoSecretIn(written);
    }

    @Test
    void shouldRefuseAWrongPasswordInOneLineWithExitStatus3() throws Exception {
        Path wrong = properties("wrong-password.properties", listener.clientSettings(USER, WRONG_PASSWORD));
        Path appWrong = properties("app-wrong-password.properties",
                appSettings(listener.clientSettings(USER, WRONG_PASSWORD)));

        CliProcess.Result produce = cli("produce-wrong-password", "produce", "--bootstrap-server",
                kafka.secureBootstrapServers(), "--config", wrong.toString(), "--topic", INPUT, "--generate", "1");
        CliProcess.Result run = cli("run-wrong-password", "run", "-c", appWrong.toString());

        CliProcess.Result consume = cli("consume-wrong-password", "consume", "--bootstrap-server",
                kafka.secureBootstrapServers(), "--config", wrong.toString(), "--topic", INPUT, "--timeout-ms", "30000");
        CliProcess.Result plugins = cli("plugins-wrong-password", "plugins", "list", "-c", appWrong.toString());
        CliProcess.Result replay = cli("replay-wrong-password", "replay", "-c", appWrong.toString(), "--plugin",
                "session");

        assertOneLineNaming(produce, "sasl.jaas.config");
        assertOneLineNaming(run, "sasl.jaas.config");
        assertOneLineNaming(consume, "sasl.jaas.config");
        assertOneLineNaming(plugins, "sasl.jaas.config");
        assertOneLineNaming(replay, "sasl.jaas.config");
        assertNoSecretIn(written);
    }

    @Test
    void shouldRefuseAnUntrustedCertificateInOneLineWithExitStatus3() throws Exception {
        Map<String, String> settings = new LinkedHashMap<>(listener.clientSettings());
        settings.put("ssl.truststore.location", stranger.trustStore().toString());
        Path untrusting = properties("untrusting.properties", settings);

        CliProcess.Result consume = cli("consume-untrusted", "consume", "--bootstrap-server",
                kafka.secureBootstrapServers(), "--config", untrusting.toString(), "--topic", INPUT,
                "--timeout-ms", "30000");
        Path appUntrusting = properties("app-untrusting.properties", appSettings(settings));
        CliProcess.Result plugins = cli("plugins-untrusted", "plugins", "list", "-c", appUntrusting.toString());
        CliProcess.Result produce = cli("produce-untrusted", "produce", "--bootstrap-server",
                kafka.secureBootstrapServers(), "--config", untrusting.toString(), "--topic", INPUT, "--generate", "1");
        CliProcess.Result run = cli("run-untrusted", "run", "-c", appUntrusting.toString());
        CliProcess.Result replay = cli("replay-untrusted", "replay", "-c", appUntrusting.toString(), "--plugin",
                "session", "--dry-run");

        assertOneLineNaming(consume, "ssl.truststore.location");
        assertOneLineNaming(plugins, "ssl.truststore.location");
        assertOneLineNaming(produce, "ssl.truststore.location");
        assertOneLineNaming(run, "ssl.truststore.location");
        assertOneLineNaming(replay, "ssl.truststore.location");
        assertNoSecretIn(written);
    }

    /**
     * {@code get} and {@code watch} against the running instance: trusting a CA that did not sign its
     * certificate (exit 3, naming {@code --tls-ca}), and with a token it does not take (exit 1, the
     * status {@code UNAUTHENTICATED}, naming {@code --token-file}).
     */
    private static void assertApiClientsRefused(String api, Path tokenFile, String source) throws Exception {
        String strangerCa = stranger.certificatePem().toString();
        Path wrongToken = Files.writeString(work.resolve("wrong.token"), WRONG_TOKEN + "\n");
        CliProcess.Result getUntrusted = cli("get-untrusted-ca", "get", "--api", api, "--tls-ca", strangerCa,
                "--token-file", tokenFile.toString(), "--plugin", "session", "--source", source);
        CliProcess.Result watchUntrusted = cli("watch-untrusted-ca", "watch", "--api", api, "--tls-ca", strangerCa,
                "--token-file", tokenFile.toString(), "--plugin", "session", "--from", "earliest", "--reconnect");
        CliProcess.Result getWrongToken = cli("get-wrong-token", "get", "--api", api, "--tls-ca",
                certificate.certificatePem().toString(), "--token-file", wrongToken.toString(), "--plugin", "session",
                "--source", source);
        CliProcess.Result watchWrongToken = cli("watch-wrong-token", "watch", "--api", api, "--tls-ca",
                certificate.certificatePem().toString(), "--token-file", wrongToken.toString(), "--plugin", "session",
                "--from", "earliest");

        assertOneLineNaming(getUntrusted, 3, "--tls-ca");
        assertOneLineNaming(watchUntrusted, 3, "--tls-ca");
        assertOneLineNaming(getWrongToken, 1, "--token-file");
        assertOneLineNaming(watchWrongToken, 1, "--token-file");
        assertThat(getWrongToken.stderr()).contains("UNAUTHENTICATED");
        assertThat(watchWrongToken.stderr()).contains("UNAUTHENTICATED");
    }

    /**
     * The command's own words are one line naming the setting; its log (arenaflow's start-up lines,
     * e.g. the plugins found) may be there too, but no stack trace: no exception on a line of its own
     * (as a logger renders a throwable) and no frame.
     */
    private static void assertOneLineNaming(CliProcess.Result result, String setting) {
        assertOneLineNaming(result, 3, setting);
    }

    private static void assertOneLineNaming(CliProcess.Result result, int exitStatus, String setting) {
        List<String> said = result.stderr().lines().filter(l -> !l.isBlank() && !LOG_LINE.matcher(l).find()).toList();
        assertThat(result.exitCode()).as(result.stderr()).isEqualTo(exitStatus);
        assertThat(said).as(result.stderr()).hasSize(1);
        assertThat(said.get(0)).contains(setting);
        assertThat(result.stderr().lines()).as("no stack trace")
                .noneMatch(line -> THROWABLE_LINE.matcher(line).find() || line.startsWith("\tat "));
    }

    /** Fails naming the output and the secret if any output holds any secret; every output must hold something. */
    private static void assertNoSecretIn(Map<String, String> outputs) {
        assertThat(outputs).isNotEmpty();
        outputs.forEach((what, text) -> {
            assertThat(text).as(what + " is empty, so scanning it proves nothing").isNotBlank();
            for (String secret : SECRETS) {
                assertThat(text).as(what + " holds a secret").doesNotContain(secret);
            }
        });
    }

    private static Map<String, String> appSettings(Map<String, String> client) {
        Map<String, String> s = new LinkedHashMap<>();
        s.put("application.id", "secure-it");
        s.put("bootstrap.servers", kafka.secureBootstrapServers());
        s.putAll(client);
        s.put("processing.guarantee", "at_least_once");
        s.put("commit.interval.ms", "200");
        s.put("auto.offset.reset", "earliest");
        s.put("state.dir", work.resolve("state").toString());
        s.put("arenaflow.input.topics", INPUT);
        s.put("arenaflow.registry.url", registry.apicurioV2Url());
        s.put("arenaflow.grpc.host", "127.0.0.1");
        s.put("arenaflow.grpc.port", "0");
        s.put("arenaflow.grpc.tls.cert.file", certificate.certificatePem().toString());
        s.put("arenaflow.grpc.tls.key.file", certificate.keyPem().toString());
        s.put("arenaflow.grpc.token", GRPC_TOKEN);
        s.put("arenaflow.http.bind.address", "127.0.0.1");
        s.put("arenaflow.http.port", "0");
        s.put("arenaflow.http.tls.cert.file", certificate.certificatePem().toString());
        s.put("arenaflow.http.tls.key.file", certificate.keyPem().toString());
        s.put("arenaflow.http.token", HTTP_TOKEN);
        return s;
    }

    private static CliProcess.Result consume(String name, Path config, String topic, int count)
            throws IOException, InterruptedException {
        return cli(name, "consume", "--bootstrap-server", kafka.secureBootstrapServers(), "--config",
                config.toString(), "--registry-url", registry.apicurioV2Url(), "--topic", topic, "--max-messages",
                "" + count, "--timeout-ms", "60000");
    }

    private static CliProcess.Result cli(String name, String... args) throws IOException, InterruptedException {
        CliProcess.Result result = CliProcess.run(work, name, List.of(args));
        remember(name, String.join("\n", result.lines()), result.stderr());
        return result;
    }

    /** Keeps what is not empty; the scan asserts separately that the outputs that matter were written. */
    private static void remember(String name, String stdout, String stderr) {
        if (!stdout.isBlank()) {
            written.put(name + " stdout", stdout);
        }
        if (!stderr.isBlank()) {
            written.put(name + " stderr", stderr);
        }
    }

    private static Path properties(String name, Map<String, String> settings) throws IOException {
        String text = settings.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().replace("\\", "\\\\"))
                .collect(Collectors.joining("\n", "", "\n"));
        return Files.writeString(work.resolve(name), text, StandardCharsets.UTF_8);
    }
}
