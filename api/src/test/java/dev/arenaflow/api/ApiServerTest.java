package dev.arenaflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.topology.ArenaflowConfig;
import dev.arenaflow.topology.ArenaflowSettings;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;

/** The server as {@code run} starts it, on a real loopback port, before any Kafka Streams exists. */
class ApiServerTest {

    private static ArenaflowSettings settings(Map<String, String> extra) {
        Map<String, String> props = new HashMap<>();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "api-server-test");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        props.put(ArenaflowConfig.REGISTRY_URL, "http://127.0.0.1:1/apis/registry/v2");
        props.put(ArenaflowConfig.GRPC_HOST, "127.0.0.1");
        props.put(ArenaflowConfig.GRPC_PORT, "0");
        props.putAll(extra);
        return ArenaflowSettings.validate(props, ApiServerTest.class.getClassLoader());
    }

    @Test
    void isOffWithPortMinusOne() {
        assertThat(ApiServer.start(settings(Map.of(ArenaflowConfig.GRPC_PORT, "-1")))).isNull();
    }

    @Test
    void servesHealthReflectionAndSaysItIsStarting() throws Exception {
        try (ApiServer server = ApiServer.start(settings(Map.of()))) {
            SimpleMeterRegistry meters = new SimpleMeterRegistry();
            server.bindMeters(meters);
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", server.port()).usePlaintext().build();
            try {
                HealthCheckResponse health = HealthGrpc.newBlockingStub(channel).check(HealthCheckRequest.newBuilder()
                        .setService("arenaflow.v1.SnapshotService").build());
                assertThat(health.getStatus()).isEqualTo(HealthCheckResponse.ServingStatus.NOT_SERVING);
                assertThat(services(channel)).contains("arenaflow.v1.SnapshotService", "grpc.health.v1.Health");
                assertThatThrownBy(() -> SnapshotServiceGrpc.newBlockingStub(channel).getLatest(
                        GetLatestRequest.newBuilder().setPlugin("session").setSource("s").build()))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription()).contains("starting");
                        });
                assertThat(meters.get("arenaflow.api.calls").tag("method", "GetLatest").tag("code", "UNAVAILABLE")
                        .counter().count()).isEqualTo(1);
                assertThat(meters.get("arenaflow.api.subscribers").gauge().value()).isZero();
            } finally {
                channel.shutdownNow();
            }
        }
    }

    @Test
    void advertisesItsBoundPortUnlessApplicationServerIsSet() {
        try (ApiServer server = ApiServer.start(settings(Map.of()))) {
            assertThat(server.advertise(settings(Map.of())).properties().get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                    .isEqualTo("127.0.0.1:" + server.port());
            ArenaflowSettings explicit = settings(Map.of(StreamsConfig.APPLICATION_SERVER_CONFIG, "api.example:7000"));
            assertThat(server.advertise(explicit).properties().get(StreamsConfig.APPLICATION_SERVER_CONFIG))
                    .isEqualTo("api.example:7000");
        }
        try (ApiServer server = ApiServer.start(settings(Map.of(ArenaflowConfig.GRPC_ADVERTISED_HOST, "node-7")))) {
            assertThat(server.address()).isEqualTo("node-7:" + server.port());
        }
    }

    @Test
    void aPortInUseIsNamedWithItsSettings() {
        try (ApiServer first = ApiServer.start(settings(Map.of()))) {
            String port = Integer.toString(first.port());
            assertThatThrownBy(() -> ApiServer.start(settings(Map.of(ArenaflowConfig.GRPC_PORT, port))))
                    .isInstanceOf(UncheckedIOException.class)
                    .hasMessageContaining("127.0.0.1:" + port).hasMessageContaining(ArenaflowConfig.GRPC_PORT);
        }
    }

    private static List<String> services(ManagedChannel channel) throws Exception {
        CompletableFuture<List<String>> names = new CompletableFuture<>();
        StreamObserver<ServerReflectionRequest> requests = ServerReflectionGrpc.newStub(channel).serverReflectionInfo(
                new StreamObserver<>() {
                    private final List<String> found = new ArrayList<>();

                    @Override
                    public void onNext(ServerReflectionResponse response) {
                        response.getListServicesResponse().getServiceList().forEach(s -> found.add(s.getName()));
                    }

                    @Override
                    public void onError(Throwable t) {
                        names.completeExceptionally(t);
                    }

                    @Override
                    public void onCompleted() {
                        names.complete(found);
                    }
                });
        requests.onNext(ServerReflectionRequest.newBuilder().setListServices("").build());
        requests.onCompleted();
        return names.get(10, TimeUnit.SECONDS);
    }
}
