package dev.arenaflow.topology.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.arenaflow.schemas.SessionSnapshot;
import dev.arenaflow.schemas.SnapshotMeta;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.SnapshotSerdes;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.serialization.Serializer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The registry client's real failures, from a refused port and from a server answering with a status. */
class RegistryFailuresTest {

    private static SpecificRecord snapshot() {
        SnapshotMeta meta = SnapshotMeta.newBuilder().setPlugin("session").setSource("s").setSequence(1).setType(1)
                .setEventTime(Instant.ofEpochMilli(1)).setInputTopic("in").setInputPartition(0).setInputOffset(0)
                .setAttempt(1).build();
        return SessionSnapshot.newBuilder().setMeta(meta).setCount(1).setTotalPayloadBytes(1)
                .setFirstEventTime(Instant.ofEpochMilli(1)).setLastEventTime(Instant.ofEpochMilli(1))
                .setLastSequence(1).setGaps(0).setDuplicates(0).build();
    }

    private static Serializer<SpecificRecord> serializerFor(String url) {
        // No retries inside the serde: each case needs one call's failure, not four.
        return SnapshotSerdes.serializer(Map.of(ArenaflowConfig.REGISTRY_URL, url,
                "apicurio.registry.retry-count", "0", "apicurio.registry.retry-backoff-ms", "1"));
    }

    private static RuntimeException failureOf(Serializer<SpecificRecord> serializer) {
        try {
            serializer.serialize("snapshots.session", snapshot());
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("the serializer did not fail");
    }

    @Test
    void aRefusedConnectionIsAnOutage() throws IOException {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        RuntimeException failure = failureOf(serializerFor("http://127.0.0.1:" + closedPort + "/apis/registry/v2"));

        assertThat(RegistryFailures.isOutage(failure)).as(chain(failure)).isTrue();
        assertThat(RegistryFailures.describe(failure)).contains("Connect");
    }

    /** The registry accepts the connection and reads the request but never answers: Apicurio's client alone would wait forever. */
    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void aRegistryThatNeverAnswersIsAnOutageNamingTheTimeout() throws IOException {
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            Serializer<SpecificRecord> serializer = SnapshotSerdes.serializer(Map.of(ArenaflowConfig.REGISTRY_URL,
                    "http://127.0.0.1:" + silent.getLocalPort() + "/apis/registry/v2",
                    ArenaflowConfig.REGISTRY_TIMEOUT_MS, "300", "apicurio.registry.retry-count", "0"));
            RuntimeException failure = failureOf(serializer);

            assertThat(RegistryFailures.isOutage(failure)).as(chain(failure)).isTrue();
            assertThat(RegistryFailures.describe(failure))
                    .isEqualTo("HttpTimeoutException: the schema registry did not answer within 300 ms "
                            + "(arenaflow.registry.timeout.ms)");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5", "600001", "soon"})
    void aTimeoutOutsideItsRangeIsRefusedNamingTheSetting(String value) {
        assertThatThrownBy(() -> SnapshotSerdes.serializer(Map.of(ArenaflowConfig.REGISTRY_URL,
                "http://127.0.0.1:1/apis/registry/v2", ArenaflowConfig.REGISTRY_TIMEOUT_MS, value)))
                .isInstanceOf(ConfigException.class).hasMessageContaining(ArenaflowConfig.REGISTRY_TIMEOUT_MS)
                .hasMessageContaining(value);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 503, 504, 429})
    void aServerSideStatusIsAnOutage(int status) throws IOException {
        RuntimeException failure = answering(status);
        assertThat(RegistryFailures.isOutage(failure)).as(chain(failure)).isTrue();
        assertThat(RegistryFailures.describe(failure)).isEqualTo("HTTP " + status);
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 409})
    void aRefusalIsNotAnOutage(int status) throws IOException {
        RuntimeException failure = answering(status);
        assertThat(RegistryFailures.isOutage(failure)).as(chain(failure)).isFalse();
    }

    @Test
    void aFailureWithoutANetworkCauseIsNotAnOutage() {
        assertThat(RegistryFailures.isOutage(new IllegalStateException("no schema"))).isFalse();
        assertThatThrownBy(() -> {
            throw new IllegalStateException("x");
        }).satisfies(e -> assertThat(RegistryFailures.describe(e)).isEqualTo("IllegalStateException: x"));
    }

    @Test
    void theShownAddressKeepsNoCredentials() {
        assertThat(RegistryAddress.shown("https://alice:s3cret@registry.example:8443/apis/registry/v2?token=abc"))
                .isEqualTo("https://registry.example:8443/apis/registry/v2");
        assertThat(RegistryAddress.shown("not a uri with spaces")).doesNotContain("spaces");
    }

    private static RuntimeException answering(int status) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = ("{\"error_code\":" + status + ",\"message\":\"test\"}").getBytes();
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        try {
            return failureOf(serializerFor("http://127.0.0.1:" + server.getAddress().getPort() + "/apis/registry/v2"));
        } finally {
            server.stop(0);
        }
    }

    private static String chain(Throwable failure) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            text.append(t.getClass().getName()).append(": ").append(t.getMessage()).append(" <- ");
        }
        return text.toString();
    }
}
