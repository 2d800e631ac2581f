package dev.arenaflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.PendingMessage;
import dev.arenaflow.api.v1.PendingStage;
import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
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

/** {@code get}, {@code watch} and {@code why} against stand-in servers on loopback ports. */
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

    // ---- why

    private String answeringWhy(WhyReply reply) throws Exception {
        return serve(new SnapshotServiceGrpc.SnapshotServiceImplBase() {
            @Override
            public void why(WhyRequest request, StreamObserver<WhyReply> observer) {
                observer.onNext(reply.toBuilder().setPlugin(request.getPlugin()).setSource(request.getSource()).build());
                observer.onCompleted();
            }
        });
    }

    private static PendingMessage.Builder pending(long offset, int attempt, PendingStage stage) {
        return PendingMessage.newBuilder().setInputTopic("raw-events").setInputPartition(0).setInputOffset(offset)
                .setAttempt(attempt).setStage(stage);
    }

    @Test
    void whyPrintsALinePerPendingMessageWithItsStageTimesAndLastError() throws Exception {
        long until = java.time.Instant.parse("2026-12-04T21:40:01.250Z").toEpochMilli();
        WhyReply reply = WhyReply.newBuilder().addAnsweredBy("a:1").addAnsweredBy("b:2")
                .addHolders(SourceHolder.newBuilder().setTask("0_0").setInstance("b:2").setQuarantined(true)
                        .addMessages(pending(41, 1, PendingStage.IN_FLIGHT).setSinceMs(until - 60_000))
                        .addMessages(pending(42, 1, PendingStage.PARKED).setBehindOffset(41)))
                .addHolders(SourceHolder.newBuilder().setTask("0_1").setInstance("b:2")
                        .addMessages(pending(7, 2, PendingStage.WAITING_FOR_RETRY).setUntilMs(until)
                                .setLastError("TIMEOUT: attempt 1 timed out after 30000 ms"))
                        .addMessages(pending(8, 1, PendingStage.HELD_BY_PAUSE)))
                .build();
        String api = answeringWhy(reply);

        CommandRun run = CommandRun.run("", "why", "--api", api, "--plugin", "p", "--source", "s");

        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly(
                "raw-events-0@41 attempt 1 in flight since 2026-12-04T21:39:01Z (source quarantined)",
                "raw-events-0@42 attempt 1 parked behind @41 (source quarantined)",
                "raw-events-0@7 attempt 2 waiting for retry until 2026-12-04T21:40:01Z "
                        + "(last error: TIMEOUT: attempt 1 timed out after 30000 ms)",
                "raw-events-0@8 attempt 1 held by pause");
        assertThat(run.stderr()).contains("answered by a:1, b:2").doesNotContain("not answered");
    }

    @Test
    void whyWithNothingPendingSaysSoAndExitsZero() throws Exception {
        String api = answeringWhy(WhyReply.newBuilder().addAnsweredBy("a:1").build());
        CommandRun run = CommandRun.run("", "why", "--api", api, "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).containsExactly("nothing pending for source s of plugin p");
    }

    @Test
    void whyJsonPrintsTheReplyAndNamesWhatDidNotAnswer() throws Exception {
        String api = answeringWhy(WhyReply.newBuilder().addAnsweredBy("a:1").addUnanswered("b:2: Kafka Streams is "
                + "REBALANCING").addHolders(SourceHolder.newBuilder().setTask("0_0").setInstance("a:1")
                .addMessages(pending(3, 1, PendingStage.HELD_BY_PAUSE))).build());
        CommandRun run = CommandRun.run("", "why", "--api", api, "--plugin", "p", "--source", "s", "--json");
        assertThat(run.exitCode()).as(run.stderr()).isZero();
        assertThat(run.lines()).hasSize(1);
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper()
                .readTree(run.lines().get(0));
        assertThat(json.path("source").asText()).isEqualTo("s");
        assertThat(json.path("holders").get(0).path("messages").get(0).path("stage").asText())
                .isEqualTo("HELD_BY_PAUSE");
        assertThat(json.path("holders").get(0).path("messages").get(0).path("inputOffset").asLong()).isEqualTo(3);
        assertThat(json.path("holders").get(0).path("quarantined").asBoolean(true)).isFalse();
        assertThat(run.stderr()).contains("not answered (the list may be incomplete): b:2: Kafka Streams is REBALANCING");
    }

    @Test
    void whyUnansweredExitsOneWithTheStatus() throws Exception {
        String api = serve(new SnapshotServiceGrpc.SnapshotServiceImplBase() {
            @Override
            public void why(WhyRequest request, StreamObserver<WhyReply> observer) {
                observer.onError(Status.UNAVAILABLE.withDescription("b:2: Kafka Streams is REBALANCING")
                        .asRuntimeException());
            }
        });
        CommandRun run = CommandRun.run("", "why", "--api", api, "--plugin", "p", "--source", "s");
        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.lines()).isEmpty();
        assertThat(run.stderr()).startsWith("arenaflow why: UNAVAILABLE: b:2: Kafka Streams is REBALANCING (from " + api);
    }
}
