package dev.arenaflow.ops;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.topology.registry.RegistryReachability;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.streams.KafkaStreams.State;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The liveness and readiness decisions. */
class HealthTest {

    @ParameterizedTest
    @EnumSource(value = State.class, names = {"ERROR", "PENDING_ERROR", "NOT_RUNNING"})
    void shouldBeDeadWhenKafkaStreamsCannotRecover(State state) {
        Health.Verdict live = Health.live(state, false);
        assertThat(live.up()).isFalse();
        assertThat(live.httpStatus()).isEqualTo(503);
        assertThat(live.items().get(0).result().reason()).contains(state.name());
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = {"CREATED", "REBALANCING", "RUNNING", "PENDING_SHUTDOWN"})
    void shouldBeLiveWhileKafkaStreamsCanStillRun(State state) {
        assertThat(Health.live(state, false).up()).isTrue();
        assertThat(Health.live(state, false).httpStatus()).isEqualTo(200);
    }

    @Test
    void shouldBeDeadOnceAStreamThreadDiedWhateverTheState() {
        Health.Verdict live = Health.live(State.RUNNING, true);
        assertThat(live.up()).isFalse();
        assertThat(live.items().get(0).result().reason()).contains("stream thread died");
    }

    @ParameterizedTest
    @EnumSource(value = State.class, names = "RUNNING", mode = EnumSource.Mode.EXCLUDE)
    void shouldNotBeReadyUnlessKafkaStreamsIsRunning(State state) {
        Health.Verdict ready = Health.ready(List.of(streams(state), bound("http")));
        assertThat(ready.up()).isFalse();
        assertThat(ready.httpStatus()).isEqualTo(503);
        assertThat(ready.items().get(0).result().reason()).isEqualTo("Kafka Streams is " + state + ", not RUNNING");
    }

    @Test
    void shouldBeReadyOnlyWhenEveryCheckPasses() {
        assertThat(Health.ready(List.of(streams(State.RUNNING), bound("http"), bound("grpc"))).up()).isTrue();
        Health.Verdict grpcDown = Health.ready(List.of(streams(State.RUNNING), bound("http"),
                new HealthCheck.Named("grpc", () -> HealthCheck.Result.down("not bound yet"))));
        assertThat(grpcDown.up()).isFalse();
        assertThat(grpcDown.items()).extracting(i -> i.name() + ":" + i.result().ok())
                .containsExactly("kafka-streams:true", "http:true", "grpc:false");
    }

    @Test
    void shouldNotBeReadyDuringARegistryOutageAndSayWhatFailed() {
        AtomicLong clock = new AtomicLong(1_764_000_000_000L);
        RegistryReachability registry = new RegistryReachability("http://registry:8080/apis/registry/v2", clock::get);
        assertThat(Health.registryAnswers(registry).ok()).isTrue();

        registry.failed("ConnectException: Connection refused");
        registry.failed("HTTP 503");
        HealthCheck.Result down = Health.registryAnswers(registry);
        assertThat(down.ok()).isFalse();
        assertThat(down.reason()).isEqualTo("schema registry http://registry:8080/apis/registry/v2 unreachable since "
                + "2025-11-24T16:00:00Z (2 failed calls, last: HTTP 503); snapshots that need it wait");

        registry.answered();
        assertThat(Health.registryAnswers(registry).ok()).isTrue();
    }

    @Test
    void shouldNotBeReadyWhileATaskOfAPluginHasStalledAndNameThePlugin() {
        assertThat(Health.noPluginStalled(java.util.Map.of("enrich", 0.0, "session", 0.0)).ok()).isTrue();
        assertThat(Health.noPluginStalled(java.util.Map.of()).reason()).isEqualTo("no plugin stalled");

        HealthCheck.Result down = Health.noPluginStalled(java.util.Map.of("session", 0.0, "enrich", 2.0, "async", 1.0));
        assertThat(down.ok()).isFalse();
        assertThat(down.reason()).isEqualTo("stalled, as the log says: async (1 tasks), enrich (2 tasks)");
    }

    @Test
    void shouldFailACheckThatThrowsAndSayWhy() {
        Health.Verdict ready = Health.ready(List.of(streams(State.RUNNING),
                new HealthCheck.Named("broken", () -> {
                    throw new IllegalStateException("boom");
                })));
        assertThat(ready.up()).isFalse();
        assertThat(ready.items().get(1).result().reason()).contains("boom");
    }

    @Test
    void shouldNotBeReadyWithoutAnyCheck() {
        assertThat(Health.ready(List.of()).up()).isFalse();
    }

    private static HealthCheck.Named streams(State state) {
        return new HealthCheck.Named("kafka-streams", () -> Health.streamsRunning(state));
    }

    private static HealthCheck.Named bound(String name) {
        return new HealthCheck.Named(name, () -> HealthCheck.Result.up("bound"));
    }
}
