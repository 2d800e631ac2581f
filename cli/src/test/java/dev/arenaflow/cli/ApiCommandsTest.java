package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SubscribeRequest;
import dev.arenaflow.local.LocalCertificate;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code get} and {@code watch} against stand-in servers on loopback ports. */
class ApiCommandsTest {

    private static final Metadata.Key<String> TOKEN = Metadata.Key.of("arenaflow-resume-token",
            Metadata.ASCII_STRING_MARSHALLER);

    private final List<Server> servers = new CopyOnWriteArrayList<>();
    private final List<SubscribeRequest> subscribes = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(Server::shutdownNow);
    }

    private String serve(SnapshotServiceGrpc.SnapshotServiceImplBase service) throws Exception {
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)).addService(service).build()
                .start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }

    private static SnapshotEvent event(int n) {
        return SnapshotEvent.newBuilder().setResumeToken("t" + n)
                .setSnapshot(Snapshot.newBuilder().setJson("{\"n\":" + n + "}")).build();
    }

    /** Sends events {@code from..to}, then ends as told. */
    private SnapshotServiceGrpc.SnapshotServiceImplBase streaming(int from, int to, Status end) {
        return new SnapshotServiceGrpc.SnapshotServiceImplBase() {
            @Override
            public void subscribe(SubscribeRequest request, StreamObserver<SnapshotEvent> observer) {
                subscribes.add(request);
                for (int n = from; n <= to; n++) {
                    observer.onNext(event(n));
                }
                if (end.isOk()) {
                    observer.onCompleted();
                } else {
                    Metadata trailers = new Metadata();
                    trailers.put(TOKEN, "t" + to);
                    observer.onError(end.asRuntimeException(trailers));
                }
            }
        };
    }

    @Test
    void getPrintsTheSnapshotsJsonLine() throws Exception {
        String api = serve(new SnapshotServiceGrpc.SnapshotServiceImplBase() {
            @Override
            public void getLatest(GetLatestRequest request, StreamObserver<Snapshot> observer) {
                if (request.getSource().equals("dev-1")) {
                    observer.onNext(Snapshot.newBuilder().setJson("{\"source\":\"dev-1\"}").build());
                    observer.onCompleted();
                } else {
                    observer.onError(Status.NOT_FOUND.withDescription("no snapshot of " + request.getSource())
                            .asRuntimeException());
                }
            }
        });
        CommandRun found = CommandRun.run("", "get", "--api", api, "--plugin", "session", "--source", "dev-1");
        assertThat(found.exitCode()).as(found.stderr()).isZero();
        assertThat(found.lines()).containsExactly("{\"source\":\"dev-1\"}");

        CommandRun missing = CommandRun.run("", "get", "--api", api, "--plugin", "session", "--source", "nobody");
        assertThat(missing.exitCode()).isEqualTo(1);
        assertThat(missing.lines()).isEmpty();
        assertThat(missing.stderr()).contains("NOT_FOUND: no snapshot of nobody");
    }

    @Test
    void getWithoutAServerIsUnavailable() {
        CommandRun run = CommandRun.run("", "get", "--api", "127.0.0.1:1", "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr()).contains("UNAVAILABLE");
    }

    @Test
    void anEmptyTokenFileIsRefusedNamingTheOption(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path empty = java.nio.file.Files.writeString(dir.resolve("token"), "\n");
        CommandRun run = CommandRun.run("", "get", "--api", "127.0.0.1:1", "--token-file", empty.toString(),
                "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--token-file " + empty + " is empty");
    }

    @Test
    void aMissingCaFileIsRefusedNamingTheOption() {
        CommandRun run = CommandRun.run("", "watch", "--api", "127.0.0.1:1", "--tls-ca", "/no/such/ca.pem",
                "--plugin", "p");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("--tls-ca /no/such/ca.pem");
    }

    @Test
    void aBadApiAddressIsRefused() {
        CommandRun run = CommandRun.run("", "get", "--api", "nohost", "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.stderr()).contains("'nohost' is not HOST:PORT");
    }

    @Test
    void watchStopsAtTheLimitAndSaysWhereToResume() throws Exception {
        String api = serve(streaming(1, 5, Status.OK));
        CommandRun run = CommandRun.run("", "watch", "--api", api, "--plugin", "session", "--from", "earliest",
                "--limit", "2", "--source", "a", "--source", "b");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(run.stderr()).contains("resume with --from t2");
        assertThat(subscribes.get(0).getSourcesList()).containsExactly("a", "b");
        assertThat(subscribes.get(0).getFrom()).isEqualTo(dev.arenaflow.api.v1.StartPosition.EARLIEST);
    }

    @Test
    void watchWithReconnectResumesOnTheNextAddressFromTheTrailersToken() throws Exception {
        String first = serve(streaming(1, 3, Status.UNAVAILABLE.withDescription("shutting down")));
        String second = serve(streaming(4, 6, Status.OK));
        CommandRun run = CommandRun.run("", "watch", "--api", first + "," + second, "--plugin", "session",
                "--reconnect");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4}", "{\"n\":5}",
                "{\"n\":6}");
        assertThat(subscribes).hasSize(2);
        assertThat(subscribes.get(1).getResumeToken()).isEqualTo("t3");
        assertThat(run.stderr()).contains("resuming on " + second);
    }

    @Test
    void watchWithoutReconnectEndsWithTheStatusAndTheToken() throws Exception {
        String api = serve(streaming(1, 2, Status.RESOURCE_EXHAUSTED.withDescription("fell behind")));
        CommandRun run = CommandRun.run("", "watch", "--api", api, "--plugin", "session");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).hasSize(2);
        assertThat(run.stderr()).contains("resume with --from t2").contains("RESOURCE_EXHAUSTED: fell behind");
    }

    @Test
    void getRefusedForItsTokenSaysToCheckTheTokenFile(@TempDir Path dir) throws Exception {
        String api = serve(new SnapshotServiceGrpc.SnapshotServiceImplBase() {
            @Override
            public void getLatest(GetLatestRequest request, StreamObserver<Snapshot> observer) {
                observer.onError(Status.UNAUTHENTICATED.withDescription("wrong bearer token (arenaflow.grpc.token)")
                        .asRuntimeException());
            }
        });
        Path token = Files.writeString(dir.resolve("token"), "notTheToken\n");
        CommandRun run = CommandRun.run("", "get", "--api", api, "--token-file", token.toString(), "--plugin", "p",
                "--source", "s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.stderr().lines()).singleElement().asString().contains("UNAUTHENTICATED")
                .contains("check --token-file").doesNotContain("notTheToken");
    }

    @Test
    void getFromAServerWhoseCertificateTheCaDoesNotSignExits3NamingTlsCa(@TempDir Path dir) throws Exception {
        String api = serveTls(dir);
        LocalCertificate stranger = LocalCertificate.create(dir, "stranger", "storePw");
        CommandRun run = CommandRun.run("", "get", "--api", api, "--tls-ca", stranger.certificatePem().toString(),
                "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr().lines()).singleElement().asString().startsWith("arenaflow get: TLS handshake with "
                + api + " failed").contains("check --tls-ca");
    }

    // Guards against the reconnect loop this test exists for; nothing is timed.
    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void watchWithReconnectEndsAtAnUntrustedCertificateInsteadOfRetrying(@TempDir Path dir) throws Exception {
        String api = serveTls(dir);
        LocalCertificate stranger = LocalCertificate.create(dir, "stranger", "storePw");
        CommandRun run = CommandRun.run("", "watch", "--api", api + "," + api, "--tls-ca",
                stranger.certificatePem().toString(), "--plugin", "p", "--from", "t7", "--reconnect");
        assertThat(run.exitCode()).as(run.stderr()).isEqualTo(3);
        assertThat(run.stderr().lines()).singleElement().asString().startsWith("arenaflow watch: TLS handshake with "
                + api + " failed").contains("check --tls-ca");
        assertThat(subscribes).isEmpty();
    }

    /** A TLS server with a certificate made for it, whose stream would never end if a call reached it. */
    private String serveTls(Path dir) throws Exception {
        LocalCertificate own = LocalCertificate.create(dir, "server", "storePw");
        Server server = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .useTransportSecurity(own.certificatePem().toFile(), own.keyPem().toFile())
                .addService(streaming(1, 1, Status.UNAVAILABLE)).build().start();
        servers.add(server);
        return "127.0.0.1:" + server.getPort();
    }
}
