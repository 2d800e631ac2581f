package dev.arenaflow.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.arenaflow.api.v1.GetLatestRequest;
import dev.arenaflow.api.v1.Snapshot;
import dev.arenaflow.api.v1.SnapshotEvent;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.StartPosition;
import dev.arenaflow.api.v1.SubscribeRequest;
import dev.arenaflow.cli.api.ApiAddress;
import dev.arenaflow.cli.api.SnapshotWatch;
import dev.arenaflow.cli.it.support.ApiInstance;
import dev.arenaflow.cli.it.support.AppSettings;
import dev.arenaflow.cli.it.support.InputFeed;
import dev.arenaflow.cli.it.support.InputLedger;
import dev.arenaflow.cli.it.support.ItApp;
import dev.arenaflow.cli.it.support.StackPerClass;
import dev.arenaflow.topology.ArenaflowConfig;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ClientCallStreamObserver;
import io.grpc.stub.ClientResponseObserver;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.StreamsConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The API layer on a real broker and registry, each instance a real {@code arenaflow run} in its
 * own JVM, under exactly_once_v2: GetLatest is right on every instance or says UNAVAILABLE, while
 * records flow and instances leave and join; a subscriber resumes on another instance after the
 * first is SIGKILLed and sees every snapshot once; a client that stops reading is ended with
 * RESOURCE_EXHAUSTED and a token that resumes without a gap.
 */
class ApiIT {

    private static final Duration WAIT = Duration.ofSeconds(120);
    private static final String PLUGIN = "session";
    private static final int SOURCES = 12;

    @RegisterExtension
    static final StackPerClass STACK = StackPerClass.forKilledInstances("arenaflow-api-it-");

    @Test
    void getLatestIsRightOnEveryInstanceOrUnavailableWhileRecordsFlowAndInstancesLeaveAndJoin() throws Exception {
        String app = "api-latest";
        Map<String, String> settings = settings(app, 4);
        Path dir = STACK.workDir().resolve(app);
        ApiInstance one = ApiInstance.start("one", dir, settings, "384m");
        AtomicReference<ApiInstance> two = new AtomicReference<>(ApiInstance.start("two", dir, settings, "384m"));
        try {
            one.awaitServing(WAIT);
            two.get().awaitServing(WAIT);
            InputFeed feed = new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES,
                    new InputLedger()).start(4000, 250);
            Querier atOne = new Querier(one::address);
            Querier atTwo = new Querier(() -> two.get().address());
            atOne.start();
            atTwo.start();
            atOne.awaitOk(SOURCES);
            atTwo.awaitOk(SOURCES);
            // A rebalance while queries run: two leaves (SIGTERM), then a new two joins.
            assertThat(two.get().terminate()).as("exit status of SIGTERM (143: the JVM ran its hooks)").isIn(0, 143);
            atOne.awaitMoreOk(200);
            two.set(ApiInstance.start("two-again", dir, settings, "384m"));
            two.get().awaitServing(WAIT);
            feed.awaitDone(WAIT);

            Map<String, ConsumerRecord<byte[], byte[]>> last = new HashMap<>();
            Map<String, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
            for (ConsumerRecord<byte[], byte[]> r : ItApp.readAll(STACK.get(), snapshotTopic(app), 4000,
                    new ByteArrayDeserializer())) {
                last.put(new String(r.key(), StandardCharsets.UTF_8), r);
                byPosition.put(r.partition() + "@" + r.offset(), r);
            }
            assertThat(byPosition).hasSize(4000);
            for (Querier querier : List.of(atOne, atTwo)) {
                querier.awaitLatest(last);
                querier.stop();
            }
            for (Querier querier : List.of(atOne, atTwo)) {
                System.out.printf("ApiIT latest: %s%n", querier.summary());
                querier.assertNeverWrong(byPosition);
            }
            assertThat(atTwo.count(Status.Code.UNAVAILABLE)).as("instance two was away for a while").isPositive();
        } finally {
            one.close();
            two.get().close();
        }
    }

    @Test
    void aSubscriberResumesOnAnotherInstanceAfterTheFirstIsKilledAndSeesEverySnapshotOnce() throws Exception {
        String app = "api-resume";
        Map<String, String> settings = settings(app, 4);
        Path dir = STACK.workDir().resolve(app);
        try (ApiInstance a = ApiInstance.start("a", dir, settings, "384m");
             ApiInstance b = ApiInstance.start("b", dir, settings, "384m")) {
            a.awaitServing(WAIT);
            b.awaitServing(WAIT);
            int total = 3000;
            InputFeed feed = new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES,
                    new InputLedger()).start(total, 200);
            List<Snapshot> received = new CopyOnWriteArrayList<>();
            List<String> log = new CopyOnWriteArrayList<>();
            SnapshotWatch watch = new SnapshotWatch(List.of(a.address(), b.address()), PLUGIN, List.of(), "earliest",
                    true, log::add);
            CompletableFuture<SnapshotWatch.End> ended = CompletableFuture.supplyAsync(() -> {
                try {
                    return watch.run(e -> {
                        if (e.hasSnapshot()) {
                            received.add(e.getSnapshot());
                        }
                    });
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            });
            awaitSize(received, 800, "snapshots before the kill");
            a.kill();
            feed.awaitDone(WAIT);
            awaitSize(received, total, "every snapshot, after resuming on b");
            watch.stop();
            assertThat(ended.get(30, TimeUnit.SECONDS).status().getCode()).isEqualTo(Status.Code.CANCELLED);
            System.out.printf("ApiIT resume: %d snapshots received; the client said: %s%n", received.size(), log);
            assertThat(log).anySatisfy(line -> assertThat(line).contains("resuming on " + b.address()));

            List<ConsumerRecord<byte[], byte[]>> topic = ItApp.readAll(STACK.get(), snapshotTopic(app), total,
                    new ByteArrayDeserializer());
            assertThat(topic).hasSize(total);
            assertThat(positions(received)).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(topic.stream().map(r -> r.partition() + "@" + r.offset()).toList());
            assertSequencesAscendPerSource(received);
        }
    }

    @Test
    void aClientThatStopsReadingIsEndedWithATokenThatResumesWithoutGap() throws Exception {
        String app = "api-slow";
        Map<String, String> settings = settings(app, 2);
        settings.put(ArenaflowConfig.GRPC_SUBSCRIBER_BUFFER, "50");
        Path dir = STACK.workDir().resolve(app);
        try (ApiInstance instance = ApiInstance.start("instance", dir, settings, "256m")) {
            instance.awaitServing(WAIT);
            Stalled stalled = new Stalled(instance.address());
            stalled.awaitFirst();
            int total = 6000;
            new InputFeed(STACK.kafka().bootstrapServers(), AppSettings.inputTopic(app), SOURCES, new InputLedger())
                    .start(total, 1500).awaitDone(WAIT);
            List<ConsumerRecord<byte[], byte[]>> topic = ItApp.readAll(STACK.get(), snapshotTopic(app), total,
                    new ByteArrayDeserializer());
            assertThat(topic).hasSize(total);
            long heap = heapUsedAfterGc(instance.pid());
            System.out.printf("ApiIT slow client: instance heap after GC %,d KB with a stalled subscriber%n", heap / 1024);
            assertThat(heap).as("heap after GC, bytes, of a 256m instance holding a stalled subscriber")
                    .isLessThan(128L * 1024 * 1024);

            List<Snapshot> first = stalled.readAllAndEnd();
            assertThat(stalled.status.getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
            assertThat(stalled.status.getDescription()).contains("buffer of 50 snapshots is full");
            assertThat(first.size()).as("snapshots the stalled client had been sent").isLessThan(total);
            assertThat(instance.alive()).isTrue();

            List<Snapshot> rest = new CopyOnWriteArrayList<>();
            SnapshotWatch resume = new SnapshotWatch(List.of(instance.address()), PLUGIN, List.of(), stalled.token,
                    false, line -> { });
            CompletableFuture.runAsync(() -> {
                try {
                    resume.run(e -> {
                        if (e.hasSnapshot()) {
                            rest.add(e.getSnapshot());
                        }
                    });
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            awaitSize(rest, total - first.size(), "the rest after the token");
            resume.stop();
            System.out.printf("ApiIT slow client: %d snapshots before RESOURCE_EXHAUSTED, %d after resuming%n",
                    first.size(), rest.size());
            List<String> all = new ArrayList<>(positions(first));
            all.addAll(positions(rest));
            assertThat(all).doesNotHaveDuplicates()
                    .containsExactlyInAnyOrderElementsOf(topic.stream().map(r -> r.partition() + "@" + r.offset()).toList());
        }
    }

    // ---- helpers

    private static Map<String, String> settings(String app, int partitions) throws InterruptedException {
        STACK.kafka().createTopics(Map.of(AppSettings.inputTopic(app), partitions));
        Map<String, String> settings = AppSettings.of(STACK.get(), app, StreamsConfig.EXACTLY_ONCE_V2, Path.of("unused"));
        settings.keySet().removeIf(k -> k.startsWith(ArenaflowConfig.PLUGIN_PREFIX));
        settings.put(ArenaflowConfig.PLUGINS, PLUGIN);
        settings.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, "200");
        return settings;
    }

    private static String snapshotTopic(String app) {
        return app + ".snapshots." + PLUGIN;
    }

    private static List<String> positions(List<Snapshot> snapshots) {
        return snapshots.stream().map(s -> s.getPartition() + "@" + s.getOffset()).toList();
    }

    private static void assertSequencesAscendPerSource(List<Snapshot> received) {
        Map<String, Long> last = new HashMap<>();
        for (Snapshot s : received) {
            Long before = last.put(s.getSource(), s.getMeta().getSequence());
            if (before != null) {
                assertThat(s.getMeta().getSequence()).as("sequence of %s after %d", s.getSource(), before)
                        .isGreaterThan(before);
            }
        }
    }

    private static void awaitSize(List<?> list, int size, String what) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (list.size() < size) {
            assertThat(System.nanoTime()).as("%s: %d of %d", what, list.size(), size).isLessThan(deadline);
            Thread.sleep(50);
        }
    }

    /** Heap in use after a full GC, as {@code jcmd GC.heap_info} reports it. */
    private static long heapUsedAfterGc(long pid) throws Exception {
        jcmd(pid, "GC.run");
        String info = jcmd(pid, "GC.heap_info");
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("used (\\d+)K").matcher(info);
        long used = 0;
        while (m.find()) {
            used += Long.parseLong(m.group(1)) * 1024;
        }
        assertThat(used).as("jcmd GC.heap_info: %s", info).isPositive();
        return used;
    }

    private static String jcmd(long pid, String command) throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString(),
                Long.toString(pid), command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return out;
    }

    /** A client that asks every source's latest snapshot of one instance, over and over, and keeps every answer. */
    private static final class Querier {
        record Answer(String source, Status.Code code, String position, byte[] avro, String key) {
        }

        private final Supplier<ApiAddress> address;
        private final List<Answer> answers = new CopyOnWriteArrayList<>();
        private final Map<String, Answer> lastOk = new ConcurrentHashMap<>();
        private final AtomicInteger ok = new AtomicInteger();
        private volatile boolean stopped;
        private Thread thread;

        Querier(Supplier<ApiAddress> address) {
            this.address = address;
        }

        void start() {
            thread = new Thread(this::run, "querier");
            thread.setDaemon(true);
            thread.start();
        }

        private void run() {
            while (!stopped) {
                ApiAddress at = address.get();
                ManagedChannel channel = at.channel();
                try {
                    for (int i = 0; i < SOURCES && !stopped; i++) {
                        ask(channel, "src-" + i);
                    }
                } finally {
                    channel.shutdownNow();
                }
            }
        }

        private void ask(ManagedChannel channel, String source) {
            try {
                Snapshot s = SnapshotServiceGrpc.newBlockingStub(channel).withDeadlineAfter(5, TimeUnit.SECONDS)
                        .getLatest(GetLatestRequest.newBuilder().setPlugin(PLUGIN).setSource(source).build());
                Answer answer = new Answer(source, Status.Code.OK, s.getPartition() + "@" + s.getOffset(),
                        s.getAvro().toByteArray(), s.getSource());
                answers.add(answer);
                lastOk.put(source, answer);
                ok.incrementAndGet();
            } catch (StatusRuntimeException e) {
                answers.add(new Answer(source, e.getStatus().getCode(), null, null, null));
                if (e.getStatus().getCode() == Status.Code.UNAVAILABLE) {
                    // Pacing only, not waiting on anything: a refused connection fails at once, and a
                    // querier spinning on it would starve the instances of this 2-core machine.
                    pause();
                }
            }
        }

        private static void pause() {
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void awaitOk(int sources) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (lastOk.size() < sources) {
                assertThat(System.nanoTime()).as("sources answered: %s", lastOk.keySet()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        void awaitMoreOk(int more) throws InterruptedException {
            int target = ok.get() + more;
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (ok.get() < target) {
                assertThat(System.nanoTime()).as("OK answers: %d", ok.get()).isLessThan(deadline);
                Thread.sleep(50);
            }
        }

        /** Waits until this instance answers the topic's last snapshot for every source. */
        void awaitLatest(Map<String, ConsumerRecord<byte[], byte[]>> last) throws InterruptedException {
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (!last.entrySet().stream().allMatch(e -> lastOk.containsKey(e.getKey())
                    && Arrays.equals(lastOk.get(e.getKey()).avro(), e.getValue().value()))) {
                assertThat(System.nanoTime()).as("latest answers of %s", address.get()).isLessThan(deadline);
                Thread.sleep(100);
            }
        }

        void stop() throws InterruptedException {
            stopped = true;
            thread.join();
        }

        long count(Status.Code code) {
            return answers.stream().filter(a -> a.code() == code).count();
        }

        String summary() {
            Map<Status.Code, Long> byCode = new HashMap<>();
            answers.forEach(a -> byCode.merge(a.code(), 1L, Long::sum));
            return answers.size() + " answers " + byCode;
        }

        /**
         * Every snapshot answered is, byte for byte, the topic's record at the position it names
         * and of the source asked; per source, answers never go back; and a source once answered
         * is never NOT_FOUND again. The only other answer is UNAVAILABLE.
         */
        void assertNeverWrong(Map<String, ConsumerRecord<byte[], byte[]>> byPosition) {
            Map<String, Long> lastOffset = new HashMap<>();
            Set<String> found = new HashSet<>();
            for (Answer a : answers) {
                switch (a.code()) {
                    case OK -> {
                        ConsumerRecord<byte[], byte[]> record = byPosition.get(a.position());
                        assertThat(record).as("a committed snapshot at %s", a.position()).isNotNull();
                        assertThat(a.avro()).isEqualTo(record.value());
                        assertThat(a.key()).isEqualTo(a.source()).isEqualTo(new String(record.key(), StandardCharsets.UTF_8));
                        long offset = record.offset();
                        Long before = lastOffset.put(a.source(), offset);
                        assertThat(offset).as("answers for %s never go back", a.source())
                                .isGreaterThanOrEqualTo(before == null ? -1 : before);
                        found.add(a.source());
                    }
                    case NOT_FOUND -> assertThat(found).as("NOT_FOUND after a snapshot of %s", a.source())
                            .doesNotContain(a.source());
                    case UNAVAILABLE -> { }
                    default -> throw new AssertionError("unexpected answer " + a.code() + " for " + a.source());
                }
            }
        }
    }

    /** A Subscribe client that takes one event, then stops reading until told to read everything. */
    private static final class Stalled implements ClientResponseObserver<SubscribeRequest, SnapshotEvent> {
        private final ManagedChannel channel;
        private final List<Snapshot> snapshots = new CopyOnWriteArrayList<>();
        private final CompletableFuture<Void> first = new CompletableFuture<>();
        private final CompletableFuture<Void> done = new CompletableFuture<>();
        private ClientCallStreamObserver<SubscribeRequest> call;
        volatile Status status;
        volatile String token;

        Stalled(ApiAddress address) {
            channel = address.channel();
            SnapshotServiceGrpc.newStub(channel).subscribe(SubscribeRequest.newBuilder().setPlugin(PLUGIN)
                    .setFrom(StartPosition.LATEST).build(), this);
        }

        @Override
        public void beforeStart(ClientCallStreamObserver<SubscribeRequest> requestStream) {
            call = requestStream;
            requestStream.disableAutoRequestWithInitial(1);
        }

        @Override
        public void onNext(SnapshotEvent event) {
            token = event.getResumeToken();
            if (event.hasSnapshot()) {
                snapshots.add(event.getSnapshot());
            }
            first.complete(null);
        }

        @Override
        public void onError(Throwable t) {
            status = Status.fromThrowable(t);
            Metadata trailers = Status.trailersFromThrowable(t);
            String trailer = trailers == null ? null : trailers.get(SnapshotWatch.TOKEN_TRAILER);
            if (trailer != null) {
                token = trailer;
            }
            done.complete(null);
        }

        @Override
        public void onCompleted() {
            status = Status.OK;
            done.complete(null);
        }

        void awaitFirst() throws Exception {
            first.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        }

        List<Snapshot> readAllAndEnd() throws Exception {
            call.request(Integer.MAX_VALUE);
            done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
            channel.shutdownNow();
            return snapshots;
        }
    }
}
