package dev.arenaflow.plugins.enrich;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.plugin.Outcome;
import dev.arenaflow.plugin.Plugin;
import dev.arenaflow.plugin.testing.PluginHarness;
import dev.arenaflow.record.RawRecordWriter;
import dev.arenaflow.schemas.EnrichedSnapshot;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EnrichPluginTest {

    static final Duration WAIT = Duration.ofSeconds(10);

    private final TestLookupServer server = TestLookupServer.start();
    private PluginHarness harness;

    EnrichPluginTest() throws IOException {
    }

    @AfterEach
    void tearDown() {
        if (harness != null) {
            harness.close();
        }
        server.close();
    }

    @Test
    void shouldEmitAttributesAndMetaOn200() {
        server.answering(TestLookupServer.reply(200,
                "{\"source\":\"sensor-001\",\"site\":\"plant-2\",\"rack\":{\"row\":3},\"tags\":[1,\"a\"],"
                        + "\"level\":7,\"ratio\":0.5,\"active\":true,\"retired\":null}"));
        open(Map.of());

        EnrichedSnapshot s = emitted(handle("sensor-001"));

        assertThat(s.getAttributes()).containsExactly(
                Map.entry("source", "sensor-001"), Map.entry("site", "plant-2"), Map.entry("rack", "{\"row\":3}"),
                Map.entry("tags", "[1,\"a\"]"), Map.entry("level", "7"), Map.entry("ratio", "0.5"),
                Map.entry("active", "true"), Map.entry("retired", "null"));
        assertThat(s.getPayloadBytes()).isEqualTo(5);
        assertThat(s.getLookupMillis()).isBetween(0L, WAIT.toMillis());
        assertThat(s.getMeta().getPlugin()).isEqualTo("enrich");
        assertThat(s.getMeta().getSource()).isEqualTo("sensor-001");
        assertThat(s.getMeta().getSequence()).isEqualTo(42);
        assertThat(s.getMeta().getType()).isEqualTo(7);
        assertThat(s.getMeta().getEventTime()).isEqualTo(Instant.ofEpochMilli(1_764_000_000_123L));
        assertThat(s.getMeta().getInputTopic()).isEqualTo("raw-events");
        assertThat(s.getMeta().getAttempt()).isEqualTo(1);
    }

    @Test
    void shouldFailUnknownSourceOn404() {
        server.answering(TestLookupServer.reply(404, "{\"error\":\"no such source\"}"));
        open(Map.of());

        assertFail(handle("ghost"), "UNKNOWN_SOURCE", "HTTP 404 from 127.0.0.1:" + server.port());
    }

    @Test
    void shouldRejectOnOther4xxWithoutShowingPathOrQuery() {
        server.answering(TestLookupServer.reply(400, "bad request"));
        open(Map.of(EnrichConfig.URL_TEMPLATE_CONFIG, server.template() + "?token=s3cr3t"));

        assertFail(handle("sensor-001"), "LOOKUP_REJECTED", "HTTP 400 from 127.0.0.1:" + server.port());
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 503, 429, 408})
    void shouldRetryWithConfiguredDelayWhenServiceIsUnavailable(int status) {
        server.answering(TestLookupServer.reply(status, ""));
        open(Map.of(EnrichConfig.RETRY_DELAY_MS_CONFIG, "250"));

        Outcome.Retry retry = retried(handle("sensor-001"));

        assertThat(retry.delay()).isEqualTo(Duration.ofMillis(250));
        assertThat(retry.reason()).isEqualTo("HTTP " + status + " from 127.0.0.1:" + server.port());
    }

    @Test
    void shouldRetryWhenServerIsSlowerThanRequestTimeout() {
        server.holding();
        open(Map.of(EnrichConfig.REQUEST_TIMEOUT_MS_CONFIG, "200", EnrichConfig.RETRY_DELAY_MS_CONFIG, "10"));

        Outcome.Retry retry = retried(handle("sensor-001"));

        assertThat(retry.delay()).isEqualTo(Duration.ofMillis(10));
        assertThat(retry.reason()).isEqualTo("lookup at 127.0.0.1:" + server.port() + " timed out after 200 ms");
    }

    @Test
    void shouldRetryWhenBodyIsSlowerThanRequestTimeout() {
        server.answering(exchange -> {
            exchange.sendResponseHeaders(200, 100);
            exchange.getResponseBody().write("{\"site\":".getBytes(StandardCharsets.UTF_8));
            exchange.getResponseBody().flush();
            server.awaitRelease();
        });
        open(Map.of(EnrichConfig.REQUEST_TIMEOUT_MS_CONFIG, "300"));

        Outcome.Retry retry = retried(handle("sensor-001"));

        assertThat(retry.reason()).isEqualTo("lookup at 127.0.0.1:" + server.port() + " timed out after 300 ms");
    }

    @Test
    void shouldRetryWhenConnectionIsRefused() {
        open(Map.of());
        server.close();

        Outcome.Retry retry = retried(handle("sensor-001"));

        assertThat(retry.delay()).isEqualTo(Duration.ofSeconds(1));
        assertThat(retry.reason()).isEqualTo("lookup at 127.0.0.1:" + server.port() + " failed: ConnectException");
    }

    @ParameterizedTest
    @ValueSource(strings = {"not json", "[1,2]", "\"text\"", "42", "", "{\"a\":1} trailing", "{\"a\":"})
    void shouldFailBadLookupResponseWhenBodyIsNotOneJsonObject(String body) {
        server.answering(TestLookupServer.reply(200, body));
        open(Map.of());

        assertFail(handle("sensor-001"), "BAD_LOOKUP_RESPONSE",
                "response from 127.0.0.1:" + server.port() + " is not a JSON object");
    }

    @Test
    void shouldFailBadLookupResponseWhenBodyExceedsLimit() {
        server.answering(TestLookupServer.reply(200, "{\"padding\":\"" + "x".repeat(100_000) + "\"}"));
        open(Map.of(EnrichConfig.MAX_RESPONSE_BYTES_CONFIG, "1000"));

        assertFail(handle("sensor-001"), "BAD_LOOKUP_RESPONSE",
                "response from 127.0.0.1:" + server.port() + ": response body exceeds 1000 bytes");
    }

    @Test
    void shouldUrlEncodeSourceAsOnePathSegment() {
        server.answering(TestLookupServer.reply(200, "{}"));
        open(Map.of());

        emitted(handle("tür/東京 a+b"));

        assertThat(server.rawPaths()).containsExactly("/sources/t%C3%BCr%2F%E6%9D%B1%E4%BA%AC%20a%2Bb");
    }

    @Test
    void shouldBeFoundByServiceLoaderAndAcceptEveryTypeWithoutState() {
        Plugin plugin = ServiceLoader.load(Plugin.class).stream()
                .map(ServiceLoader.Provider::get)
                .filter(p -> p.name().equals(EnrichPlugin.NAME))
                .findFirst().orElseThrow();

        assertThat(plugin).isInstanceOf(EnrichPlugin.class);
        assertThat(plugin.acceptedTypes()).isEmpty();
        assertThat(plugin.keepsState()).isFalse();
    }

    private void open(Map<String, String> overrides) {
        Map<String, String> config = new HashMap<>(Map.of(EnrichConfig.URL_TEMPLATE_CONFIG, server.template()));
        config.putAll(overrides);
        harness = PluginHarness.open(new EnrichPlugin(), config);
    }

    private Outcome handle(String source) {
        Outcome outcome = harness.handle(RawRecordWriter.encode(7, 1_764_000_000_123L, 42, source, new byte[5], true));
        assertThat(outcome).isInstanceOf(Outcome.Later.class);
        return PluginHarness.await(outcome, WAIT);
    }

    static EnrichedSnapshot emitted(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Emit.class);
        return (EnrichedSnapshot) ((Outcome.Emit) outcome).snapshots().get(0);
    }

    static Outcome.Retry retried(Outcome outcome) {
        assertThat(outcome).isInstanceOf(Outcome.Retry.class);
        return (Outcome.Retry) outcome;
    }

    private static void assertFail(Outcome outcome, String code, String message) {
        assertThat(outcome).isInstanceOf(Outcome.Fail.class);
        Outcome.Fail fail = (Outcome.Fail) outcome;
        assertThat(fail.code()).isEqualTo(code);
        assertThat(fail.message()).isEqualTo(message);
    }
}
