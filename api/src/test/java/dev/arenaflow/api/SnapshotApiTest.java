package dev.arenaflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.api.latest.LatestSnapshots;
import dev.arenaflow.api.latest.StoreView;
import dev.arenaflow.api.subscribe.ResumeToken;
import dev.arenaflow.api.subscribe.Subscriptions;
import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import dev.arenaflow.topology.latest.LatestSnapshot;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.KeyQueryMetadata;
import org.apache.kafka.streams.query.FailureReason;
import org.apache.kafka.streams.query.QueryResult;
import org.apache.kafka.streams.query.StateQueryRequest;
import org.apache.kafka.streams.query.StateQueryResult;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The API's statuses and stream semantics, in process: Kafka stands in as a MockConsumer log and a fake store view. */
class SnapshotApiTest {

    private static final String PLUGIN = "session";
    private static final String TOPIC = "app.snapshots.session";
    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);
    private static final Deserializer<Object> TEXT = (topic, data) -> new String(data, StandardCharsets.UTF_8);

    private final FakeSnapshotLog log = new FakeSnapshotLog(TOPIC, 2);
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** A store view whose owner and answer the test sets. */
    private static final class Stores implements StoreView {
        volatile KeyQueryMetadata owner = KeyQueryMetadata.NOT_AVAILABLE;
        volatile QueryResult<byte[]> answer;

        @Override
        public KeyQueryMetadata metadata(String store, String key, Serializer<String> keys) {
            return owner;
        }

        @Override
        public StateQueryResult<byte[]> query(StateQueryRequest<byte[]> request) {
            StateQueryResult<byte[]> result = new StateQueryResult<>();
            request.getPartitions().forEach(p -> result.addResult(p, answer));
            return result;
        }

        void own(HostInfo host, int partition) {
            owner = new KeyQueryMetadata(host, Set.of(), partition);
        }
    }

    /** One instance under test: the service on an in-process server named after its host. */
    private final class Instance implements AutoCloseable {
        final Stores stores = new Stores();
        final Subscriptions subscriptions;
        final Server server;
        final ManagedChannel channel;
        final Forwarding forwarding;
        final LatestSnapshots latest;
        volatile boolean started = true;

        Instance(HostInfo self, int maxSubscribers, int buffer, Duration stall) throws Exception {
            Function<String, SnapshotConverter> converters = p -> new SnapshotConverter(p, TEXT);
            forwarding = new Forwarding(() -> name(self), 2_000, h -> InProcessChannelBuilder.forName(name(h)).build());
            latest = new LatestSnapshots(() -> started ? stores : null, () -> self, Map.of(PLUGIN, TOPIC), converters,
                    forwarding);
            subscriptions = new Subscriptions(new Subscriptions.Settings(Map.of(PLUGIN, TOPIC), maxSubscribers, buffer,
                    stall), log::consumer, converters);
            server = InProcessServerBuilder.forName(name(self)).addService(ServerInterceptors.intercept(
                    // Why has its own test, WhyApiTest.
                    new SnapshotApi(Set.of(PLUGIN), latest, subscriptions, null), Forwarding.interceptor()))
                    .build().start();
            channel = InProcessChannelBuilder.forName(name(self)).build();
            closing.add(this);
        }

        Snapshot get(String plugin, String source) {
            return SnapshotServiceGrpc.newBlockingStub(channel).getLatest(
                    GetLatestRequest.newBuilder().setPlugin(plugin).setSource(source).build());
        }

        @Override
        public void close() {
            subscriptions.close();
            channel.shutdownNow();
            server.shutdownNow();
            forwarding.close();
        }
    }

    private static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private Instance instance() throws Exception {
        return new Instance(A, 10, 100, Duration.ofSeconds(30));
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    // ---- GetLatest

    @Test
    void getLatestAnswersFromTheLocalStoreWithTheExactBytesAndConsumesJson() throws Exception {
        Instance a = instance();
        a.stores.own(A, 1);
        a.stores.answer = QueryResult.forResult(new LatestSnapshot(1, 7, 1_000, bytes("v7")).encode());
        Snapshot snapshot = a.get(PLUGIN, "dev-1");
        assertThat(snapshot.getAvro().toStringUtf8()).isEqualTo("v7");
        assertThat(snapshot.getTopic()).isEqualTo(TOPIC);
        assertThat(snapshot.getPartition()).isEqualTo(1);
        assertThat(snapshot.getOffset()).isEqualTo(7);
        assertThat(snapshot.getTimestampMs()).isEqualTo(1_000);
        assertThat(snapshot.getSource()).isEqualTo("dev-1");
        assertThat(snapshot.getPlugin()).isEqualTo(PLUGIN);
        assertThat(snapshot.getJson()).isEqualTo(
                "{\"topic\":\"app.snapshots.session\",\"partition\":1,\"offset\":7,\"key\":\"dev-1\",\"value\":\"v7\"}");
    }

    @Test
    void getLatestIsNotFoundForASourceWithoutSnapshot() throws Exception {
        Instance a = instance();
        a.stores.own(A, 0);
        a.stores.answer = QueryResult.forResult(null);
        assertStatus(() -> a.get(PLUGIN, "nobody"), Status.Code.NOT_FOUND, "no snapshot of source 'nobody'");
    }

    @Test
    void getLatestIsUnavailableWhileNoInstanceCanAnswer() throws Exception {
        Instance a = instance();
        a.started = false;
        assertStatus(() -> a.get(PLUGIN, "dev-1"), Status.Code.UNAVAILABLE, "starting");
        a.started = true;
        a.stores.owner = KeyQueryMetadata.NOT_AVAILABLE;
        assertStatus(() -> a.get(PLUGIN, "dev-1"), Status.Code.UNAVAILABLE, "rebalance");
        a.stores.own(A, 1);
        a.stores.answer = QueryResult.forFailure(FailureReason.NOT_ACTIVE, "partition 1 is restoring");
        assertStatus(() -> a.get(PLUGIN, "dev-1"), Status.Code.UNAVAILABLE, "NOT_ACTIVE");
    }

    @Test
    void getLatestRefusesAnUnknownPluginOrAnEmptySource() throws Exception {
        Instance a = instance();
        assertStatus(() -> a.get("nope", "dev-1"), Status.Code.INVALID_ARGUMENT, "plugin 'nope' is not run");
        assertStatus(() -> a.get(PLUGIN, ""), Status.Code.INVALID_ARGUMENT, "source is empty");
    }

    @Test
    void getLatestIsForwardedToTheOwner() throws Exception {
        Instance a = instance();
        Instance b = new Instance(B, 10, 100, Duration.ofSeconds(30));
        a.stores.own(B, 1);
        b.stores.own(B, 1);
        b.stores.answer = QueryResult.forResult(new LatestSnapshot(1, 3, 5, bytes("from b")).encode());
        assertThat(a.get(PLUGIN, "dev-1").getAvro().toStringUtf8()).isEqualTo("from b");
    }

    @Test
    void aForwardedRequestIsNeverForwardedAgain() throws Exception {
        Instance a = instance();
        Instance b = new Instance(B, 10, 100, Duration.ofSeconds(30));
        a.stores.own(B, 1);
        b.stores.own(A, 1);
        assertStatus(() -> a.get(PLUGIN, "dev-1"), Status.Code.UNAVAILABLE, "forwarded this request here");
    }

    @Test
    void anOwnerThatDoesNotAnswerIsUnavailable() throws Exception {
        Instance a = instance();
        a.stores.own(new HostInfo("gone", 9), 1);
        assertStatus(() -> a.get(PLUGIN, "dev-1"), Status.Code.UNAVAILABLE, "gone:9, did not answer");
    }

    // ---- Subscribe

    @Test
    void subscribeFromLatestGivesTheStartTokenThenEverySnapshotInOrder() throws Exception {
        Instance a = instance();
        log.append(0, "old", "before");
        StreamProbe probe = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        SnapshotEvent start = probe.next();
        assertThat(start.hasSnapshot()).isFalse();
        assertThat(ResumeToken.decode(start.getResumeToken(), TOPIC)).containsExactly(1, 0);
        log.append(0, "s1", "one");
        log.append(1, "s2", "two");
        log.append(0, "s1", "three");
        List<SnapshotEvent> events = probe.next(3);
        assertThat(values(events)).containsExactlyInAnyOrder("one", "two", "three");
        assertThat(values(events.stream().filter(e -> e.getSnapshot().getPartition() == 0).toList()))
                .containsExactly("one", "three");
        SnapshotEvent last = events.get(2);
        assertThat(ResumeToken.decode(last.getResumeToken(), TOPIC)).containsExactly(3, 1);
    }

    @Test
    void subscribeFromEarliestCatchesUpThenFollowsWithoutGapOrDuplicate() throws Exception {
        Instance a = instance();
        for (int i = 0; i < 20; i++) {
            log.append(i % 2, "s" + i % 3, "old-" + i);
        }
        StreamProbe probe = StreamProbe.open(a.channel, from(StartPosition.EARLIEST));
        probe.next();
        List<SnapshotEvent> old = probe.next(20);
        for (int i = 0; i < 20; i++) {
            log.append(i % 2, "s" + i % 3, "new-" + i);
        }
        List<SnapshotEvent> fresh = probe.next(20);
        List<String> all = new ArrayList<>(values(old));
        all.addAll(values(fresh));
        assertThat(all).doesNotHaveDuplicates().hasSize(40);
        assertOffsetsAscendPerPartition(old, fresh);
        assertThat(probe.drained()).isEmpty();
    }

    @Test
    void resumingWithATokenGivesEveryLaterSnapshotExactlyOnce() throws Exception {
        Instance a = instance();
        for (int i = 0; i < 10; i++) {
            log.append(i % 2, "s", "v" + i);
        }
        StreamProbe first = StreamProbe.open(a.channel, from(StartPosition.EARLIEST));
        first.next();
        List<SnapshotEvent> seen = first.next(4);
        first.cancel();
        String token = seen.get(3).getResumeToken();
        for (int i = 10; i < 14; i++) {
            log.append(i % 2, "s", "v" + i);
        }
        StreamProbe second = StreamProbe.open(a.channel, SubscribeRequest.newBuilder().setPlugin(PLUGIN)
                .setResumeToken(token).build());
        assertThat(second.next().getResumeToken()).isEqualTo(token);
        List<SnapshotEvent> rest = second.next(10);
        List<String> all = new ArrayList<>(values(seen));
        all.addAll(values(rest));
        assertThat(all).containsExactlyInAnyOrder("v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10",
                "v11", "v12", "v13");
    }

    @Test
    void subscribeOnlyToSomeSources() throws Exception {
        Instance a = instance();
        StreamProbe probe = StreamProbe.open(a.channel, SubscribeRequest.newBuilder().setPlugin(PLUGIN)
                .addSources("keep").setFrom(StartPosition.LATEST).build());
        probe.next();
        log.append(0, "drop", "x");
        log.append(1, "keep", "k1");
        log.append(0, "drop", "y");
        log.append(0, "keep", "k2");
        assertThat(values(probe.next(2))).containsExactlyInAnyOrder("k1", "k2");
    }

    @Test
    void aBadOrForeignTokenIsInvalidArgument() throws Exception {
        Instance a = instance();
        StreamProbe bad = StreamProbe.open(a.channel, token("garbage!"));
        assertThat(bad.end().status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        StreamProbe foreign = StreamProbe.open(a.channel, token(ResumeToken.encode("other.snapshots.session",
                new long[] {0, 0})));
        StreamProbe.End end = foreign.end();
        assertThat(end.status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
        assertThat(end.status().getDescription()).contains("another plugin or application");
        StreamProbe wider = StreamProbe.open(a.channel, token(ResumeToken.encode(TOPIC, new long[] {0, 0, 0})));
        assertThat(wider.end().status().getDescription()).contains("names 3 partitions");
        assertThat(a.subscriptions.active()).isZero();
    }

    @Test
    void anUnknownPluginIsInvalidArgument() throws Exception {
        Instance a = instance();
        StreamProbe probe = StreamProbe.open(a.channel, SubscribeRequest.newBuilder().setPlugin("nope").build());
        assertThat(probe.end().status().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    }

    @Test
    void subscribersPastTheLimitAreRefused() throws Exception {
        Instance a = new Instance(A, 2, 100, Duration.ofSeconds(30));
        StreamProbe one = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        StreamProbe two = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        one.next();
        two.next();
        StreamProbe three = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        StreamProbe.End end = three.end();
        assertThat(end.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(end.status().getDescription()).contains("at most 2 subscribers");
        one.cancel();
        awaitActive(a, 1);
        StreamProbe four = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        assertThat(four.next().hasSnapshot()).isFalse();
    }

    @Test
    void aLiveSubscriberThatStopsReadingIsEndedWithATokenThatResumesWithoutGap() throws Exception {
        Instance a = new Instance(A, 10, 5, Duration.ofSeconds(30));
        StreamProbe stalled = StreamProbe.open(a.channel, from(StartPosition.LATEST), 1);
        String startToken = stalled.next().getResumeToken();
        for (int i = 0; i < 20; i++) {
            log.append(i % 2, "s", "v" + i);
        }
        StreamProbe.End end = stalled.end();
        assertThat(end.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(end.status().getDescription()).contains("buffer of 5 snapshots is full");
        assertThat(end.token()).isEqualTo(startToken);
        awaitActive(a, 0);
        StreamProbe resumed = StreamProbe.open(a.channel, token(end.token()));
        resumed.next();
        assertThat(values(resumed.next(20))).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void aCatchingUpSubscriberWaitsForItsClientButNotForever() throws Exception {
        Instance a = new Instance(A, 10, 3, Duration.ofMillis(300));
        for (int i = 0; i < 30; i++) {
            log.append(0, "s", "v" + i);
        }
        StreamProbe slow = StreamProbe.open(a.channel, from(StartPosition.EARLIEST), 3);
        List<SnapshotEvent> taken = slow.next(3);
        StreamProbe.End end = slow.end();
        assertThat(end.status().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
        assertThat(end.status().getDescription()).contains("took no snapshot for 300 ms");
        assertThat(end.token()).isEqualTo(taken.get(2).getResumeToken());
        StreamProbe resumed = StreamProbe.open(a.channel, token(end.token()));
        resumed.next();
        List<String> all = new ArrayList<>(values(taken.subList(1, 3)));
        all.addAll(values(resumed.next(28)));
        assertThat(all).hasSize(30).doesNotHaveDuplicates();
        awaitOpenConsumers(1);
    }

    @Test
    void aTokenBeforeWhatRetentionKeptIsOutOfRange() throws Exception {
        Instance a = instance();
        for (int i = 0; i < 6; i++) {
            log.append(0, "s", "v" + i);
        }
        log.deleteBefore(0, 3);
        StreamProbe probe = StreamProbe.open(a.channel, token(ResumeToken.encode(TOPIC, new long[] {0, 0})));
        assertThat(probe.end().status().getCode()).isEqualTo(Status.Code.OUT_OF_RANGE);
    }

    @Test
    void shutdownEndsStreamsWithUnavailableAndTheirTokens() throws Exception {
        Instance a = instance();
        StreamProbe probe = StreamProbe.open(a.channel, from(StartPosition.LATEST));
        probe.next();
        log.append(1, "s", "last");
        SnapshotEvent last = probe.next();
        a.subscriptions.close();
        StreamProbe.End end = probe.end();
        assertThat(end.status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        assertThat(end.status().getDescription()).contains("shutting down");
        assertThat(end.token()).isEqualTo(last.getResumeToken());
    }

    @Test
    void cancellingFreesTheSubscribersSlotAndItsReader() throws Exception {
        Instance a = instance();
        for (int i = 0; i < 5; i++) {
            log.append(0, "s", "v" + i);
        }
        StreamProbe probe = StreamProbe.open(a.channel, from(StartPosition.EARLIEST), 2);
        probe.next(2);
        assertThat(a.subscriptions.active()).isEqualTo(1);
        probe.cancel();
        awaitActive(a, 0);
        awaitOpenConsumers(1);
    }

    // ---- helpers

    private static SubscribeRequest from(StartPosition start) {
        return SubscribeRequest.newBuilder().setPlugin(PLUGIN).setFrom(start).build();
    }

    private static SubscribeRequest token(String token) {
        return SubscribeRequest.newBuilder().setPlugin(PLUGIN).setResumeToken(token).build();
    }

    private static List<String> values(List<SnapshotEvent> events) {
        return events.stream().map(e -> e.getSnapshot().getAvro().toStringUtf8()).toList();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @SafeVarargs
    private static void assertOffsetsAscendPerPartition(List<SnapshotEvent>... batches) {
        long[] last = {-1, -1};
        for (List<SnapshotEvent> batch : batches) {
            for (SnapshotEvent event : batch) {
                int p = event.getSnapshot().getPartition();
                assertThat(event.getSnapshot().getOffset()).isGreaterThan(last[p]);
                last[p] = event.getSnapshot().getOffset();
            }
        }
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }

    private static void awaitActive(Instance instance, int expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (instance.subscriptions.active() != expected) {
            assertThat(System.nanoTime()).as("subscribers active: %d", instance.subscriptions.active())
                    .isLessThan(deadline);
            Thread.sleep(10);
        }
    }

    /** Only the tail's consumer stays open once every catch-up has ended. */
    private void awaitOpenConsumers(long expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (log.openConsumers() != expected) {
            assertThat(System.nanoTime()).as("open consumers: %d", log.openConsumers()).isLessThan(deadline);
            Thread.sleep(10);
        }
    }
}
