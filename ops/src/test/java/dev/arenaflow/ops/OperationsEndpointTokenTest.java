package dev.arenaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.ArenaflowApplication;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import dev.arenaflow.topology.PluginCatalog;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@value ArenaflowConfig#HTTP_TOKEN} over real HTTP on 127.0.0.1: every path but the open ones
 * (the probes and {@code /metrics} by default) wants the bearer token, the status page's files
 * included, and a refusal names the setting, never the token.
 */
class OperationsEndpointTokenTest {

    private static final String TOKEN = "ops-token-c41e";

    @TempDir
    Path state;

    private final HttpClient http = HttpClient.newHttpClient();
    private PrometheusMeterRegistry registry;
    private ArenaflowApplication app;
    private OperationsEndpoint ops;

    @AfterEach
    void stop() {
        ops.close();
        app.close();
        registry.close();
    }

    @Test
    void shouldRefuseTheStatusWithoutTheTokenAndNameTheSetting() throws Exception {
        start(null);

        HttpResponse<String> none = get("api/status", null);
        HttpResponse<String> wrong = get("api/status", "not-" + TOKEN);

        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).contains("Bearer");
        assertThat(none.body()).contains(ArenaflowConfig.HTTP_TOKEN).doesNotContain(TOKEN);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("wrong bearer token").doesNotContain(TOKEN);
    }

    @Test
    void shouldServeEveryPathWithTheToken() throws Exception {
        start(null);

        assertThat(get("api/status", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("", TOKEN).statusCode()).isEqualTo(200);
        assertThat(get("metrics", TOKEN).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldGuardTheStatusPageItself() throws Exception {
        start(null);

        assertThat(get("", null).statusCode()).isEqualTo(401);
        assertThat(get("status.js", null).statusCode()).isEqualTo(401);
    }

    @Test
    void shouldLeaveProbesAndMetricsOpenByDefault() throws Exception {
        start(null);

        assertThat(get("health/live", null).statusCode()).isEqualTo(200);
        assertThat(get("health/ready", null).statusCode()).isEqualTo(503);
        assertThat(get("metrics", null).statusCode()).isEqualTo(200);
    }

    @Test
    void shouldGuardProbesAndMetricsTooWhenNoPathIsOpen() throws Exception {
        start("");

        assertThat(get("health/live", null).statusCode()).isEqualTo(401);
        assertThat(get("metrics", null).statusCode()).isEqualTo(401);
        assertThat(get("health/live", TOKEN).statusCode()).isEqualTo(200);
    }

    private void start(String openPaths) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "endpoint-token-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:9");
        props.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:9/apis/registry/v2");
        props.put(ArenaflowConfig.PLUGINS, "session");
        props.put(ArenaflowConfig.HTTP_PORT, "0");
        props.put(ArenaflowConfig.HTTP_BIND_ADDRESS, "127.0.0.1");
        props.put(ArenaflowConfig.HTTP_TOKEN, TOKEN);
        if (openPaths != null) {
            props.put(ArenaflowConfig.HTTP_OPEN_PATHS, openPaths);
        }
        registry = OperationsEndpoint.newRegistry("endpoint-token-test");
        ArenaflowSettings settings = ArenaflowSettings.validate(props, PluginCatalog.load(getClass().getClassLoader()));
        app = ArenaflowApplication.create(settings, (topic, record) -> new byte[0], registry);
        ops = OperationsEndpoint.start(app, registry);
    }

    private HttpResponse<String> get(String path, String token) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(ops.url() + path));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }
}
