package dev.arenaflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.protobuf.services.HealthStatusManager;
import io.grpc.stub.MetadataUtils;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The token check in front of a real service, in process: a call passes only with the exact token. */
class BearerTokenInterceptorTest {

    private static final String TOKEN = "grpc-token-7a21";
    private static final String SETTING = "arenaflow.grpc.token";

    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        HealthStatusManager health = new HealthStatusManager();
        health.setStatus("", ServingStatus.SERVING);
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(health.getHealthService(),
                        new BearerTokenInterceptor(TOKEN, SETTING)))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() {
        channel.shutdownNow();
        server.shutdownNow();
    }

    @Test
    void shouldPassACallWithTheToken() {
        assertThat(stub(BearerTokenInterceptor.header(TOKEN)).check(HealthCheckRequest.getDefaultInstance())
                .getStatus()).isEqualTo(ServingStatus.SERVING);
    }

    @Test
    void shouldRefuseACallWithoutATokenNamingTheSetting() {
        StatusRuntimeException refused = refused(null);

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("no bearer token").contains(SETTING);
    }

    @Test
    void shouldRefuseAWrongTokenWithoutEchoingEitherToken() {
        StatusRuntimeException refused = refused(BearerTokenInterceptor.header("guess-" + TOKEN.length()));

        assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
        assertThat(refused.getStatus().getDescription()).contains("wrong bearer token").doesNotContain(TOKEN)
                .doesNotContain("guess-");
    }

    @Test
    void shouldRefuseTheTokenWithoutItsScheme() {
        assertThat(refused(TOKEN).getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
    }

    private StatusRuntimeException refused(String authorization) {
        return catchThrowableOfType(StatusRuntimeException.class,
                () -> stub(authorization).check(HealthCheckRequest.getDefaultInstance()));
    }

    private HealthGrpc.HealthBlockingStub stub(String authorization) {
        HealthGrpc.HealthBlockingStub stub = HealthGrpc.newBlockingStub(channel);
        if (authorization == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
}
