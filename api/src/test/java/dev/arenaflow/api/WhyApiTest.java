package dev.arenaflow.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.arenaflow.api.v1.PendingStage;
import dev.arenaflow.api.v1.SnapshotServiceGrpc;
import dev.arenaflow.api.v1.SourceHolder;
import dev.arenaflow.api.v1.WhyReply;
import dev.arenaflow.api.v1.WhyRequest;
import dev.arenaflow.api.why.LocalTasks;
import dev.arenaflow.api.why.WhyAnswers;
import dev.arenaflow.topology.why.PendingMessage;
import dev.arenaflow.topology.why.PendingMessage.Stage;
import dev.arenaflow.topology.why.PendingMessages;
import dev.arenaflow.topology.why.SourceReport;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.state.HostInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code Why} in process: instances are in-process servers that forward to each other, and each
 * one's tasks are a real {@link PendingMessages} answered by a test thread standing in for the
 * stream threads.
 */
class WhyApiTest {

    private static final String PLUGIN = "stuck";
    private static final HostInfo A = new HostInfo("a", 1);
    private static final HostInfo B = new HostInfo("b", 2);

    private final List<HostInfo> members = new CopyOnWriteArrayList<>(List.of(A, B));
    private final List<AutoCloseable> closing = new ArrayList<>();

    /** One instance: its tasks, whose reports the test sets, and the service on an in-process server. */
    private final class Instance implements LocalTasks.View, AutoCloseable {
        final PendingMessages pending = new PendingMessages();
        final Map<String, Map<String, SourceReport>> held = new ConcurrentHashMap<>();
        final Map<String, PendingMessages.Task> polled = new ConcurrentHashMap<>();
        volatile KafkaStreams.State state = KafkaStreams.State.RUNNING;
        volatile int extraTasks;
        volatile RuntimeException metadataFailure;
        final Forwarding forwarding;
        final Server server;
        final ManagedChannel channel;
        final Thread poller;

        Instance(HostInfo self, Duration localWait) throws Exception {
            forwarding = new Forwarding(() -> name(self), 2_000, h -> InProcessChannelBuilder.forName(name(h)).build());
            WhyAnswers why = new WhyAnswers(new LocalTasks(() -> this, () -> self, localWait), () -> members,
                    () -> self, forwarding, Duration.ofSeconds(2));
            server = InProcessServerBuilder.forName(name(self)).addService(ServerInterceptors.intercept(
                    new SnapshotApi(Set.of(PLUGIN), null, null, why), Forwarding.interceptor())).build().start();
            channel = InProcessChannelBuilder.forName(name(self)).build();
            poller = new Thread(this::poll, "stream-thread-" + self.host());
            poller.setDaemon(true);
            poller.start();
            closing.add(this);
        }

        /** A task of the plugin that answers at every poll. */
        void task(String id) {
            polled.put(id, pending.register(PLUGIN, id));
            held.put(id, new ConcurrentHashMap<>());
        }

        /** A task of the plugin whose stream thread never polls. */
        void silentTask(String id) {
            pending.register(PLUGIN, id);
        }

        void holds(String task, String source, boolean quarantined, PendingMessage... messages) {
            held.get(task).put(source, new SourceReport(PLUGIN, source, task, quarantined, List.of(messages)));
        }

        private void poll() {
            while (!Thread.currentThread().isInterrupted()) {
                polled.forEach((task, questions) ->
                        questions.answer(source -> Optional.ofNullable(held.get(task).get(source))));
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        WhyReply why(String plugin, String source) {
            return SnapshotServiceGrpc.newBlockingStub(channel)
                    .why(WhyRequest.newBuilder().setPlugin(plugin).setSource(source).build());
        }

        @Override
        public KafkaStreams.State state() {
            return state;
        }

        @Override
        public int pluginTasks() {
            if (metadataFailure != null) {
                throw metadataFailure;
            }
            return polled.size() + extraTasks;
        }

        @Override
        public PendingMessages pending() {
            return pending;
        }

        @Override
        public void close() {
            poller.interrupt();
            channel.shutdownNow();
            server.shutdownNow();
            forwarding.close();
        }
    }

    private static String name(HostInfo host) {
        return host.host() + ":" + host.port();
    }

    private Instance instance(HostInfo self) throws Exception {
        return new Instance(self, Duration.ofSeconds(5));
    }

    /** An instance with one task of the plugin, {@code 0_0}. */
    private Instance withTask(HostInfo self) throws Exception {
        Instance instance = instance(self);
        instance.task("0_0");
        return instance;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static PendingMessage inFlight(long offset, long sinceMs) {
        return new PendingMessage("raw", 1, offset, 1, Stage.IN_FLIGHT, sinceMs, -1, -1, null);
    }

    private static PendingMessage parked(long offset, long behind) {
        return new PendingMessage("raw", 1, offset, 1, Stage.PARKED, -1, -1, behind, null);
    }

    @Test
    void theInstanceAskedAnswersForASourceAnotherInstanceHoldsAndNamesWhoAnswered() throws Exception {
        Instance a = withTask(A);
        Instance b = withTask(B);
        b.holds("0_0", "hot", true, inFlight(41, 1_000), parked(42, 41));

        WhyReply reply = a.why(PLUGIN, "hot");

        assertThat(reply.getAnsweredByList()).containsExactlyInAnyOrder("a:1", "b:2");
        assertThat(reply.getUnansweredList()).isEmpty();
        SourceHolder holder = reply.getHoldersList().get(0);
        assertThat(reply.getHoldersList()).hasSize(1);
        assertThat(holder.getInstance()).isEqualTo("b:2");
        assertThat(holder.getTask()).isEqualTo("0_0");
        assertThat(holder.getQuarantined()).isTrue();
        assertThat(holder.getMessagesList()).extracting(m -> m.getInputOffset(), m -> m.getStage()).containsExactly(
                org.assertj.core.groups.Tuple.tuple(41L, PendingStage.IN_FLIGHT),
                org.assertj.core.groups.Tuple.tuple(42L, PendingStage.PARKED));
        assertThat(holder.getMessages(0).getSinceMs()).isEqualTo(1_000);
        assertThat(holder.getMessages(0).hasBehindOffset()).isFalse();
        assertThat(holder.getMessages(1).getBehindOffset()).isEqualTo(41);
        assertThat(holder.getMessages(1).hasSinceMs()).isFalse();
    }

    @Test
    void holdersOnSeveralInstancesAreMergedInInstanceAndTaskOrder() throws Exception {
        Instance a = instance(A);
        Instance b = instance(B);
        a.task("0_0");
        a.task("0_1");
        b.task("0_0");
        a.holds("0_1", "spread", false, inFlight(7, 5));
        b.holds("0_0", "spread", false, inFlight(3, 5));
        a.holds("0_0", "spread", false, inFlight(9, 5));

        assertThat(b.why(PLUGIN, "spread").getHoldersList()).extracting(SourceHolder::getInstance, SourceHolder::getTask)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("a:1", "0_0"),
                        org.assertj.core.groups.Tuple.tuple("a:1", "0_1"),
                        org.assertj.core.groups.Tuple.tuple("b:2", "0_0"));
    }

    @Test
    void aSourceWithNothingPendingAnywhereIsDone() throws Exception {
        Instance a = withTask(A);
        Instance b = withTask(B);

        WhyReply reply = a.why(PLUGIN, "done");
        assertThat(reply.getHoldersList()).isEmpty();
        assertThat(reply.getAnsweredByList()).containsExactlyInAnyOrder("a:1", "b:2");
    }

    @Test
    void nothingFoundWhileAnInstanceRebalancesIsUnavailableNotDone() throws Exception {
        Instance a = withTask(A);
        Instance b = withTask(B);
        b.state = KafkaStreams.State.REBALANCING;

        assertStatus(() -> a.why(PLUGIN, "s"), Status.Code.UNAVAILABLE, "b:2: Kafka Streams is REBALANCING");
    }

    @Test
    void nothingFoundWhileAnInstanceIsGoneIsUnavailable() throws Exception {
        Instance a = instance(A);
        a.task("0_0");
        // B is in the metadata but serves nothing.

        assertStatus(() -> a.why(PLUGIN, "s"), Status.Code.UNAVAILABLE, "b:2: UNAVAILABLE");
    }

    @Test
    void whatWasFoundIsShownWithTheInstancesThatDidNotAnswer() throws Exception {
        Instance a = withTask(A);
        Instance b = withTask(B);
        a.holds("0_0", "s", false, inFlight(1, 5));
        b.state = KafkaStreams.State.REBALANCING;

        WhyReply reply = a.why(PLUGIN, "s");
        assertThat(reply.getHoldersList()).extracting(SourceHolder::getInstance).containsExactly("a:1");
        assertThat(reply.getAnsweredByList()).containsExactly("a:1");
        assertThat(reply.getUnansweredList()).containsExactly("b:2: Kafka Streams is REBALANCING");
    }

    @Test
    void aTaskWhoseStreamThreadDoesNotPollIsWaitedForBoundedly() throws Exception {
        members.remove(B);
        Instance a = new Instance(A, Duration.ofMillis(100));
        a.silentTask("0_0");

        assertStatus(() -> a.why(PLUGIN, "s"), Status.Code.UNAVAILABLE,
                "a:1: 1 task(s) of plugin 'stuck' did not answer within 100 ms");
    }

    @Test
    void aTaskStillRestoringMakesTheAnswerIncomplete() throws Exception {
        members.remove(B);
        Instance a = instance(A);
        a.task("0_0");
        a.extraTasks = 1;

        assertStatus(() -> a.why(PLUGIN, "s"), Status.Code.UNAVAILABLE,
                "a:1: 1 task(s) of plugin 'stuck' not open yet (restoring)");
    }

    @Test
    void tasksKafkaStreamsCannotListNowMakeTheAnswerIncomplete() throws Exception {
        members.remove(B);
        Instance a = withTask(A);
        a.metadataFailure = new IllegalStateException("KafkaStreams is not running. State is PENDING_SHUTDOWN.");

        assertStatus(() -> a.why(PLUGIN, "s"), Status.Code.UNAVAILABLE,
                "a:1: its tasks are not known now (KafkaStreams is not running. State is PENDING_SHUTDOWN.)");
    }

    @Test
    void aForwardedQuestionIsAnsweredFromTheLocalTasksOnly() throws Exception {
        Instance a = withTask(A);
        Instance b = withTask(B);
        a.holds("0_0", "s", false, inFlight(1, 5));
        Metadata headers = new Metadata();
        headers.put(Forwarding.HEADER, "a:1");

        WhyReply reply = SnapshotServiceGrpc.newBlockingStub(b.channel)
                .withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers))
                .why(WhyRequest.newBuilder().setPlugin(PLUGIN).setSource("s").build());
        assertThat(reply.getHoldersList()).isEmpty();
        assertThat(reply.getAnsweredByList()).containsExactly("b:2");
    }

    @Test
    void anUnknownPluginOrAnEmptySourceIsInvalidArgument() throws Exception {
        members.remove(B);
        Instance a = instance(A);
        assertStatus(() -> a.why("nope", "s"), Status.Code.INVALID_ARGUMENT, "plugin 'nope' is not run");
        assertStatus(() -> a.why(PLUGIN, ""), Status.Code.INVALID_ARGUMENT, "source is empty");
    }

    @Test
    void everyStageAndItsTimesReachTheWire() throws Exception {
        members.remove(B);
        Instance a = instance(A);
        a.task("0_0");
        a.holds("0_0", "s", false,
                new PendingMessage("raw", 0, 5, 2, Stage.WAITING_FOR_RETRY, -1, 9_000, -1, "TIMEOUT: attempt 1 timed out"),
                new PendingMessage("raw", 0, 6, 1, Stage.HELD_BY_PAUSE, -1, -1, -1, null));

        List<dev.arenaflow.api.v1.PendingMessage> messages = a.why(PLUGIN, "s").getHolders(0).getMessagesList();
        assertThat(messages.get(0).getStage()).isEqualTo(PendingStage.WAITING_FOR_RETRY);
        assertThat(messages.get(0).getAttempt()).isEqualTo(2);
        assertThat(messages.get(0).getUntilMs()).isEqualTo(9_000);
        assertThat(messages.get(0).getLastError()).isEqualTo("TIMEOUT: attempt 1 timed out");
        assertThat(messages.get(1).getStage()).isEqualTo(PendingStage.HELD_BY_PAUSE);
        assertThat(messages.get(1).hasUntilMs()).isFalse();
        assertThat(messages.get(1).hasLastError()).isFalse();
        for (Stage stage : Stage.values()) {
            assertThat(PendingStage.valueOf(stage.name())).as("a wire stage for " + stage).isNotNull();
        }
    }

    private static void assertStatus(Runnable call, Status.Code code, String description) {
        assertThatThrownBy(call::run).isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
            assertThat(e.getStatus().getCode()).isEqualTo(code);
            assertThat(e.getStatus().getDescription()).contains(description);
        });
    }
}
