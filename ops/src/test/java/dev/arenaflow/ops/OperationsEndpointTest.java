package dev.arenaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The endpoint over real HTTP on 127.0.0.1, for an instance that was created but not started
 * (no broker): live, not ready, and every path answers.
 */
class OperationsEndpointTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();
    private PrometheusMeterRegistry registry;
    private ArenaflowApplication app;
    private OperationsEndpoint ops;

    @BeforeEach
    void start() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "endpoint-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        props.put(ArenaflowConfig.PLUGINS, "session");
        props.put(ArenaflowConfig.HTTP_PORT, "0");
        props.put(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        registry = OperationsEndpoint.newRegistry("endpoint-test");
        ArenaflowSettings settings = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        app = ArenaflowApplication.create(settings, (topic, record) -> new byte[0], registry);
        ops = OperationsEndpoint.start(app, registry);
    }

    @AfterEach
    void stop() {
        ops.close();
        app.close();
        registry.close();
    }

    @Test
    void shouldBeLiveButNotReadyBeforeKafkaStreamsRuns() throws Exception {
        HttpResponse<String> live = get("health/live");
        assertThat(live.statusCode()).isEqualTo(200);
        assertThat(JSON.readTree(live.body()).path("status").asText()).isEqualTo("UP");

        HttpResponse<String> ready = get("health/ready");
        assertThat(ready.statusCode()).isEqualTo(503);
        JsonNode body = JSON.readTree(ready.body());
        assertThat(body.path("status").asText()).isEqualTo("DOWN");
        assertThat(body.path("checks").path("kafka-streams").path("reason").asText())
                .isEqualTo("Kafka Streams is CREATED, not RUNNING");
        assertThat(body.path("checks").path("http").path("ok").asBoolean()).isTrue();
        assertThat(body.path("checks").path("schema-registry").path("ok").asBoolean()).isTrue();
    }

    @Test
    void shouldTakeAReadinessCheckAddedLater() throws Exception {
        ops.addReadinessCheck(new HealthCheck.Named("grpc", () -> HealthCheck.Result.down("not bound")));
        JsonNode body = JSON.readTree(get("health/ready").body());
        assertThat(body.path("checks").path("grpc").path("reason").asText()).isEqualTo("not bound");
        assertThat(ops.readiness().items()).extracting(Health.Verdict.Item::name)
                .containsExactly("kafka-streams", "schema-registry", "plugins", "http", "grpc");
    }

    @Test
    void shouldServePrometheusTextWithJvmAndKafkaStreamsMetrics() throws Exception {
        HttpResponse<String> metrics = get("metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        assertThat(metrics.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain; version=0.0.4");
        assertThat(metrics.body()).contains("jvm_memory_used_bytes{").contains("process_uptime_seconds{")
                .contains("kafka_stream_").contains("application=\"endpoint-test\"");
    }

    @Test
    void shouldServeTheStatusAndThePageWithItsChartLibraryFromTheJar() throws Exception {
        JsonNode status = JSON.readTree(get("api/status").body());
        assertThat(status.path("application").asText()).isEqualTo("endpoint-test");
        assertThat(status.path("streams").path("state").asText()).isEqualTo("CREATED");
        assertThat(status.path("ready").asBoolean()).isFalse();
        assertThat(status.path("registry").path("address").asText()).isEqualTo("http://127.0.0.1:9/apis/registry/v2");
        assertThat(status.path("registry").path("reachable").asBoolean()).isTrue();
        assertThat(status.path("registry").path("outage").isNull()).isTrue();
        app.registry().failed("HTTP 503");
        JsonNode during = JSON.readTree(get("api/status").body());
        assertThat(during.path("registry").path("reachable").asBoolean()).isFalse();
        assertThat(during.path("registry").path("outages").asLong()).isEqualTo(1);
        assertThat(during.path("registry").path("outage").path("last_error").asText()).isEqualTo("HTTP 503");
        assertThat(during.path("ready").asBoolean()).isFalse();
        assertThat(status.path("plugins").get(0).path("name").asText()).isEqualTo("session");
        assertThat(status.path("plugins").get(0).path("state").asText()).isEqualTo("enabled");

        HttpResponse<String> page = get("");
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.body()).contains("<table id=\"plugins\">").doesNotContain("https://");
        for (String asset : new String[] {"status.js", "status.css", "webjars/uplot/1.6.30/dist/uPlot.iife.min.js",
            "webjars/uplot/1.6.30/dist/uPlot.min.css"}) {
            assertThat(page.body()).contains("/" + asset);
            assertThat(get(asset).statusCode()).as(asset).isEqualTo(200);
        }
    }

    @Test
    void shouldServeNothingWhenThePortIsMinusOne() {
        Properties props = app.settings().properties();
        props.put(ArenaflowConfig.HTTP_PORT, "-1");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.resolve("off").toString());
        ArenaflowSettings off = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        try (ArenaflowApplication other = ArenaflowApplication.create(off, (t, r) -> new byte[0], registry);
             OperationsEndpoint none = OperationsEndpoint.start(other, registry)) {
            assertThat(none.enabled()).isFalse();
            assertThat(none.url()).isNull();
        }
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(ops.url() + path)).build(),
                HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    }
}
